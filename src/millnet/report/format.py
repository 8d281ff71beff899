"""Numbers as a planner reads them: currency and mass unit named, magnitudes kept readable.

Words (story, KPI cards) use the compact forms (``USD 1.9 M``); tables put the unit in the header
and show the full number with thousands separators, so columns line up and add up by eye.
"""

from __future__ import annotations

import math


def money(amount: float, currency: str) -> str:
    """``USD 1.9 M``, ``-USD 126,258``, ``USD 2.15 bn``."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    prefix = f"{sign}{currency} " if currency else sign
    if amount >= 1e9:
        return f"{prefix}{amount / 1e9:,.2f} bn"
    if amount >= 1e6:
        return f"{prefix}{amount / 1e6:,.1f} M"
    return f"{prefix}{amount:,.0f}"


def mass(amount: float, unit: str) -> str:
    """``620,000 lb``, ``1.8 M lb``."""
    suffix = f" {unit}" if unit else ""
    if abs(amount) >= 1e6:
        return f"{amount / 1e6:,.1f} M{suffix}"
    return f"{amount:,.0f}{suffix}"


def share(value: float, digits: int = 1) -> str:
    """``12.5%``."""
    return f"{value:.{digits}%}"


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 customer``, ``3 customers``."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def and_list(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


#: How a table cell shows a number of each kind (see :mod:`millnet.report.columns`).
CELL_FORMATS = {
    "money": "{:,.0f}",
    "rate": "{:,.4f}",
    "mass": "{:,.0f}",
    "quantity": "{:,.0f}",
    "share": "{:.1%}",
    "degree": "{:.4f}",
    "count": "{:,.0f}",
    "number": "{:,.4g}",
}


def cell(value: object, kind: str | None) -> str:
    """One table cell as text: numbers by their kind, missing values as an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isinf(value):
            return "∞" if value > 0 else "-∞"
        pattern = CELL_FORMATS.get(kind or "number", CELL_FORMATS["number"])
        text = pattern.format(value)
        # "-0" from rounding a tiny negative is noise
        return text[1:] if text.startswith("-") and not text[1:].strip("0.,%") else text
    return str(value)
