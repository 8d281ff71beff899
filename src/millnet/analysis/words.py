"""Numbers and lists as a planner reads them in a sentence."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence

import polars as pl

from millnet.errors import MillnetError


def money(value: float, currency: str) -> str:
    """``USD 1.2 M``, ``USD 350 k``, ``USD 1,120``: a sentence needs the size, not every digit."""
    size = abs(value)
    # thresholds after rounding, so that 999,720 reads 1.0 M rather than 1,000 k
    if size >= 999_500:
        text = f"{size / 1e6:,.1f} M"
    elif size >= 9_999.5:
        text = f"{size / 1e3:,.0f} k"
    else:
        text = f"{size:,.0f}"
    return f"{currency} {text}".strip()


def mass(value: float, unit: str) -> str:
    size = abs(value)
    if size >= 999_999.5:
        return f"{size / 1e6:,.1f} M {unit}"
    return f"{size:,.0f} {unit}"


def and_join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def period_span(periods: Sequence[str]) -> str:
    """``P1``, ``P1–P4`` or ``P1, P3`` for a run of planned periods given in order."""
    if not periods:
        return ""
    if len(periods) == 1:
        return periods[0]
    return f"{periods[0]}–{periods[-1]}"


def horizon_phrase(periods_table: pl.DataFrame, planned: Sequence[str]) -> str:
    """``over 2009`` / ``over 2009–2010`` when the planned periods are whole calendar years,
    else ``in P1`` / ``over P1–P4``."""
    if not planned:
        return ""
    rows = periods_table.filter(pl.col("id").is_in(list(planned))).sort("order")
    start, end = rows["start"][0], rows["end"][-1]
    if (
        isinstance(start, dt.date)
        and isinstance(end, dt.date)
        and (start.month, start.day) == (1, 1)
        and (end.month, end.day) == (12, 31)
    ):
        years = f"{start.year}" if start.year == end.year else f"{start.year}–{end.year}"
        return f"over {years}"
    return f"in {planned[0]}" if len(planned) == 1 else f"over {period_span(planned)}"


def check_name(value: str, known: Sequence[str], what: str) -> None:
    """Raise a :class:`MillnetError` naming ``value`` and the closest known names."""
    if value in known:
        return
    lowered = {k.lower(): k for k in known}
    close = [lowered[c] for c in difflib.get_close_matches(value.lower(), list(lowered), 3, 0.5)]
    if close:
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?"
    else:
        shown = ", ".join(list(known)[:8]) + (", …" if len(known) > 8 else "")
        hint = f"; expected one of {shown}"
    raise MillnetError(f"unknown {what} '{value}'{hint}")
