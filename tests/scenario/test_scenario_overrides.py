"""Every override kind on the mini example, with the numbers worked out by hand."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from millnet.case import load_example
from millnet.model.options import ModelOptions
from millnet.scenario import ScenarioError, apply, parse_scenario
from millnet.validate import validate


@pytest.fixture(scope="module")
def mini():
    return load_example("mini")


def scenario(overrides: str, name: str = "s"):
    """A scenario from the YAML of its override list (indented two spaces)."""
    return parse_scenario(f"name: {name}\noverrides:\n{overrides}", f"{name}.yaml")


def quantities(case) -> dict[tuple[str, str], float]:
    return {
        (r["customer_id"], r["period_id"]): r["quantity"]
        for r in case["demand"].iter_rows(named=True)
    }


MINI_QUANTITIES = {
    ("acme-cable", "2009Q1"): 900000.0,
    ("acme-cable", "2009Q2"): 950000.0,
    ("datalink", "2009Q1"): 400000.0,
    ("datalink", "2009Q2"): 420000.0,
    ("skyline-aero", "2009Q1"): 150000.0,
    ("skyline-aero", "2009Q2"): 160000.0,
    ("eurocab", "2009Q1"): 300000.0,
    ("eurocab", "2009Q2"): 320000.0,
}


def test_scale_demand_by_segment_changes_only_that_segment(mini):
    result = apply(mini, scenario("  - {kind: scale_demand, segments: [aerospace], factor: 0.6}"))
    expected = dict(MINI_QUANTITIES)
    expected[("skyline-aero", "2009Q1")] = 90000.0
    expected[("skyline-aero", "2009Q2")] = 96000.0
    assert quantities(result.case) == pytest.approx(expected)
    assert validate(result.case).ok


def test_scale_demand_filters_combine_and_periods_narrow(mini):
    # tin-plated wire for US customers: only datalink (eurocab is FR), and only in 2009Q2
    text = (
        "  - kind: scale_demand\n    families: [tin_plated]\n    countries: [US]\n"
        "    periods: [2009Q2]\n    factor: 2\n"
    )
    result = apply(mini, scenario(text))
    expected = dict(MINI_QUANTITIES)
    expected[("datalink", "2009Q2")] = 840000.0
    assert quantities(result.case) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("filters", "changed"),
    [
        ("channels: [oem]", {"skyline-aero", "eurocab"}),
        ("customers: [acme-cable, eurocab]", {"acme-cable", "eurocab"}),
        ("products: [tin-22-19x34]", {"datalink", "eurocab"}),
        ("families: [bare]", {"acme-cable"}),
        ("countries: [FR]", {"eurocab"}),
        ("segments: [industrial_energy, electronics_datacom]", {"acme-cable", "datalink"}),
    ],
)
def test_each_demand_filter_picks_its_rows(mini, filters, changed):
    result = apply(mini, scenario(f"  - {{kind: scale_demand, {filters}, factor: 0}}"))
    zero = {c for (c, _), q in quantities(result.case).items() if q == 0}
    assert zero == changed


def test_period_range_is_inclusive(mini):
    text = "  - {kind: set_demand, customers: [acme-cable], from_period: 2009Q2, quantity: 5}"
    result = apply(mini, scenario(text))
    assert quantities(result.case)[("acme-cable", "2009Q1")] == 900000.0
    assert quantities(result.case)[("acme-cable", "2009Q2")] == 5.0


def test_set_demand_sets_every_matching_row(mini):
    text = "  - {kind: set_demand, customers: [acme-cable], periods: [2009Q2], quantity: 1200000}"
    result = apply(mini, scenario(text))
    expected = dict(MINI_QUANTITIES)
    expected[("acme-cable", "2009Q2")] = 1200000.0
    assert quantities(result.case) == expected
    assert validate(result.case).ok


def test_overrides_apply_in_order_and_compound(mini):
    text = (
        "  - {kind: scale_demand, customers: [eurocab], factor: 2}\n"
        "  - {kind: scale_demand, customers: [eurocab], periods: [2009Q1], factor: 0.5}\n"
    )
    result = apply(mini, scenario(text))
    assert quantities(result.case)[("eurocab", "2009Q1")] == 300000.0
    assert quantities(result.case)[("eurocab", "2009Q2")] == 640000.0


def test_demand_from_period_mapping_copies_rows_with_their_prices(mini):
    text = "  - {kind: demand_from_period, mapping: {2009Q2: 2009Q1}, factor: 1.1}"
    result = apply(mini, scenario(text))
    demand = result.case["demand"]
    q2 = demand.filter(pl.col("period_id") == "2009Q2").sort("customer_id")
    assert q2["customer_id"].to_list() == ["acme-cable", "datalink", "eurocab", "skyline-aero"]
    assert q2["quantity"].to_list() == pytest.approx([990000.0, 440000.0, 330000.0, 165000.0])
    # the copied rows carry 2009Q1's terms: eurocab's fixed price 3.10, datalink not tolled
    assert q2.filter(pl.col("customer_id") == "eurocab")["price"].to_list() == [3.10]
    assert q2.filter(pl.col("customer_id") == "datalink")["tolled"].to_list() == [False]
    assert demand.filter(pl.col("period_id") == "2009Q1").height == 4
    assert validate(result.case).ok


def test_demand_from_period_with_a_filter_leaves_other_rows(mini):
    text = "  - {kind: demand_from_period, customers: [acme-cable], mapping: {2009Q1: 2009Q2}}"
    result = apply(mini, scenario(text))
    expected = dict(MINI_QUANTITIES)
    expected[("acme-cable", "2009Q1")] = 950000.0
    assert quantities(result.case) == expected
    assert result.case["demand"].height == 8


def test_demand_from_period_pairs_targets_with_sources_of_the_same_season():
    case = load_example("mini")
    # relabel the calendar as two first quarters: 2009Q2 becomes 2010Q1 (starts 1 January;
    # not a contiguous calendar, which is not what this test is about)
    relabelled = case.with_tables(
        periods=pl.DataFrame(
            {
                "id": ["2009Q1", "2010Q1"],
                "start": [date(2009, 1, 1), date(2010, 1, 1)],
                "end": [date(2009, 3, 31), date(2010, 3, 31)],
                "order": [1, 2],
            }
        ),
        demand=case["demand"].with_columns(pl.col("period_id").replace({"2009Q2": "2010Q1"})),
        metal_prices=case["metal_prices"].with_columns(
            pl.col("period_id").replace({"2009Q2": "2010Q1"})
        ),
        fx=case["fx"].with_columns(pl.col("period_id").replace({"2009Q2": "2010Q1"})),
    )
    text = "  - {kind: demand_from_period, sources: [2009Q1], targets: [2010Q1]}"
    result = apply(relabelled, scenario(text))
    q = quantities(result.case)
    assert q[("acme-cable", "2010Q1")] == 900000.0
    assert q[("eurocab", "2010Q1")] == 300000.0


def test_metal_price_factor_applies_from_the_first_planned_period(mini):
    result = apply(mini, scenario("  - {kind: metal_prices, metal: copper, factor: 2.0}"))
    prices = result.case["metal_prices"].filter(pl.col("metal") == "copper").sort("period_id")
    assert prices["price"].to_list() == pytest.approx([3.12, 4.24])
    # premiums and other metals untouched
    assert prices["premium"].to_list() == [0.06, 0.06]
    assert result.case["metal_prices"].filter(pl.col("metal") == "silver")["price"].to_list() == [
        12.6,
        13.8,
    ]


def test_metal_price_factor_from_a_later_period(mini):
    text = "  - {kind: metal_prices, metal: silver, factor: 1.5, from_period: 2009Q2}"
    result = apply(mini, scenario(text))
    silver = result.case["metal_prices"].filter(pl.col("metal") == "silver").sort("period_id")
    assert silver["price"].to_list() == pytest.approx([12.6, 20.7])


def test_metal_prices_set_and_multipliers(mini):
    text = (
        "  - {kind: metal_prices, metal: tin, prices: {2009Q1: 12000}}\n"
        "  - {kind: metal_prices, metal: tin, multipliers: {2009Q1: 1.5, 2009Q2: 0.5}}\n"
    )
    result = apply(mini, scenario(text))
    tin = result.case["metal_prices"].filter(pl.col("metal") == "tin").sort("period_id")
    assert tin["price"].to_list() == pytest.approx([18000.0, 6550.0])
    assert validate(result.case).ok


def test_force_state_becomes_force_states_for_the_planned_periods(mini):
    text = "  - {kind: force_state, plants: [littleton-nh, mons-be], state: running}"
    result = apply(mini, scenario(text))
    assert set(result.options.force_states) == {
        ("littleton-nh", "2009Q1", "running"),
        ("littleton-nh", "2009Q2", "running"),
        ("mons-be", "2009Q1", "running"),
        ("mons-be", "2009Q2", "running"),
    }
    assert result.case.fingerprint == mini.fingerprint  # options only: the data is the same


def test_later_force_state_wins_and_base_options_are_kept(mini):
    text = (
        "  - {kind: force_state, plants: [camden-ny], state: running}\n"
        "  - {kind: force_state, plants: [camden-ny], state: idle, periods: [2009Q2]}\n"
    )
    base = ModelOptions(max_idle=2, force_states=(("mons-be", "2009Q1", "idle"),))
    result = apply(mini, scenario(text), base)
    assert result.options.max_idle == 2
    assert set(result.options.force_states) == {
        ("mons-be", "2009Q1", "idle"),
        ("camden-ny", "2009Q1", "running"),
        ("camden-ny", "2009Q2", "idle"),
    }


def test_capacity_scale_and_set(mini):
    text = (
        "  - {kind: capacity, plants: [camden-ny], resources: [fine_drawing], factor: 1.2}\n"
        "  - {kind: capacity, resources: [tinning], capacity: 1000}\n"
    )
    result = apply(mini, scenario(text))
    capacity = {
        (r["plant_id"], r["resource"]): r["capacity"]
        for r in result.case["resources"].iter_rows(named=True)
    }
    assert capacity[("camden-ny", "fine_drawing")] == pytest.approx(3000000.0)
    assert capacity[("camden-ny", "stranding")] == 2000000.0
    assert capacity[("jewett-city-ct", "tinning")] == 1000.0
    assert capacity[("mons-be", "tinning")] == 1000.0
    assert capacity[("littleton-nh", "fine_drawing")] == 800000.0


def test_costs_scale_a_plant_column_and_freight_by_mode(mini):
    text = (
        "  - {kind: costs, column: fixed_cost_running, plants: [mons-be], factor: 1.25}\n"
        "  - {kind: costs, column: cost_per_mass_distance, modes: [ocean], value: 0.0001}\n"
        "  - {kind: costs, column: rate, destinations: [FR], value: 0.1}\n"
    )
    result = apply(mini, scenario(text))
    plants = dict(result.case["plants"].select("id", "fixed_cost_running").iter_rows())
    assert plants["mons-be"] == 625000.0
    assert plants["camden-ny"] == 900000.0
    freight = result.case["freight"].sort("origin", "destination")
    # EU→EU truck, EU→US ocean, US→EU ocean, US→US truck
    assert freight["cost_per_mass_distance"].to_list() == [0.00014, 0.0001, 0.0001, 0.00012]
    duties = dict(result.case["duties"].select("destination_country", "rate").iter_rows())
    assert duties == {"FR": 0.1, "US": 0.02}
    assert validate(result.case).ok


def test_drop_named_customers_removes_their_planned_demand(mini):
    text = "  - {kind: drop_customers, customers: [eurocab], periods: [2009Q2]}"
    result = apply(mini, scenario(text))
    assert ("eurocab", "2009Q2") not in quantities(result.case)
    assert quantities(result.case)[("eurocab", "2009Q1")] == 300000.0
    # the customer itself stays, so lanes and history still refer to it
    assert "eurocab" in result.case["customers"]["id"].to_list()
    assert validate(result.case).ok


def test_drop_largest_by_value_and_by_quantity_differ(mini):
    # sales value over both quarters (USD): acme-cable 900,000 x (1.56 + 0.06 + 0.45)
    # + 950,000 x (2.12 + 0.06 + 0.45) = 4,361,500; skyline-aero 2.14 M (silver-plated);
    # eurocab 300,000 x 3.10 + 320,000 x 3.20 = 1,954,000; datalink 1.51 M.
    by_value = apply(mini, scenario("  - {kind: drop_customers, largest: 2}"))
    left = {c for c, _ in quantities(by_value.case)}
    assert left == {"datalink", "eurocab"}
    assert by_value.notes == (
        "s: dropped the 2 largest by value in 2009Q1–2009Q2: acme-cable (4,361,500 USD), "
        "skyline-aero (2,143,085 USD)",
    )
    # by quantity (lb): acme-cable 1,850,000, datalink 820,000, eurocab 620,000, skyline 310,000
    by_quantity = apply(mini, scenario("  - {kind: drop_customers, largest: 2, by: quantity}"))
    assert {c for c, _ in quantities(by_quantity.case)} == {"eurocab", "skyline-aero"}


def test_drop_largest_within_a_segment(mini):
    text = "  - {kind: drop_customers, largest: 1, countries: [FR]}"
    result = apply(mini, scenario(text))
    assert {c for c, _ in quantities(result.case)} == {"acme-cable", "datalink", "skyline-aero"}


def test_options_override_merges_over_the_base_options(mini):
    text = (
        "  - {kind: options, objective: margin, max_idle: 1}\n"
        "  - {kind: options, max_idle: null, single_source: horizon}\n"
    )
    result = apply(mini, scenario(text), ModelOptions(forbid_closures=True, max_idle=3))
    assert result.options.objective == "margin"
    assert result.options.max_idle is None
    assert result.options.single_source == "horizon"
    assert result.options.forbid_closures is True


def test_options_plan_from_moves_the_default_periods(mini):
    text = (
        "  - {kind: options, plan_from: 2009Q2}\n"
        "  - {kind: scale_demand, customers: [acme-cable], factor: 0}\n"
    )
    result = apply(mini, scenario(text))
    assert result.options.plan_from == "2009Q2"
    assert quantities(result.case)[("acme-cable", "2009Q1")] == 900000.0
    assert quantities(result.case)[("acme-cable", "2009Q2")] == 0.0


def test_apply_is_pure_and_gives_a_new_fingerprint(mini):
    before = mini.fingerprint
    demand = mini["demand"].clone()
    result = apply(mini, scenario("  - {kind: scale_demand, factor: 1.5}"))
    assert mini.fingerprint == before
    assert mini["demand"].equals(demand)
    assert result.case.fingerprint != before
    assert result.base_fingerprint == before
    assert result.scenario == "s"
    assert result.lineage == ("s",)
    # the same scenario twice gives the same case
    assert apply(mini, scenario("  - {kind: scale_demand, factor: 1.5}")).case.fingerprint == (
        result.case.fingerprint
    )


def test_a_scenario_without_overrides_is_the_case(mini):
    result = apply(mini, parse_scenario("name: as-is\n"))
    assert result.case.fingerprint == mini.fingerprint
    assert result.options == ModelOptions()


def test_overrides_built_in_python_report_the_scenario_name(mini):
    from millnet.scenario import Scenario
    from millnet.scenario.overrides import ScaleDemand

    built = Scenario(name="py", overrides=(ScaleDemand(customers=("nobody",), factor=2),))
    with pytest.raises(ScenarioError) as info:
        apply(mini, built)
    assert str(info.value).startswith("scenario 'py', key overrides[0].customers[0]: ")
