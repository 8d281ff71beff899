"""A Dask client for a sweep: a local cluster of single-threaded worker processes, or an
existing scheduler, opened quietly and always shut down.

A solve is one native HiGHS call that holds its core, so a worker runs one task at a time
(``threads_per_worker=1``) in its own process (``processes=True``): N workers solve N scenarios
side by side without sharing an interpreter lock. Dask's own logging and warnings stay off the
user's screen unless they report an error; millnet says what happened in its own words.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

from millnet.errors import MillnetError, UsageError

if TYPE_CHECKING:
    from distributed import Client

#: Loggers of the Dask stack (client, scheduler, nanny, worker, comm, tornado underneath).
DASK_LOGGERS = ("distributed", "dask", "tornado", "bokeh", "asyncio")
#: Seconds to wait for an existing scheduler before saying it cannot be reached.
CONNECT_TIMEOUT_S = 10.0
#: Seconds a worker busy in the solver gets to stop before its nanny ends it.
CLOSE_TIMEOUT_S = 5.0


class ClusterError(MillnetError):
    """The cluster could not be started or reached (CLI exit code 1)."""


@contextlib.contextmanager
def quiet_dask() -> Iterator[None]:
    """Dask's loggers at ERROR and its warnings ignored, for the duration; restored after."""
    loggers = [logging.getLogger(name) for name in DASK_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            for module in ("distributed", "dask", "tornado", "bokeh"):
                warnings.filterwarnings("ignore", module=module)
            # a lost connection at shutdown is reported as an unclosed socket or transport
            warnings.filterwarnings("ignore", category=ResourceWarning)
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _dask_config() -> dict[str, object]:
    return {
        # a worker's solve with a time limit runs in a supervised child process, which a
        # daemonic process may not start
        "distributed.worker.daemon": False,
        # a worker holds one case and one model; spilling to disk would only slow it down
        "distributed.worker.memory.spill": False,
        # a long native solve blocks a worker's event loop by design; not worth a warning
        "distributed.admin.tick.limit": "1h",
        # tasks wait at the scheduler, not in a worker's queue: a lost worker loses one task
        "distributed.scheduler.worker-saturation": 1.0,
    }


@contextlib.contextmanager
def open_client(workers: int = 2, scheduler: str | None = None) -> Iterator[Client]:
    """A client on a new local cluster of ``workers`` processes, or on the scheduler at
    ``scheduler`` (``tcp://host:8786``). The local cluster is shut down on leaving, also on
    Ctrl-C or an error; an existing cluster is only disconnected from."""
    if scheduler is None and workers < 1:
        raise UsageError(f"--workers {workers}: expected 1 or more worker processes")
    import dask
    from distributed import Client, LocalCluster

    with quiet_dask(), dask.config.set(_dask_config()):
        cluster = None
        try:
            if scheduler is None:
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                client = Client(cluster)
            else:
                client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except OSError as exc:
            if cluster is not None:
                cluster.close(timeout=CLOSE_TIMEOUT_S)
            where = f"the scheduler at {scheduler}" if scheduler else "a local cluster"
            raise ClusterError(f"cannot start or reach {where}: {exc}") from exc
        try:
            yield client
        finally:
            _close(client, cluster)


def _close(client: Client, cluster: object | None) -> None:
    """Shut down in order: the client first (no more results wanted), then the cluster. A
    second Ctrl-C while closing still closes the cluster, so no worker outlives the sweep."""
    try:
        client.close(timeout=CLOSE_TIMEOUT_S)
    except (OSError, TimeoutError, KeyboardInterrupt):
        pass
    finally:
        if cluster is not None:
            try:
                cluster.close(timeout=CLOSE_TIMEOUT_S)  # type: ignore[attr-defined]
            except KeyboardInterrupt:
                cluster.close(timeout=CLOSE_TIMEOUT_S)  # type: ignore[attr-defined]
