"""Many independent solves: the task list, and how a caller runs it.

An analysis that needs many solves (every plant's alternatives) describes them as tasks, each
``function(shared, *task)`` with a picklable result, and hands them to a :data:`Runner`. The
default runs them one after the other in this process; the CLI passes one that runs them on
Dask (``millnet.distributed``), a layer above this package. Either way a task that raises a
:class:`MillnetError` becomes a :class:`Failure` and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from millnet.case import Case
from millnet.errors import MillnetError
from millnet.schema import CaseMeta

#: ``on_progress(done, total, failures)`` after every finished task.
Progress = Callable[[int, int, int], None]
#: ``runner(function, shared, tasks, on_progress)`` → one result (or Failure) per task, in
#: task order.
Runner = Callable[
    [Callable[..., Any], object, Sequence[tuple[Any, ...]], Progress | None], list[Any]
]


@dataclass(frozen=True, eq=False)
class PortableCase:
    """A case as plain data, to send to worker processes (a :class:`Case` holds read-only
    mappings, which the standard pickle cannot carry)."""

    meta: CaseMeta | None
    tables: Mapping[str, pl.DataFrame]

    @classmethod
    def of(cls, case: Case) -> PortableCase:
        return cls(meta=case.meta, tables=dict(case.tables))

    def case(self) -> Case:
        return Case(meta=self.meta, tables=dict(self.tables))


@dataclass(frozen=True)
class Failure:
    """A task that raised instead of returning: which one and what it said."""

    task: tuple[Any, ...]
    message: str


def run_serial(
    function: Callable[..., Any],
    shared: object,
    tasks: Sequence[tuple[Any, ...]],
    on_progress: Progress | None = None,
) -> list[Any]:
    """Every task in this process, one after the other (the default :data:`Runner`)."""
    results: list[Any] = []
    failures = 0
    for task in tasks:
        try:
            results.append(function(shared, *task))
        except MillnetError as exc:
            results.append(Failure(task, exc.message))
            failures += 1
        if on_progress is not None:
            on_progress(len(results), len(tasks), failures)
    return results
