"""Every scenario and sweep shipped with the reference case loads, applies and validates."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from millnet.case import read_case
from millnet.scenario import apply, load_scenario
from millnet.scenario.sweep import expand, load_sweep
from millnet.validate import validate

CASE = Path(__file__).resolve().parents[2] / "cases" / "iwg2009"
SCENARIOS = sorted((CASE / "scenarios").glob("*.yaml"))
SWEEPS = sorted((CASE / "sweeps").glob("*.yaml"))


@pytest.fixture(scope="module")
def case():
    return read_case(CASE)


def segment_quantity(case, segment: str, periods: list[str]) -> float:
    demand = case["demand"].join(
        case["customers"].select(pl.col("id").alias("customer_id"), "segment"), on="customer_id"
    )
    chosen = demand.filter((pl.col("segment") == segment) & pl.col("period_id").is_in(periods))
    return chosen["quantity"].sum()


def test_the_reference_case_ships_the_scenarios_a_planner_asks_for():
    names = {p.stem for p in SCENARIOS}
    assert {
        "2008-demand-continues",
        "aerospace-minus-40",
        "copper-doubles",
        "lose-largest-customer",
        "keep-littleton",
        "forbid-closures",
        "silver-spike",
        "keep-littleton-aerospace-minus-40",
    } <= names
    assert len(SWEEPS) >= 2


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_applies_and_the_case_stays_valid(case, path):
    scenario = load_scenario(path)
    assert scenario.name == path.stem
    assert len(scenario.description) > 60  # says what question it answers
    result = apply(case, scenario)
    report = validate(result.case)
    assert report.ok, [str(i) for i in report.errors]
    changes_data = any(o.kind not in ("options", "force_state") for o, _ in scenario.steps())
    assert (result.case.fingerprint != case.fingerprint) == changes_data


def test_2008_demand_continues_is_2008_carried_into_2009(case):
    result = apply(case, load_scenario(CASE / "scenarios" / "2008-demand-continues.yaml"))
    demand = case["demand"]
    carried = demand.filter(pl.col("period_id").str.starts_with("2008")).with_columns(
        pl.col("period_id").str.replace("2008", "2009")
    )
    expected = pl.concat([demand.filter(~pl.col("period_id").str.starts_with("2009")), carried])
    keys = ["customer_id", "product_id", "period_id"]
    assert result.case["demand"].sort(keys).equals(expected.sort(keys))


def test_aerospace_minus_40_scales_only_planned_aerospace(case):
    result = apply(case, load_scenario(CASE / "scenarios" / "aerospace-minus-40.yaml"))
    planned = [f"{y}Q{q}" for y in (2009, 2010) for q in range(1, 5)]
    history = [f"2008Q{q}" for q in range(1, 5)]
    before = segment_quantity(case, "aerospace", planned)
    assert segment_quantity(result.case, "aerospace", planned) == pytest.approx(0.6 * before)
    assert segment_quantity(result.case, "aerospace", history) == segment_quantity(
        case, "aerospace", history
    )
    assert segment_quantity(result.case, "medical", planned) == segment_quantity(
        case, "medical", planned
    )


def test_copper_doubles_from_2009q1(case):
    result = apply(case, load_scenario(CASE / "scenarios" / "copper-doubles.yaml"))

    def copper(c):
        prices = c["metal_prices"].filter(pl.col("metal") == "copper").sort("period_id")
        return dict(zip(prices["period_id"], prices["price"], strict=True))

    before, after = copper(case), copper(result.case)
    assert after["2008Q4"] == before["2008Q4"] == 1.77
    assert after["2009Q1"] == pytest.approx(3.10)
    assert all(after[p] == pytest.approx(2 * before[p]) for p in before if p >= "2009Q1")


def test_lose_largest_customer_names_the_account(case):
    result = apply(case, load_scenario(CASE / "scenarios" / "lose-largest-customer.yaml"))
    (note,) = result.notes
    dropped = note.split(": ")[-1].split(" ")[0]
    demand = result.case["demand"].filter(pl.col("customer_id") == dropped)
    assert set(demand["period_id"]) == {"2008Q1", "2008Q2", "2008Q3", "2008Q4"}
    assert (
        case["demand"].height - result.case["demand"].height
        == case["demand"]
        .filter((pl.col("customer_id") == dropped) & (pl.col("period_id") >= "2009Q1"))
        .height
    )


def test_keep_littleton_forces_it_running_in_every_planned_quarter(case):
    result = apply(case, load_scenario(CASE / "scenarios" / "keep-littleton.yaml"))
    assert result.options.force_states == tuple(
        ("littleton-nh", f"{y}Q{q}", "running") for y in (2009, 2010) for q in range(1, 5)
    )


def test_the_chained_scenario_carries_its_parent(case):
    scenario = load_scenario(CASE / "scenarios" / "keep-littleton-aerospace-minus-40.yaml")
    assert scenario.lineage == ("aerospace-minus-40", "keep-littleton-aerospace-minus-40")
    result = apply(case, scenario)
    assert len(result.options.force_states) == 8
    assert (
        result.case.fingerprint
        == apply(
            case, load_scenario(CASE / "scenarios" / "aerospace-minus-40.yaml")
        ).case.fingerprint
    )


@pytest.mark.parametrize("path", SWEEPS, ids=lambda p: p.stem)
def test_sweep_expands_and_every_scenario_applies_and_validates(case, path):
    sweep = load_sweep(path)
    scenarios = expand(sweep)
    assert len({s.name for s in scenarios}) == len(scenarios) >= 4
    applied = [apply(case, scenario) for scenario in scenarios]
    # validation takes a fifth of a second per scenario: check eight spread over the sweep
    step = max(1, len(applied) // 8)
    for result in applied[::step]:
        report = validate(result.case)
        assert report.ok, (result.scenario, [str(i) for i in report.errors])


def test_the_small_grid_has_8_to_16_scenarios_with_a_time_limit():
    sweep = load_sweep(CASE / "sweeps" / "aerospace-x-copper.yaml")
    scenarios = expand(sweep)
    assert 8 <= len(scenarios) <= 16
    assert scenarios[0].name == "aerospace=0.6,copper=1.0"
    assert sweep.solve.time_limit is not None


def test_the_monte_carlo_example_is_seeded():
    path = CASE / "sweeps" / "demand-and-metal-risk.yaml"
    assert [s.overrides for s in expand(path)] == [s.overrides for s in expand(path)]
