"""Sweeps on Dask: every scenario of a sweep solved on a local cluster of worker processes or
on an existing Dask cluster, results handed back (and saved) as they complete.

::

    from millnet.distributed import Task, run_sweep
    report = run_sweep(case, [Task("base"), Task("low", scenario)], workers=2, on_done=save)
"""

from millnet.distributed.cluster import ClusterError, open_client
from millnet.distributed.progress import SweepProgress
from millnet.distributed.sweep import Finished, SweepReport, run_sweep
from millnet.distributed.tasks import Done, Failed, Skipped, Task, solve_task

__all__ = [
    "ClusterError",
    "Done",
    "Failed",
    "Finished",
    "Skipped",
    "SweepProgress",
    "SweepReport",
    "Task",
    "open_client",
    "run_sweep",
    "solve_task",
]
