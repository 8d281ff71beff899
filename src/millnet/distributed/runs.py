"""A sweep's runs as saved in the run store: the newest run of each scenario.

A resumed or repeated sweep saves a scenario more than once; its summary takes the newest run of
each, in the order the scenarios were first solved. Shared by ``millnet sweep-summary`` and the
web app.
"""

from __future__ import annotations

from millnet.errors import MillnetError
from millnet.results.results import Results
from millnet.store import RunInfo, Store


def latest_runs(store: Store, sweep: str) -> list[RunInfo]:
    """The newest run of each scenario of ``sweep``, oldest scenario first; raises
    :class:`MillnetError` naming the sweeps the store holds when it has none of this one."""
    infos = store.list(sweep=sweep)
    if not infos:
        known = sorted({i.sweep for i in store.list() if i.sweep})
        hint = f"; sweeps in the store: {', '.join(known)}" if known else "; it holds no sweep"
        raise MillnetError(f"no runs of sweep '{sweep}' in store {store.display}{hint}")
    newest: dict[str, RunInfo] = {}
    for info in infos:  # newest first
        newest.setdefault(info.scenario or info.id, info)
    return sorted(newest.values(), key=lambda i: (i.created_at, i.id))


def sweep_results(store: Store, sweep: str) -> list[Results]:
    """The Results of :func:`latest_runs`, each with its scenario name and run id."""
    return [store.load(info.id) for info in latest_runs(store, sweep)]
