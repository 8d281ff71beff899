"""Background jobs: solves in a process pool, sweeps on Dask, each with a record on disk.

A job's record (``jobs/<id>.json`` in the workspace) is the only state a page reads: it is
written atomically by whoever does the work (the server when queuing, the worker process while
running), so progress survives a page reload and a server restart. Records still queued or
running when the server starts belonged to a server that stopped; they are marked failed in
words rather than left spinning forever.
"""

from __future__ import annotations

import fcntl
import json
import multiprocessing
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from millnet.web.workspace import NotFoundError, check_id

JobKind = Literal["solve", "sweep"]
JobState = Literal["queued", "running", "done", "failed", "cancelled"]
FINISHED: frozenset[str] = frozenset({"done", "failed", "cancelled"})


@dataclass(frozen=True)
class Job:
    id: str
    kind: JobKind
    title: str
    case_id: str
    state: JobState = "queued"
    params: dict[str, Any] = field(default_factory=dict)
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    #: What is happening now, in words.
    message: str = "waiting for a free worker"
    done: int = 0
    total: int = 1
    failed: int = 0
    run_ids: tuple[str, ...] = ()
    #: Why the job failed, in words (also per scenario for sweeps, in ``failures``).
    error: str | None = None
    failures: tuple[dict[str, str], ...] = ()
    sweep: str | None = None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def elapsed(self) -> float:
        if self.started_at is None:
            return 0.0
        return (self.finished_at or time.time()) - self.started_at

    def to_json(self) -> dict[str, Any]:
        document = asdict(self)
        document["run_ids"] = list(self.run_ids)
        document["failures"] = list(self.failures)
        document["elapsed_s"] = round(self.elapsed, 1)
        return document

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> Job:
        known = {k: v for k, v in document.items() if k in cls.__dataclass_fields__}
        known["run_ids"] = tuple(known.get("run_ids", ()))
        known["failures"] = tuple(known.get("failures", ()))
        return cls(**known)


def new_job_id() -> str:
    """Sortable by creation time, unique without coordination."""
    return f"{int(time.time() * 1000):012x}-{secrets.token_hex(3)}"


class JobBook:
    """The job records of a workspace. Safe across threads and processes (a lock file per job
    guards each read-modify-write)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, job_id: str) -> Path:
        check_id(job_id, "job")
        return self.folder / f"{job_id}.json"

    @contextmanager
    def _locked(self, job_id: str) -> Iterator[None]:
        with (self.folder / f".{job_id}.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, job: Job) -> None:
        path = self._path(job.id)
        tmp = path.with_name(f".{job.id}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(job.to_json(), indent=2, default=str), encoding="utf-8")
        tmp.replace(path)

    def add(self, job: Job) -> Job:
        with self._locked(job.id):
            self._write(job)
        return job

    def get(self, job_id: str) -> Job:
        path = self._path(job_id)
        try:
            return Job.from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise NotFoundError(f"no job '{job_id}'") from None
        except (ValueError, TypeError) as exc:
            raise NotFoundError(f"job '{job_id}': its record is damaged ({exc})") from exc

    def update(self, job_id: str, **changes: Any) -> Job:
        """Change a record unless it is already finished (a late writer never revives it)."""
        with self._locked(job_id):
            job = self.get(job_id)
            if job.finished and changes.get("state") not in (None, job.state):
                return job
            if job.finished and "state" not in changes:
                return job
            job = replace(job, **changes)
            self._write(job)
            return job

    def list(self, limit: int | None = None, case_id: str | None = None) -> list[Job]:
        jobs = []
        for path in sorted(self.folder.glob("*.json"), reverse=True):
            try:
                job = Job.from_json(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue
            if case_id is None or job.case_id == case_id:
                jobs.append(job)
            if limit is not None and len(jobs) >= limit:
                break
        return jobs

    def recover(self) -> list[Job]:
        """Mark the jobs a stopped server left queued or running as failed, saying so."""
        marked = []
        for job in self.list():
            if job.finished:
                continue
            was = "waiting in the queue" if job.state == "queued" else "running"
            marked.append(
                self.update(
                    job.id,
                    state="failed",
                    finished_at=time.time(),
                    message="interrupted",
                    error=f"interrupted: the server stopped while this job was {was}; "
                    "start it again",
                )
            )
        return marked


class Progress:
    """What a worker uses to report: one record, written as the work goes."""

    def __init__(self, book: JobBook, job_id: str) -> None:
        self.book = book
        self.job_id = job_id

    def __call__(self, message: str, **changes: Any) -> None:
        self.book.update(self.job_id, message=message, **changes)


#: A job's work: (book folder, job id, parameters) -> None; runs in a worker process or thread
#: and writes its own record through :class:`Progress`.
Work = Callable[[str, str, dict[str, Any]], None]


class JobRunner:
    """Queues jobs: solves in a process pool (``solve_workers`` at once), sweeps one at a time
    in a thread (each sweep starts its own Dask cluster)."""

    def __init__(self, book: JobBook, solve_workers: int = 1) -> None:
        self.book = book
        self.solve_workers = solve_workers
        self._pool: ProcessPoolExecutor | None = None
        self._sweeps = ThreadPoolExecutor(max_workers=1, thread_name_prefix="millnet-sweep")
        # The queue of solves: a job waits here (and can be cancelled) until a pool process is
        # free; the pool itself would take the next job off the queue early.
        self._queue = ThreadPoolExecutor(
            max_workers=solve_workers, thread_name_prefix="millnet-job"
        )
        self._futures: dict[str, Future[None]] = {}
        self._lock = threading.Lock()

    def _solve_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.solve_workers,
                    mp_context=multiprocessing.get_context("spawn"),
                )
            return self._pool

    def submit(self, job: Job, work: Work, *, in_process: bool) -> Job:
        """Record ``job`` as queued and start ``work`` for it when a worker is free."""
        self.book.add(job)
        params = dict(job.params)
        if in_process:
            future = self._queue.submit(self._in_pool, work, str(self.book.folder), job.id, params)
        else:
            future = self._sweeps.submit(work, str(self.book.folder), job.id, params)
        with self._lock:
            self._futures[job.id] = future
        future.add_done_callback(lambda f, job_id=job.id: self._finished(job_id, f))
        return job

    def _in_pool(self, work: Work, folder: str, job_id: str, params: dict[str, Any]) -> None:
        from concurrent.futures.process import BrokenProcessPool

        try:
            self._solve_pool().submit(work, folder, job_id, params).result()
        except BrokenProcessPool:
            with self._lock:  # a dead pool takes no more work: the next job gets a new one
                self._pool = None
            raise

    def _finished(self, job_id: str, future: Future[None]) -> None:
        with self._lock:
            self._futures.pop(job_id, None)
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            # The work reports its own failures; this is what it could not report itself.
            kind = type(error).__name__
            message = (
                "the worker process stopped unexpectedly (killed, or out of memory)"
                if kind == "BrokenProcessPool"
                else f"internal error ({kind}: {error})"
            )
            self.book.update(
                job_id, state="failed", finished_at=time.time(), message="failed", error=message
            )
            return
        job = self.book.get(job_id)
        if not job.finished:
            self.book.update(
                job_id,
                state="failed",
                finished_at=time.time(),
                message="failed",
                error="the worker ended without reporting a result",
            )

    def cancel(self, job_id: str) -> Job:
        """Cancel a job that has not started; a running solve is left to finish."""
        with self._lock:
            future = self._futures.get(job_id)
        job = self.book.get(job_id)
        if job.finished:
            return job
        if future is not None and future.cancel():
            return self.book.update(
                job_id, state="cancelled", finished_at=time.time(), message="cancelled"
            )
        from millnet.errors import MillnetError

        raise MillnetError(f"job '{job_id}' is already {job.state} and cannot be cancelled")

    def shutdown(self) -> None:
        """Stop taking work; mark what was queued or running as interrupted."""
        with self._lock:
            futures = dict(self._futures)
            pool = self._pool
            self._pool = None
        for future in futures.values():
            future.cancel()
        self._queue.shutdown(wait=False, cancel_futures=True)
        if pool is not None:
            processes = list(getattr(pool, "_processes", {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join(timeout=5)
        self._sweeps.shutdown(wait=False, cancel_futures=True)
        for job_id in futures:
            try:
                job = self.book.get(job_id)
            except NotFoundError:
                continue
            if not job.finished:
                self.book.update(
                    job_id,
                    state="failed",
                    finished_at=time.time(),
                    message="interrupted",
                    error="interrupted: the server stopped while this job was "
                    f"{'running' if job.state == 'running' else 'waiting in the queue'}; "
                    "start it again",
                )
