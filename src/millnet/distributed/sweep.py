"""Run a sweep's tasks on Dask and hand each finished run to the caller as it completes.

The client scatters the case to every worker once, submits one task per scenario and consumes
results in completion order (``as_completed``). Each finished run is passed to ``on_done`` right
away, in the client process, before the next one is looked at: a caller that saves it there
(one transaction per run) loses no finished run when the sweep is stopped, however it is
stopped. A failed scenario is reported and the sweep goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence, Set
from dataclasses import dataclass
from typing import Any

from millnet.case import Case
from millnet.distributed.cluster import open_client
from millnet.distributed.progress import SweepProgress
from millnet.distributed.tasks import (
    Done,
    Failed,
    Skipped,
    StoredKeys,
    Task,
    TaskOutcome,
    solve_task,
)
from millnet.errors import UsageError
from millnet.model.options import ModelOptions
from millnet.solve.options import SolveOptions
from millnet.solve.start import MipStart, start_from_tables

#: ``on_done(done)`` is called for every solved run, in the client, as it completes; what it
#: returns (e.g. the run id it was saved under) is kept in the report.
OnDone = Callable[[Done], str | None]


@dataclass(frozen=True)
class Finished:
    """A solved run as the report lists it."""

    name: str
    key: str
    status: str
    objective: float | None
    seconds: float
    #: What ``on_done`` returned (the run's id in the store).
    saved_as: str | None = None


@dataclass(frozen=True)
class SweepReport:
    """What a sweep did: runs solved (with or without a plan), skipped and failed, and how
    long it took from the first submission to the last result."""

    finished: tuple[Finished, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    failed: tuple[Failed, ...] = ()
    seconds: float = 0.0
    workers: int = 0

    @property
    def total(self) -> int:
        return len(self.finished) + len(self.skipped) + len(self.failed)


def check_tasks(tasks: Sequence[Task]) -> None:
    """Scenario names key the runs of a sweep: they must be unique."""
    seen: set[str] = set()
    for task in tasks:
        if task.name in seen:
            raise UsageError(
                f"two scenarios of the sweep are named '{task.name}'; names must be unique"
            )
        seen.add(task.name)


def run_sweep(
    case: Case,
    tasks: Sequence[Task],
    *,
    model_options: ModelOptions | None = None,
    solve_options: SolveOptions | None = None,
    workers: int = 2,
    scheduler: str | None = None,
    stored_keys: Set[str] = frozenset(),
    reference: bool = False,
    duals: bool = False,
    on_done: OnDone | None = None,
    progress: SweepProgress | None = None,
    warm_start: bool = True,
) -> SweepReport:
    """Solve every task on a local cluster of ``workers`` processes (or on the cluster at
    ``scheduler``), skipping those whose run key is in ``stored_keys``. ``reference`` also
    solves each scenario with every plant running (savings, customer moves) and ``duals``
    prices its capacity; both are off by default, as a sweep compares plans and each costs
    more solves per scenario. With ``warm_start`` the first scenario is solved first and its
    plan is the MIP start of every other scenario (see :mod:`millnet.solve.start`).

    ``on_done`` runs in this process for each solved run as it completes. Ctrl-C stops the
    sweep: the cluster is shut down and the interruption propagates (runs already handed to
    ``on_done`` are kept by the caller)."""
    check_tasks(tasks)
    model_options = model_options or ModelOptions()
    solve_options = solve_options or SolveOptions()
    progress = progress or SweepProgress(len(tasks), show=False)
    finished: list[Finished] = []
    skipped: list[Skipped] = []
    failed: list[Failed] = []
    start = time.perf_counter()
    if not tasks:
        return SweepReport(seconds=0.0, workers=0)
    with open_client(workers, scheduler) as client, progress:
        n_workers = len(client.scheduler_info(n_workers=-1).get("workers", {})) or workers
        shared_case = client.scatter(case, broadcast=True, hash=False)
        # wrapped: Dask would scatter a bare set item by item
        shared_keys = client.scatter(StoredKeys(frozenset(stored_keys)), broadcast=True, hash=False)

        def submit(index: int, task: Task, start: object = None) -> object:
            return client.submit(
                solve_task,
                shared_case,
                task,
                model_options,
                solve_options,
                shared_keys,
                reference,
                duals,
                start,
                key=f"millnet-{index}-{task.name}",
                pure=False,
                retries=0,
            )

        first: list[TaskOutcome] = []
        shared_start = None
        rest = list(enumerate(tasks))
        if warm_start and len(tasks) > 1:
            # the first scenario's plan starts every other solve: solved alone, then shipped
            # to every worker once
            first = [_outcome(submit(0, tasks[0]), tasks[0])]
            rest = rest[1:]
            plan_start = _start_of(first[0])
            if plan_start is not None:
                shared_start = client.scatter(plan_start, broadcast=True, hash=False)
        futures = {submit(index, task, shared_start): task for index, task in rest}
        for outcome in _completed(first, futures):
            if isinstance(outcome, Done):
                saved = on_done(outcome) if on_done is not None else None
                results = outcome.results
                finished.append(
                    Finished(
                        outcome.name,
                        outcome.key,
                        results.outcome.status.value,
                        results.outcome.objective,
                        outcome.seconds,
                        saved,
                    )
                )
                message = "" if results.outcome.status.has_plan else results.outcome.termination
                progress.done(outcome.name, message)
            elif isinstance(outcome, Skipped):
                skipped.append(outcome)
                progress.skip(outcome.name)
            else:
                failed.append(outcome)
                progress.fail(outcome.name, outcome.message)
    return SweepReport(
        finished=tuple(finished),
        skipped=tuple(skipped),
        failed=tuple(failed),
        seconds=time.perf_counter() - start,
        workers=n_workers,
    )


def _start_of(outcome: TaskOutcome) -> MipStart | None:
    """The MIP start of a solved run's plan (None: no plan to start from)."""
    if not isinstance(outcome, Done) or not outcome.results.outcome.status.has_plan:
        return None
    start = start_from_tables(outcome.results.tables, source=outcome.name)
    return start if len(start) else None


def _completed(first: list[TaskOutcome], futures: dict[Any, Task]) -> Iterator[TaskOutcome]:
    """``first``, then each future's outcome in completion order (released once read)."""
    from distributed import as_completed

    yield from first
    for future in as_completed(futures):
        outcome = _outcome(future, futures[future])
        future.release()
        yield outcome


def _outcome(future: object, task: Task) -> TaskOutcome:
    """The task's own outcome, or a failure in words when its worker died or was lost."""
    from distributed import CancelledError

    try:
        return future.result()  # type: ignore[attr-defined, no-any-return]
    except CancelledError:
        return Failed(task.name, "cancelled: the cluster stopped before it ran", "worker")
    except Exception as exc:  # KilledWorker, a lost connection: the task never answered
        kind = type(exc).__name__
        if kind == "KilledWorker":
            message = "its worker process died while solving it (out of memory?)"
        else:
            message = f"{kind}: {exc}"
        return Failed(task.name, message, "worker")
