"""Metal cost and the price build-up of a wire product (wire.md §3).

The core functions work in price per lb of metal (the unit copper is quoted in on COMEX);
:func:`price_per_lb` converts the other usual quotes (silver per troy oz, nickel and tin per
tonne on the LME) into it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

import numpy as np

from millnet.errors import MillnetError
from millnet.wire._arrays import ArrayLike, FloatOut, as_float_array, first_index, out, where_text
from millnet.wire.constants import G_PER_LB, LB_PER_TONNE, METALS, TROY_OZ_PER_LB

#: Mass units a price may be quoted per, as lb per unit (wire.md §3.1 [D] conversions).
_LB_PER_MASS_UNIT: Final = MappingProxyType(
    {
        "lb": 1.0,
        "ozt": 1.0 / TROY_OZ_PER_LB,
        "kg": 1000.0 / G_PER_LB,
        "t": LB_PER_TONNE,
    }
)
_MASS_ALIASES: Final = MappingProxyType(
    {"lbs": "lb", "toz": "ozt", "oz t": "ozt", "troy oz": "ozt", "tonne": "t", "mt": "t"}
)
#: Currency amounts a price may be quoted in, as USD per unit.
_USD_PER_CURRENCY: Final = MappingProxyType({"usd": 1.0, "$": 1.0, "usc": 0.01, "c": 0.01})
#: Unit strings accepted by :func:`price_per_lb`, for messages.
PRICE_UNITS: Final = ("USD/lb", "USD/ozt", "USD/kg", "USD/t", "USc/lb")
_METAL_ALIASES: Final = MappingProxyType(
    {"cu": "copper", "ag": "silver", "ni": "nickel", "sn": "tin", **{m: m for m in METALS}}
)
_NUMBER = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$")


def _unit_factor(unit: str) -> float:
    """USD per lb for one unit of price in ``unit`` (e.g. ``"USD/ozt"`` → 14.583)."""
    text = unit.strip().lower()
    currency, slash, mass = text.partition("/")
    if not slash:
        currency, mass = "usd", text
    currency = currency.strip() or "usd"
    mass = _MASS_ALIASES.get(mass.strip(), mass.strip())
    if currency not in _USD_PER_CURRENCY or mass not in _LB_PER_MASS_UNIT:
        raise MillnetError(
            f"price unit '{unit}' is not known; expected one of {', '.join(PRICE_UNITS)}"
        )
    return _USD_PER_CURRENCY[currency] / _LB_PER_MASS_UNIT[mass]


def price_per_lb(value: ArrayLike, unit: str = "USD/lb") -> FloatOut:
    """A metal price converted to USD per lb (wire.md §3.1 [D]).

    ``unit`` is a currency per mass: currency ``USD`` (or ``USc``, US cents, as premiums are
    quoted); mass ``lb``, ``ozt`` (troy ounce: 1 lb = 14.583 ozt), ``kg`` or ``t`` (tonne:
    2,204.62 lb). A bare mass (``"ozt"``) means USD. Examples: silver 12.5 USD/ozt → 182.29
    USD/lb; tin 13,600 USD/t → 6.17 USD/lb; a 5 USc/lb premium → 0.05 USD/lb.

    Raises:
        MillnetError: a unit not in the list above.
    """
    return out(as_float_array(value) * _unit_factor(unit))


def _metal_name(name: str) -> str:
    key = name.strip().lower()
    if key not in _METAL_ALIASES:
        raise MillnetError(f"metal '{name}' does not exist; expected one of {', '.join(METALS)}")
    return _METAL_ALIASES[key]


def parse_price_list(text: str, *, what: str = "price") -> dict[str, float]:
    """Read ``"copper=1.55,silver=12.5/ozt"`` into USD per lb by metal.

    Items are ``metal=value[unit]`` separated by commas. Metals: copper, silver, nickel, tin (or
    Cu, Ag, Ni, Sn). A value without a unit is USD/lb; otherwise any unit of
    :func:`price_per_lb`, written ``/ozt``, ``USD/ozt``, ``USD/t``, ``USc/lb`` … ``what`` names
    the list in messages (``"price"`` or ``"premium"``); prices must not be negative,
    premiums may be.

    Raises:
        MillnetError: an item without ``=``, an unknown metal or unit, a value that is not a
            number, a metal given twice, or a negative price.
    """
    result: dict[str, float] = {}
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        name, equals, value = item.partition("=")
        if not equals:
            raise MillnetError(
                f"{what} '{item}' has no '='; expected metal=value, e.g. copper=1.55 or "
                "silver=12.5/ozt"
            )
        metal = _metal_name(name)
        match = _NUMBER.match(value)
        if match is None:
            raise MillnetError(
                f"{what} of {metal} '{value.strip()}' is not a number; expected e.g. "
                f"{metal}=1.55 (USD/lb) or {metal}=12.5/ozt"
            )
        number, unit = float(match.group(1)), match.group(2)
        if metal in result:
            raise MillnetError(f"{what} of {metal} is given twice; expected it once")
        if what == "price" and number < 0:
            raise MillnetError(f"price of {metal} {number:g} is negative; expected 0 or more")
        if unit.startswith("/"):
            unit = "USD" + unit
        result[metal] = float(price_per_lb(number, unit or "USD/lb"))
    return result


def _check_metals(values: Mapping[str, ArrayLike], what: str) -> None:
    for name in values:
        if name not in METALS:
            raise MillnetError(
                f"{what} for metal '{name}' does not exist; expected one of {', '.join(METALS)}"
            )


def metal_costs(
    masses: Mapping[str, ArrayLike],
    prices: Mapping[str, ArrayLike],
    *,
    premiums: Mapping[str, ArrayLike] | None = None,
    yield_loss: ArrayLike = 0.0,
    tolled: ArrayLike = False,
) -> dict[str, FloatOut]:
    """Cost of each metal in a product (wire.md §3.3, recommended price model [A]).

    .. code-block:: text

        C_m = M_m · (1 + y) · (P_m + p_m)

    M_m is the mass of metal m per unit of product (lb per 1,000 ft, or lb per lb: C is then per
    the same unit), y the yield-loss allowance (0.02 = 2 % of the metal is lost in processing
    and paid for), P_m the index price of the pricing period in USD/lb (COMEX copper, LBMA
    silver, LME nickel and tin; see :func:`price_per_lb`) and p_m the physical premium in
    USD/lb. On a tolled order (customer-owned copper) C_copper = 0. Metals with zero mass need
    no price. All inputs broadcast; ``tolled`` may be an array of booleans.

    Raises:
        MillnetError: an unknown metal, a metal with mass but no price, a yield loss outside
            [0, 1).
    """
    _check_metals(masses, "mass")
    _check_metals(prices, "price")
    premiums = premiums or {}
    _check_metals(premiums, "premium")
    y = as_float_array(yield_loss)
    if (index := first_index(~((y >= 0) & (y < 1)))) is not None:
        raise MillnetError(
            f"yield loss {y[index]:g} is out of range{where_text(index)}; expected a fraction "
            "at least 0 and below 1 (0.02 for 2 %)"
        )
    is_tolled = np.asarray(tolled, dtype=bool)
    costs: dict[str, FloatOut] = {}
    for metal, mass_like in masses.items():
        mass = as_float_array(mass_like)
        needs_price = (mass > 0) & ~is_tolled if metal == "copper" else mass > 0
        if metal not in prices:
            if np.any(needs_price):
                raise MillnetError(f"no price for {metal}; expected a {metal} price in USD/lb")
            costs[metal] = out(np.zeros(np.broadcast(mass, y, is_tolled).shape))
            continue
        unit_price = as_float_array(prices[metal]) + as_float_array(premiums.get(metal, 0.0))
        cost = mass * (1.0 + y) * unit_price
        if metal == "copper":
            cost = np.where(is_tolled, 0.0, cost)
        costs[metal] = out(np.asarray(cost, dtype=float))
    return costs


def metal_cost(
    masses: Mapping[str, ArrayLike],
    prices: Mapping[str, ArrayLike],
    *,
    premiums: Mapping[str, ArrayLike] | None = None,
    yield_loss: ArrayLike = 0.0,
    tolled: ArrayLike = False,
) -> FloatOut:
    """Metal cost of a product: C = Σ_m M_m · (1 + y) · (P_m + p_m), copper dropped if tolled.

    The sum over metals of :func:`metal_costs` (see there for the symbols; wire.md §3.3 [A]).
    """
    costs = metal_costs(masses, prices, premiums=premiums, yield_loss=yield_loss, tolled=tolled)
    return out(np.asarray(sum(as_float_array(c) for c in costs.values()), dtype=float))


@dataclass(frozen=True, slots=True)
class PriceBuildUp:
    """Price of a product per unit (the unit of the masses given, e.g. per 1,000 ft).

    Attributes:
        metal_cost: Σ_m M_m · (1 + y) · (P_m + p_m), copper dropped when tolled.
        conversion: conversion adder · product mass.
        price: metal_cost + conversion.
        product_mass: Σ_m M_m, lb per unit (the basis of the per-lb figures).
    """

    metal_cost: FloatOut
    conversion: FloatOut
    price: FloatOut
    product_mass: FloatOut

    @property
    def metal_cost_per_lb(self) -> FloatOut:
        """Metal cost per lb of product."""
        return self.metal_cost / self.product_mass

    @property
    def price_per_lb(self) -> FloatOut:
        """Price per lb of product."""
        return self.price / self.product_mass


def price_build_up(
    masses: Mapping[str, ArrayLike],
    prices: Mapping[str, ArrayLike],
    *,
    premiums: Mapping[str, ArrayLike] | None = None,
    yield_loss: ArrayLike = 0.0,
    conversion_adder_per_lb: ArrayLike = 0.0,
    tolled: ArrayLike = False,
) -> PriceBuildUp:
    """Price of a product: metal cost plus a conversion adder (wire.md §3.3 [A]).

    .. code-block:: text

        Price = Σ_m M_m · (1 + y) · (P_m + p_m) + a · Σ_m M_m

    with the symbols of :func:`metal_costs` and a the conversion ("fabrication", "value add")
    adder in USD per lb of product, charged on the product mass Σ_m M_m. A tolled order drops
    the copper term and pays conversion (and any plating metal) only.
    """
    cost = as_float_array(
        metal_cost(masses, prices, premiums=premiums, yield_loss=yield_loss, tolled=tolled)
    )
    product_mass = np.asarray(sum(as_float_array(m) for m in masses.values()), dtype=float)
    conversion = as_float_array(conversion_adder_per_lb) * product_mass
    return PriceBuildUp(
        metal_cost=out(cost),
        conversion=out(np.asarray(conversion, dtype=float)),
        price=out(np.asarray(cost + conversion, dtype=float)),
        product_mass=out(product_mass),
    )
