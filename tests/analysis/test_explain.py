"""Explaining a plant's state: each other state forced, costed and told in words, by hand.

The two-plant case (as in the formulation tests): 100 units for C1 in one period, price 10.
  A: runs for 1000 + 2 per unit, idles for 100 + 50 to idle; closing costs 1e6.
  B: runs for 1500 + 1 per unit, idles for 200 + 80 to idle; closing costs 1e6.
Plans: A runs, B idles = 1000 + 200 + 200 + 80 = 1480 (best); B runs, A idles = 1500 + 100 +
100 + 50 = 1750; both run = 2500 + 100 = 2600; A runs, B closed = 1000 + 200 + 1e6.
"""

from __future__ import annotations

import polars as pl
import pytest
from tiny_cases import demand, plant, tiny_case

from millnet.analysis.explain import (
    candidate_states,
    explain_all_plants,
    explain_plant,
    forced_options,
    solve_forced,
    state_summary,
)
from millnet.analysis.parallel import Failure, run_serial
from millnet.case import load_example
from millnet.errors import MillnetError
from millnet.model.options import ModelOptions


@pytest.fixture(scope="module")
def two_plants():
    return tiny_case(
        [
            plant("A", fixed_cost_running=1000, fixed_cost_idle=100, cost_to_idle=50,
                  cost_to_close=1e6, variable=2),
            plant("B", fixed_cost_running=1500, fixed_cost_idle=200, cost_to_idle=80,
                  cost_to_close=1e6, variable=1),
        ],
        [demand("C1", "P1", 100)],
    )  # fmt: skip


@pytest.fixture(scope="module")
def explained_b(two_plants):
    return explain_plant(two_plants, "B")


def deltas(alternative) -> dict[tuple[str, str], float]:
    return {
        (r["term"], r["scope"]): r["delta"]
        for r in alternative.drivers.iter_rows(named=True)
        if abs(r["delta"]) > 1e-9
    }


def test_keeping_an_idle_plant_running_costs_the_gap_to_the_next_plan(explained_b):
    e = explained_b
    assert e.objective == pytest.approx(1480)
    assert e.optimal_states == ("idle",)
    assert e.skipped == (("idle", "the optimal plan already has it idle throughout"),)
    running = e.alternative("running")
    # forced running, B takes the demand and A idles: 1750 − 1480 = 270 (18.24 %)
    assert running.objective == pytest.approx(1750)
    assert running.delta == pytest.approx(270)
    assert running.delta_pct == pytest.approx(100 * 270 / 1480)
    assert deltas(running) == pytest.approx(
        {
            ("fixed_running", "plant"): 1500,
            ("fixed_idle", "plant"): -200,
            ("idle", "plant"): -80,
            ("fixed_running", "other plants"): -1000,
            ("fixed_idle", "other plants"): 100,
            ("idle", "other plants"): 50,
            ("variable", "network"): -100,
        }
    )
    assert sum(deltas(running).values()) == pytest.approx(running.delta)
    assert running.state_changes.to_dicts() == [
        {"plant": "A", "period": "P1", "optimal": "running", "alternative": "idle"}
    ]
    assert running.moves.select("customer", "from_plant", "to_plant", "quantity").to_dicts() == [
        {"customer": "C1", "from_plant": "A", "to_plant": "B", "quantity": pytest.approx(100)}
    ]
    assert running.unmet_change == 0.0
    assert running.requalifications.height == 0


def test_the_reason_weighs_the_plant_costs_against_what_they_save(explained_b):
    running = explained_b.alternative("running")
    assert running.reason == (
        "keeping B running costs USD 270 more in P1 (18.2 %): its fixed and transition costs "
        "of USD 1,220 outweigh USD 850 of other plants' fixed and transition costs saved and "
        "USD 100 of variable cost saved. Also: A idle instead of running in P1; 1 demand row "
        "changes plant (100 lb)."
    )


def test_closing_costs_the_closure(explained_b):
    closed = explained_b.alternative("closed")
    # A runs as before, B pays 1e6 to close instead of 200 + 80 idle: 1e6 − 280
    assert closed.delta == pytest.approx(1e6 - 280)
    assert closed.state_changes.height == 0
    assert closed.moves.height == 0
    assert closed.reason.startswith(
        "closing B costs USD 1.0 M more in P1 (67548.6 %): it adds USD 1.0 M to its fixed and "
        "transition costs."
    )


def test_idling_the_running_plant(two_plants):
    e = explain_plant(two_plants, "A")
    idle = e.alternative("idle")
    assert idle.delta == pytest.approx(1750 - 1480)
    assert idle.state_changes.to_dicts() == [
        {"plant": "B", "period": "P1", "optimal": "idle", "alternative": "running"}
    ]
    # A saves 1000 − 150 of its own; B's costs rise by 1500 − 280; variable falls by 100
    assert idle.reason.startswith(
        "idling A costs USD 270 more in P1 (18.2 %): USD 1,220 more in other plants' fixed "
        "and transition costs outweighs USD 850 of its fixed and transition costs saved and "
        "USD 100 of variable cost saved."
    )


def test_an_alternative_with_no_plan_says_why(two_plants):
    # at most 0 plants idle: forcing B idle leaves no plan
    e = explain_plant(two_plants, "A", ModelOptions(max_idle=0))
    assert e.optimal_states == ("running",)
    idle = e.alternative("idle")
    assert not idle.feasible
    assert idle.status == "infeasible"
    assert idle.reason.startswith("idling A leaves no feasible plan: ")
    assert "limits on idle or closed plants" in idle.reason


def test_which_states_are_tried():
    options = ModelOptions()
    assert candidate_states("running", ("running", "running"), options) == (
        ["idle", "closed"],
        [("running", "the optimal plan already has it running throughout")],
    )
    # a plant that idles part of the horizon: running and idle throughout are both alternatives
    assert candidate_states("running", ("running", "idle"), options)[0] == [
        "running",
        "idle",
        "closed",
    ]
    tried, skipped = candidate_states("running", ("idle",), ModelOptions(forbid_closures=True))
    assert tried == ["running"]
    assert ("closed", "closures are forbidden") in skipped
    tried, skipped = candidate_states("closed", ("closed",), options)
    assert tried == []
    assert {s for s, _ in skipped} == {"running", "idle", "closed"}


def test_forced_options_replace_the_plant_own_forced_states():
    options = ModelOptions(force_states=(("A", "P1", "idle"), ("B", "P1", "running")))
    forced = forced_options(options, "A", "closed", ("P1", "P2"))
    assert forced.force_states == (
        ("B", "P1", "running"),
        ("A", "P1", "closed"),
        ("A", "P2", "closed"),
    )


def test_state_summary():
    assert state_summary(("P1", "P2"), ("idle", "idle")) == "idle"
    assert state_summary(("P1", "P2", "P3"), ("running", "idle", "idle")) == (
        "running P1, idle P2–P3"
    )


def test_unknown_plant_names_the_closest(two_plants):
    with pytest.raises(MillnetError, match=r"unknown plant 'b'; did you mean 'B'\?"):
        explain_plant(two_plants, "b")
    with pytest.raises(MillnetError, match="unknown plant 'zzz'; expected one of A, B"):
        explain_plant(two_plants, "zzz")


def test_all_plants_in_this_process(two_plants):
    seen: list[tuple[int, int, int]] = []
    totals: list[int] = []
    result = explain_all_plants(
        two_plants, on_start=totals.append, on_progress=lambda *a: seen.append(a)
    )
    assert totals == [4]
    assert seen[-1] == (4, 4, 0)
    by_plant = {p.plant: p for p in result.plants}
    assert by_plant["A"].alternative("idle").delta == pytest.approx(270)
    assert by_plant["B"].alternative("running").delta == pytest.approx(270)
    assert by_plant["B"].alternative("closed").delta == pytest.approx(1e6 - 280)
    document = result.to_json()
    assert document["objective"] == pytest.approx(1480)
    assert [p["plant"] for p in document["plants"]] == ["A", "B"]


def test_a_failed_task_is_reported_and_the_others_go_on(two_plants):
    def flaky(shared, plant, state, *rest):
        if (plant, state) == ("A", "closed"):
            raise MillnetError("the solver ran out of patience")
        return solve_forced(shared, plant, state, *rest)

    def runner(function, shared, tasks, on_progress):
        return run_serial(flaky, shared, tasks, on_progress)

    result = explain_all_plants(two_plants, runner=runner)
    a = next(p for p in result.plants if p.plant == "A")
    assert a.failures == (("closed", "the solver ran out of patience"),)
    assert a.alternative("idle").delta == pytest.approx(270)
    assert result.failures == 1


def test_run_serial_turns_user_errors_into_failures():
    def task(shared, value):
        if value < 0:
            raise MillnetError(f"negative {value}")
        return shared + value

    assert run_serial(task, 10, [(1,), (-2,), (3,)]) == [11, Failure((-2,), "negative -2"), 13]


def test_mini_drivers_add_up_to_the_delta():
    case = load_example("mini")
    e = explain_plant(case, "littleton-nh")
    assert e.optimal_summary == "running"
    for alt in e.alternatives:
        assert alt.feasible
        assert alt.drivers["delta"].sum() == pytest.approx(alt.delta, rel=1e-6)
        assert alt.delta > 0
        # littleton is the one plant qualified for silver-plated wire in 2009Q1
        assert alt.unmet_change > 0
        assert "more demand unmet" in alt.reason
        assert alt.reason.startswith(
            {"idle": "idling littleton-nh", "closed": "closing littleton-nh"}[alt.state]
        )
    assert set(e.alternatives[0].utilisation.columns) == {
        "plant",
        "resource",
        "optimal",
        "alternative",
        "change",
    }
    assert e.to_json()["alternatives"][0]["moved_rows"] == e.alternatives[0].moves.height
    assert isinstance(e.alternatives[0].drivers, pl.DataFrame)


def test_only_the_states_asked_for(two_plants):
    e = explain_plant(two_plants, "B", states=["closed", "idle"])
    assert [a.state for a in e.alternatives] == ["closed"]
    assert e.skipped == (("idle", "the optimal plan already has it idle throughout"),)
    with pytest.raises(MillnetError, match=r"unknown state 'runing'; did you mean 'running'\?"):
        explain_plant(two_plants, "B", states=["runing"])
    result = explain_all_plants(two_plants, states=["idle"])
    assert [(p.plant, [a.state for a in p.alternatives]) for p in result.plants] == [
        ("A", ["idle"]),
        ("B", []),
    ]
