"""Registering every command must stay cheap: heavy libraries load only in the commands that
use them (``millnet --help`` and ``millnet validate`` should not wait for a solver or a web
framework to import)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("linopy", "highspy", "sqlalchemy", "fastapi", "distributed", "plotly", "openpyxl")


def test_registering_the_commands_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from millnet.cli.app import _register\n"
        "_register()\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == ""
