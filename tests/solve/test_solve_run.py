"""The solve phase: normalised outcomes, thread counts, stdout kept clean."""

from __future__ import annotations

import pytest

from millnet.case import load_example
from millnet.plan import solve_case
from millnet.solve.options import SolveOptions
from millnet.solve.status import Status

MINI_OPTIMUM = 13_142_943.500182966


@pytest.fixture(scope="module")
def mini():
    return load_example("mini")


def test_changing_the_thread_count_in_one_process_still_solves(mini):
    for threads in (None, 1, None, 2, 1):
        outcome = solve_case(
            mini, solve_options=SolveOptions(threads=threads), reference=False
        ).outcome
        assert outcome.status is Status.OPTIMAL
        assert outcome.objective == pytest.approx(MINI_OPTIMUM, rel=1e-9)


def test_a_time_limited_solve_runs_supervised_and_keeps_the_plan(mini):
    outcome = solve_case(mini, solve_options=SolveOptions(time_limit=30), reference=False).outcome
    assert outcome.status is Status.OPTIMAL
    assert outcome.objective == pytest.approx(MINI_OPTIMUM, rel=1e-9)
    assert not outcome.stopped_by_watchdog


def test_solver_output_never_reaches_stdout(mini, capfd):
    solve_case(mini, reference=False)
    out, _ = capfd.readouterr()
    assert out == ""


def test_unknown_solver_is_one_clear_error(mini):
    from millnet.errors import MillnetError

    with pytest.raises(MillnetError, match="solver 'nosuch' is not available"):
        solve_case(mini, solve_options=SolveOptions(solver="nosuch"), reference=False)
