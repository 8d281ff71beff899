"""One task of a sweep, run in this process: solved, skipped on resume, or failed in words."""

from __future__ import annotations

import pytest

import millnet
from millnet.distributed import Done, Failed, Skipped, Task, solve_task
from millnet.distributed.sweep import check_tasks
from millnet.errors import UsageError
from millnet.model.options import ModelOptions
from millnet.plan import solve_case
from millnet.scenario import apply, parse_scenario
from millnet.solve.options import SolveOptions
from millnet.store.keys import results_key

LOW = parse_scenario("name: low\noverrides:\n  - {kind: scale_demand, factor: 0.5}\n", "low.yaml")
GHOST = parse_scenario(
    "name: ghost\noverrides:\n  - {kind: scale_demand, customers: [nobody], factor: 0.5}\n",
    "ghost.yaml",
)


@pytest.fixture(scope="module")
def mini():
    return millnet.load_example("mini")


def test_a_task_solves_the_scenario_and_names_the_results(mini):
    outcome = solve_task(mini, Task("low", LOW), ModelOptions(), SolveOptions(), reference=False)
    assert isinstance(outcome, Done)
    assert outcome.results.scenario == "low"
    applied = apply(mini, LOW)
    local = solve_case(applied.case, applied.options, SolveOptions(), reference=False)
    assert outcome.results.outcome.objective == pytest.approx(local.outcome.objective, rel=1e-9)
    assert outcome.results.case_fingerprint == applied.case.fingerprint
    # the key the task computes before solving is the key the store gives the saved run
    assert outcome.key == results_key(outcome.results)


def test_a_task_whose_key_is_stored_is_skipped_without_solving(mini, monkeypatch):
    done = solve_task(mini, Task("low", LOW), ModelOptions(), SolveOptions(), reference=False)
    assert isinstance(done, Done)

    def no_solve(*args, **kwargs):
        raise AssertionError("a stored run must not be solved again")

    monkeypatch.setattr("millnet.plan.solve_case", no_solve)
    again = solve_task(
        mini, Task("low", LOW), ModelOptions(), SolveOptions(), {done.key}, reference=False
    )
    assert again == Skipped("low", done.key)


def test_a_scenario_that_does_not_fit_the_case_fails_in_words(mini):
    outcome = solve_task(mini, Task("ghost", GHOST), ModelOptions(), SolveOptions())
    assert isinstance(outcome, Failed)
    assert outcome.kind == "scenario"
    assert "ghost.yaml" in outcome.message
    assert "unknown customer 'nobody'" in outcome.message


def test_an_unexpected_error_is_reported_not_raised(mini, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("solver library missing")

    monkeypatch.setattr("millnet.plan.solve_case", broken)
    outcome = solve_task(mini, Task("base"), ModelOptions(), SolveOptions())
    assert isinstance(outcome, Failed)
    assert outcome.kind == "error"
    assert outcome.message.startswith("RuntimeError: solver library missing (at ")


def test_scenario_names_of_a_sweep_must_be_unique():
    with pytest.raises(UsageError, match="two scenarios of the sweep are named 'low'"):
        check_tasks([Task("low", LOW), Task("low")])


def test_a_time_limit_on_a_daemonic_worker_fails_with_the_remedy(mini, monkeypatch):
    class Daemonic:
        daemon = True

    monkeypatch.setattr("multiprocessing.current_process", lambda: Daemonic())
    outcome = solve_task(mini, Task("base"), ModelOptions(), SolveOptions(time_limit=5))
    assert isinstance(outcome, Failed)
    assert outcome.kind == "worker"
    assert "distributed.worker.daemon: false" in outcome.message
