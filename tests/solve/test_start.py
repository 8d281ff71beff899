"""MIP starts: a known plan's decisions speed a solve up and never change its answer."""

from __future__ import annotations

import pytest

from formulation.tiny_cases import demand, plant, states, tiny_case
from millnet.model.build import build
from millnet.model.data import prepare
from millnet.model.options import ModelOptions
from millnet.plan import solve_case
from millnet.solve.options import SolveOptions
from millnet.solve.start import MipStart, start_columns, start_from_tables
from millnet.solve.status import Status

#: HiGHS's log line when it takes a start as its first incumbent.
USED = "MIP start solution is feasible"


def _plants() -> list[dict]:
    # A is cheaper to run; B is needed once demand exceeds A's capacity of 100
    return [
        plant("A", capacity=100, fixed_cost_running=1000, fixed_cost_idle=100, cost_to_close=1e3),
        plant("B", capacity=100, fixed_cost_running=1500, fixed_cost_idle=100, cost_to_close=1e3),
    ]


def _base():
    return tiny_case(_plants(), [demand("C1", "P1", 80), demand("C1", "P2", 80)], periods=2)


def _grown():
    """The base case with a second customer in P2: B must run there."""
    return tiny_case(
        _plants(),
        [demand("C1", "P1", 80), demand("C1", "P2", 80), demand("C2", "P2", 60)],
        periods=2,
    )


def _solve(case, options=None, solve=None, start=None):
    return solve_case(case, options, solve, reference=False, duals=False, start=start)


def test_start_from_a_plan_takes_its_planned_states():
    base = _solve(_base())
    start = start_from_tables(base.tables, source="base")
    assert start.states == (
        ("A", "P1", "running"),
        ("A", "P2", "running"),
        ("B", "P1", "idle"),
        ("B", "P2", "idle"),
    )
    assert start.qualified == ()
    assert start.source == "base"
    assert len(start) == 4


def test_a_start_from_another_plan_gives_the_cold_optimum(capfd):
    start = start_from_tables(_solve(_base()).tables)
    cold = _solve(_grown())
    capfd.readouterr()
    warm = _solve(_grown(), solve=SolveOptions(log=True), start=start)
    _, err = capfd.readouterr()
    assert USED in err
    # hand-computed: A runs both periods (2000), B idles in P1 (100) and runs in P2 (1500);
    # B's restart and idling cost nothing; everything is shipped at zero variable cost
    assert cold.outcome.objective == pytest.approx(3601.0)
    assert warm.outcome.status is Status.OPTIMAL
    assert warm.outcome.objective == pytest.approx(cold.outcome.objective)
    assert states(warm) == states(cold) == {"A": ("running", "running"), "B": ("idle", "running")}


def test_an_infeasible_start_is_ignored(capfd):
    # at most no plant closed: a start closing every plant cannot be completed
    closing = MipStart(states=tuple((p, t, "closed") for p in "AB" for t in ("P1", "P2")))
    options = ModelOptions(max_closed=0)
    cold = _solve(_base(), options)
    capfd.readouterr()
    warm = _solve(_base(), options, SolveOptions(log=True), start=closing)
    _, err = capfd.readouterr()
    assert USED not in err
    assert warm.outcome.status is Status.OPTIMAL
    # A runs both periods (2000) and B idles (1 to idle + 100 a period)
    assert warm.outcome.objective == pytest.approx(cold.outcome.objective) == pytest.approx(2201.0)
    assert states(warm) == {"A": ("running", "running"), "B": ("idle", "idle")}


def test_entries_naming_plants_or_periods_the_case_lacks_are_left_out():
    built = build(prepare(_base()))
    start = MipStart(
        states=(
            ("A", "P1", "running"),
            ("A", "P9", "running"),  # no such period
            ("Z", "P1", "idle"),  # no such plant
            ("B", "P2", "idle"),
        )
    )
    index, value = start_columns(built, start)
    # two cells, three state columns each; one of each trio set
    assert index.size == 6
    assert sorted(value.tolist()) == [0, 0, 0, 0, 1, 1]
    result = _solve(_base(), start=start)
    assert result.outcome.status is Status.OPTIMAL
    assert result.outcome.objective == pytest.approx(2201.0)


def test_a_cell_whose_start_state_a_bound_forbids_is_left_out():
    built = build(prepare(_base(), ModelOptions(forbid_closures=True)))
    start = MipStart(states=(("A", "P1", "closed"), ("B", "P1", "idle")))
    index, _ = start_columns(built, start)
    assert index.size == 3  # B's cell only


def test_an_unknown_state_is_refused():
    with pytest.raises(ValueError, match="expected one of running, idle, closed"):
        MipStart(states=(("A", "P1", "open"),))


def test_the_supervised_time_limited_solve_uses_the_start_too(capfd):
    start = start_from_tables(_solve(_base()).tables)
    capfd.readouterr()
    warm = _solve(_grown(), solve=SolveOptions(time_limit=30, log=True), start=start)
    _, err = capfd.readouterr()
    assert USED in err
    assert warm.outcome.status is Status.OPTIMAL
    assert warm.outcome.objective == pytest.approx(3601.0)
    assert states(warm) == {"A": ("running", "running"), "B": ("idle", "running")}


def test_the_start_is_not_part_of_the_options_a_run_records():
    start = MipStart(states=(("A", "P1", "running"),))
    options = SolveOptions(gap=0.01, start=start)
    assert options.start is start
    assert "start" not in options.model_dump()
    result = _solve(_base(), solve=options)
    assert "start" not in result.options
    assert result.options["gap"] == 0.01


def test_a_sweep_task_solves_from_the_start_it_is_given():
    from millnet.distributed.sweep import _start_of
    from millnet.distributed.tasks import Done, Failed, Task, solve_task

    first = solve_task(_base(), Task("base"), ModelOptions(), SolveOptions())
    assert isinstance(first, Done)
    start = _start_of(first)
    assert start is not None
    assert start.source == "base"
    assert ("B", "P2", "idle") in start.states
    warm = solve_task(_grown(), Task("grown"), ModelOptions(), SolveOptions(), mip_start=start)
    assert isinstance(warm, Done)
    assert warm.results.outcome.objective == pytest.approx(3601.0)
    assert _start_of(Failed("bad", "no such plant")) is None
