"""Run ids: short, unique, and sorted by creation time as plain strings.

An id is the creation time in milliseconds (9 characters) followed by 5 random characters, in
lowercase Crockford base 32 (no i, l, o, u: nothing to misread when typed from a screen). Sorting
ids sorts runs by when they were saved, on every database, without a separate sequence; the
random tail keeps ids made in the same millisecond by different processes apart.
"""

from __future__ import annotations

import re
import secrets
import time

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
TIME_CHARS = 9
RANDOM_CHARS = 5
LENGTH = TIME_CHARS + RANDOM_CHARS
#: What a run id or a prefix of one may contain.
ID_PATTERN = re.compile(f"[{ALPHABET}]{{1,{LENGTH}}}")


def _encode(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def new_run_id(now_ms: int | None = None) -> str:
    """A fresh run id; ``now_ms`` (milliseconds since 1970) only for tests."""
    ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    return _encode(ms, TIME_CHARS) + _encode(secrets.randbits(5 * RANDOM_CHARS), RANDOM_CHARS)


def is_id_prefix(text: str) -> bool:
    """True when ``text`` could be a run id or the start of one."""
    return ID_PATTERN.fullmatch(text) is not None
