"""Units of metal prices: ``CURRENCY/MASS`` with the mass in lb, kg, t or ozt (troy ounce)."""

from __future__ import annotations

from millnet.schema.codes import is_currency

#: Pounds in one unit of each mass unit a price may be quoted in.
POUNDS_PER_UNIT: dict[str, float] = {
    "lb": 1.0,
    "kg": 1 / 0.45359237,
    "t": 1000 / 0.45359237,
    "ozt": 0.06857142857142857,  # 1 troy ounce = 31.1034768 g = 12/175 lb
}


def parse_price_unit(unit: str) -> tuple[str, str] | None:
    """``"USD/lb"`` → ``("USD", "lb")``; ``None`` when it is not a known price unit."""
    parts = unit.strip().split("/")
    if len(parts) != 2:
        return None
    currency, mass = parts[0].strip(), parts[1].strip()
    if not is_currency(currency) or mass not in POUNDS_PER_UNIT:
        return None
    return currency, mass
