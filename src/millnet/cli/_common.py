"""Shared pieces of the CLI: consoles and the JSON printer."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

#: Human output. Commands with --json print only through :func:`print_json`.
console = Console(highlight=False)
#: Logs, progress bars, warnings and errors: never mixed into stdout.
err_console = Console(stderr=True, highlight=False)


def print_json(document: Any) -> None:
    """Write exactly one JSON document to stdout."""
    sys.stdout.write(json.dumps(document, indent=2, default=str, allow_nan=False))
    sys.stdout.write("\n")
    sys.stdout.flush()
