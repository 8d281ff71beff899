"""One task of a sweep: apply one scenario to the case and solve it, on a worker.

The task never raises for a user mistake or a failed solve: it returns what happened
(:class:`Done`, :class:`Skipped` or :class:`Failed`), so one bad scenario is reported in words
and the sweep goes on. The case arrives once per worker (scattered by the client), not once
per task.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import time
import traceback
from collections.abc import Set
from dataclasses import dataclass

from millnet.case import Case
from millnet.errors import MillnetError
from millnet.model.options import ModelOptions
from millnet.results.results import Results
from millnet.scenario import Scenario, apply
from millnet.solve.options import SolveOptions
from millnet.solve.start import MipStart
from millnet.store.keys import task_key

#: Why a time limit cannot be kept on a cluster whose workers are daemonic processes.
DAEMONIC_WORKER = (
    "a time limit is kept by solving in a supervised child process, and this cluster's workers "
    "are daemonic processes, which may not start one; start the workers with the Dask setting "
    "distributed.worker.daemon: false (e.g. DASK_DISTRIBUTED__WORKER__DAEMON=False in their "
    "environment), or sweep on a local cluster (--workers N)"
)


@dataclass(frozen=True)
class Task:
    """Solve ``scenario`` (None: the case as it is) under the name ``name``."""

    name: str
    scenario: Scenario | None = None


@dataclass(frozen=True, eq=False)
class Done:
    """A solved scenario (with or without a plan: the outcome says which)."""

    name: str
    key: str
    results: Results
    seconds: float


@dataclass(frozen=True)
class Skipped:
    """A scenario whose run key the store already holds (``--resume``)."""

    name: str
    key: str


@dataclass(frozen=True)
class Failed:
    """A scenario that could not be solved, and why in words."""

    name: str
    message: str
    #: ``scenario``: the scenario does not fit the case or gives an invalid case (a user
    #: mistake); ``worker``: the worker died or was lost; ``error``: anything else (a bug).
    kind: str = "scenario"


TaskOutcome = Done | Skipped | Failed


@dataclass(frozen=True)
class StoredKeys:
    """Run keys already in the store (``--resume``), sent to every worker once."""

    keys: frozenset[str] = frozenset()

    def __contains__(self, key: object) -> bool:
        return key in self.keys


def solve_task(
    case: Case,
    task: Task,
    model_options: ModelOptions,
    solve_options: SolveOptions,
    stored_keys: StoredKeys | Set[str] = frozenset(),
    reference: bool = False,
    duals: bool = False,
    mip_start: MipStart | None = None,
) -> TaskOutcome:
    """Apply the task's scenario to ``case``, skip it when its run key is in ``stored_keys``,
    else solve it (``reference``, ``duals`` and the start ``mip_start`` as in
    :func:`millnet.plan.solve_case`). Results carry the scenario name."""
    from millnet.plan import solve_case

    start = time.perf_counter()
    if solve_options.time_limit is not None and multiprocessing.current_process().daemon:
        return Failed(task.name, DAEMONIC_WORKER, "worker")
    try:
        if task.scenario is None:
            planned, options = case, model_options
        else:
            applied = apply(case, task.scenario, model_options)
            planned, options = applied.case, applied.options
        key = task_key(planned.fingerprint, task.name, options, solve_options)
        if key in stored_keys:
            return Skipped(task.name, key)
        results = solve_case(
            planned, options, solve_options, reference=reference, duals=duals, start=mip_start
        )
    except MillnetError as exc:
        return Failed(task.name, exc.message, "scenario")
    except Exception as exc:  # a bug must not stop the other scenarios; it is reported
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Failed(
            task.name,
            f"{type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})",
            "error",
        )
    results = dataclasses.replace(results, scenario=task.name)
    return Done(task.name, key, results, time.perf_counter() - start)
