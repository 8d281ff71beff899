"""results.collection on hand-made runs: stacked tables, exact state shares, percentiles of
total cost and the scenarios that flip each decision."""

from __future__ import annotations

import polars as pl
import pytest
from handmade import make_results

from millnet.errors import MillnetError
from millnet.results.collection import (
    cost_distribution,
    flips,
    runs_table,
    stack,
    state_shares,
    summarize,
    usual_plan,
)
from millnet.solve.status import Status


def run(name: str, p1_t1: str, p2_t1: str, cost: float):
    """P1 and P2 over T1 and T2; T2 is running for both in every run; T0 is history."""
    return make_results(
        scenario=name,
        history=[("P1", "T0", "idle"), ("P2", "T0", "idle")],
        states=[
            ("P1", "T1", p1_t1),
            ("P1", "T2", "running"),
            ("P2", "T1", p2_t1),
            ("P2", "T2", "running"),
        ],
        costs=[("fixed_running", "P1", "T1", cost)],
    )


RUNS = [
    run("s1", "running", "idle", 100.0),
    run("s2", "running", "idle", 200.0),
    run("s3", "running", "running", 300.0),
    run("s4", "idle", "running", 400.0),
    make_results(scenario="s5", status=Status.INFEASIBLE),
]


def test_stack_puts_scenario_first_and_keeps_run_order():
    stacked = stack(RUNS)
    states = stacked["plant_states"]
    assert states.columns[0] == "scenario"
    assert states["scenario"].unique(maintain_order=True).to_list() == ["s1", "s2", "s3", "s4"]
    assert states.height == 4 * 6
    assert stacked["runs"]["scenario"].to_list() == ["s1", "s2", "s3", "s4", "s5"]
    assert stacked["runs"]["status"].to_list() == ["optimal"] * 4 + ["infeasible"]
    assert stacked["runs"]["total_cost"].to_list() == [100.0, 200.0, 300.0, 400.0, None]


def test_stack_names_runs_without_scenario_and_refuses_duplicates():
    unnamed = [make_results(), make_results()]
    assert stack(unnamed)["runs"]["scenario"].to_list() == ["run 1", "run 2"]
    assert stack(unnamed, ["a", "b"])["runs"]["scenario"].to_list() == ["a", "b"]
    with pytest.raises(MillnetError, match="two runs are named 's1'"):
        stack([RUNS[0], RUNS[0]])
    with pytest.raises(MillnetError, match="1 names given for 2 runs"):
        stack(unnamed, ["a"])


def test_state_shares_count_planned_periods_of_runs_with_a_plan():
    shares = state_shares(stack(RUNS))
    assert shares.rows() == [
        ("P1", "T1", "running", 3, 0.75),
        ("P1", "T1", "idle", 1, 0.25),
        ("P1", "T2", "running", 4, 1.0),
        ("P2", "T1", "running", 2, 0.5),
        ("P2", "T1", "idle", 2, 0.5),
        ("P2", "T2", "running", 4, 1.0),
    ]


def test_usual_plan_takes_the_most_common_state_and_breaks_ties_by_state_order():
    usual = usual_plan(stack(RUNS))
    assert usual.select("plant", "period", "state").rows() == [
        ("P1", "T1", "running"),
        ("P1", "T2", "running"),
        ("P2", "T1", "running"),  # 2 running, 2 idle: running comes first
        ("P2", "T2", "running"),
    ]


def test_flips_name_the_scenarios_that_differ_from_the_usual_plan():
    assert flips(stack(RUNS)).rows() == [
        ("P1", "T1", "running", 0.75, "s4", "idle"),
        ("P2", "T1", "running", 0.5, "s1", "idle"),
        ("P2", "T1", "running", 0.5, "s2", "idle"),
    ]


def test_cost_distribution_percentiles_interpolate_linearly():
    cost = cost_distribution(runs_table(RUNS))
    # costs 100, 200, 300, 400: p10 = 100 + 0.3·100, p50 = 250, p90 = 300 + 0.7·100
    assert cost.row(0, named=True) == {
        "runs": 4,
        "min": 100.0,
        "p10": pytest.approx(130.0),
        "p50": pytest.approx(250.0),
        "p90": pytest.approx(370.0),
        "max": 400.0,
        "mean": 250.0,
    }


def test_cost_distribution_without_any_plan_is_null():
    cost = cost_distribution(runs_table([make_results(status=Status.INFEASIBLE)]))
    row = cost.row(0, named=True)
    assert row["runs"] == 0
    assert row["p50"] is None


def test_summarize_of_unanimous_runs_has_no_flips():
    summary = summarize([run("a", "running", "idle", 1.0), run("b", "running", "idle", 3.0)])
    assert summary.flips.height == 0
    assert summary.states["share"].to_list() == [1.0] * 4
    assert summary.cost["p50"][0] == 2.0
    assert summary.runs.height == 2


def test_summarize_without_plans_gives_empty_tables_with_their_columns():
    summary = summarize([make_results(status=Status.INFEASIBLE, scenario="x")])
    assert summary.states.columns == ["plant", "period", "state", "runs", "share"]
    assert summary.flips.height == 0
    assert summary.usual.height == 0
    assert summary.states.schema["share"] == pl.Float64
