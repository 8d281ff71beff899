"""Metal cost and price build-up (wire.md §3.3), unit conversions (§3.1)."""

from __future__ import annotations

import numpy as np
import pytest

from millnet.errors import MillnetError
from millnet.wire import (
    metal_cost,
    metal_costs,
    parse_price_list,
    price_build_up,
    price_per_lb,
    wire_content,
)

MASSES = {"copper": 10.0, "silver": 0.5, "nickel": 0.0, "tin": 0.0}
PRICES = {"copper": 2.00, "silver": 20.0}
PREMIUMS = {"copper": 0.05}


def test_metal_cost_by_hand():
    # copper 10 lb · 1.02 · (2.00 + 0.05) = 20.91; silver 0.5 lb · 1.02 · 20.00 = 10.20.
    costs = metal_costs(MASSES, PRICES, premiums=PREMIUMS, yield_loss=0.02)
    assert float(costs["copper"]) == pytest.approx(20.91)
    assert float(costs["silver"]) == pytest.approx(10.20)
    assert float(costs["nickel"]) == 0.0
    assert float(metal_cost(MASSES, PRICES, premiums=PREMIUMS, yield_loss=0.02)) == pytest.approx(
        31.11
    )


def test_tolled_order_drops_the_copper_term_only():
    tolled = metal_cost(MASSES, PRICES, premiums=PREMIUMS, yield_loss=0.02, tolled=True)
    assert float(tolled) == pytest.approx(10.20)
    # Customer-owned copper needs no copper price.
    assert float(metal_cost(MASSES, {"silver": 20.0}, tolled=True)) == pytest.approx(10.0)


def test_price_build_up_adds_conversion_on_product_mass():
    build = price_build_up(
        MASSES, PRICES, premiums=PREMIUMS, yield_loss=0.02, conversion_adder_per_lb=0.30
    )
    assert float(build.metal_cost) == pytest.approx(31.11)
    assert float(build.conversion) == pytest.approx(0.30 * 10.5)
    assert float(build.price) == pytest.approx(31.11 + 3.15)
    assert float(build.price_per_lb) == pytest.approx((31.11 + 3.15) / 10.5)
    assert float(build.metal_cost_per_lb) == pytest.approx(31.11 / 10.5)
    tolled = price_build_up(MASSES, PRICES, conversion_adder_per_lb=0.30, tolled=True)
    assert float(tolled.price) == pytest.approx(0.5 * 20.0 + 3.15)


def test_cost_is_vectorised_over_products():
    masses = {"copper": np.array([10.0, 20.0]), "silver": np.array([0.5, 0.0])}
    cost = metal_cost(masses, PRICES, tolled=np.array([False, True]))
    np.testing.assert_allclose(cost, [10 * 2.0 + 0.5 * 20.0, 0.0])


def test_silver_per_troy_ounce_on_a_worked_example():
    content = wire_content("20 AWG 19/32", "silver", "A")
    silver_per_lb = price_per_lb(12.5, "USD/ozt")
    cost = metal_costs(content.masses_lb_per_kft(), {"copper": 1.55, "silver": silver_per_lb})
    # The silver cost is the troy ounces times the per-ounce price.
    assert float(cost["silver"]) == pytest.approx(float(content.silver_ozt_per_kft) * 12.5)


@pytest.mark.parametrize(
    ("value", "unit", "usd_per_lb"),
    [
        (1.55, "USD/lb", 1.55),
        (12.5, "USD/ozt", 12.5 * 14.583333),
        (13600.0, "USD/t", 13600.0 / 2204.6226),
        (2.5, "USD/kg", 2.5 * 0.45359237),
        (5.0, "USc/lb", 0.05),
        (12.5, "ozt", 12.5 * 14.583333),
    ],
)
def test_price_units(value, unit, usd_per_lb):
    assert float(price_per_lb(value, unit)) == pytest.approx(usd_per_lb, rel=1e-6)


def test_price_list_parsing():
    prices = parse_price_list("copper=1.55, silver=12.5/ozt,Ni=4.8,sn=13600 USD/t")
    assert prices == pytest.approx(
        {"copper": 1.55, "silver": 182.2916667, "nickel": 4.8, "tin": 6.1688562}
    )
    assert parse_price_list("copper=5USc/lb", what="premium") == {"copper": 0.05}
    assert parse_price_list("copper=-0.01", what="premium") == {"copper": -0.01}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("copper=abc", "price of copper 'abc' is not a number"),
        ("gold=3", "metal 'gold' does not exist; expected one of copper, silver, nickel, tin"),
        ("copper", "price 'copper' has no '='"),
        ("copper=1,cu=2", "price of copper is given twice"),
        ("silver=12/oz", "price unit 'USD/oz' is not known"),
        ("copper=-1", "price of copper -1 is negative"),
    ],
)
def test_bad_price_lists(text, message):
    with pytest.raises(MillnetError, match=message):
        parse_price_list(text)


def test_cost_errors():
    with pytest.raises(MillnetError, match="no price for silver"):
        metal_cost(MASSES, {"copper": 2.0})
    with pytest.raises(MillnetError, match=r"yield loss 1\.5 is out of range"):
        metal_cost(MASSES, PRICES, yield_loss=1.5)
    with pytest.raises(MillnetError, match="price for metal 'gold' does not exist"):
        metal_cost(MASSES, {**PRICES, "gold": 1.0})
