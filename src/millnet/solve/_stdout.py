"""Keep solver chatter off stdout (which carries the JSON document)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def stdout_to_stderr(show: bool = True) -> Iterator[None]:
    """While native code may print (HiGHS's banner, its log), send file descriptor 1 to stderr
    (``show``) or to the null device."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):  # no real descriptor (e.g. captured output)
        yield
        return
    target = os.dup(2) if show else os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(target, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(target)
