"""The run store: every solved plan saved with what produced it, listed, reloaded, deleted.

``Store(url).save(results)`` writes a run in one transaction: its tables and its row are
committed together or not at all, so a process killed while saving leaves no half-written run.
``load`` rebuilds the same :class:`~millnet.results.results.Results` (tables equal frame for
frame, the same outcome, options and timings).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from millnet.results.io import (
    frame_from_bytes,
    frame_to_bytes,
    results_from_meta,
    results_meta,
    values_to_frame,
)
from millnet.results.results import Results
from millnet.solve.status import Status
from millnet.store import engine as engines
from millnet.store.errors import AmbiguousRunError, StoreError, UnknownRunError
from millnet.store.ids import is_id_prefix, new_run_id
from millnet.store.keys import results_key

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session

    from millnet.store.schema import Run

#: Arbitrary constant naming the PostgreSQL advisory lock held while the schema is created.
_SCHEMA_LOCK = 0x6D696C6C
#: How many candidates an ambiguity error names.
_SHOW_CANDIDATES = 5


@dataclass(frozen=True)
class RunInfo:
    """One run as listed: what it was, how it ended, when it was saved."""

    id: str
    created_at: datetime
    case: str
    case_fingerprint: str
    scenario: str | None
    sweep: str | None
    status: str
    termination: str
    objective: float | None
    bound: float | None
    gap: float | None
    solver: str
    run_key: str
    millnet_version: str
    options: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at.isoformat(),
            "case": self.case,
            "case_fingerprint": self.case_fingerprint,
            "scenario": self.scenario,
            "sweep": self.sweep,
            "status": self.status,
            "termination": self.termination,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "solver": self.solver,
            "run_key": self.run_key,
            "millnet_version": self.millnet_version,
            "options": self.options,
            "timings": self.timings,
        }


def _info(row: Run) -> RunInfo:
    return RunInfo(
        id=row.id,
        created_at=row.created_at,
        case=row.case_name,
        case_fingerprint=row.case_fingerprint,
        scenario=row.scenario,
        sweep=row.sweep,
        status=row.status,
        termination=row.termination,
        objective=row.objective,
        bound=row.bound,
        gap=row.gap,
        solver=row.solver,
        run_key=row.run_key,
        millnet_version=row.millnet_version,
        options=dict(row.options),
        timings={str(k): float(v) for k, v in row.timings.items()},
    )


def _moment(value: datetime | date | str | None, *, end: bool) -> datetime | None:
    """A filter bound in UTC. A date means its whole day: ``since`` from its start, ``until``
    through its end. A naive datetime is taken as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_moment(value)
    if not isinstance(value, datetime):
        start = datetime.combine(value, time.min, tzinfo=UTC)
        return start + timedelta(days=1) if end else start
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_moment(text: str) -> date | datetime:
    """``2025-03-01`` (a day) or an ISO datetime such as ``2025-03-01T14:30`` (UTC unless it
    names its zone)."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise StoreError(
            f"{text!r} is not a date; expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM]"
        ) from None


class Store:
    """A run store at ``url`` (see :func:`millnet.store.engine.store_url` for the default).

    Nothing connects until the first call; the tables are created on the first write. Safe to
    use from several processes at once; one ``Store`` per process.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = engines.store_url(url)
        self._parsed = engines.parse(self.url)
        self._engine: Engine | None = None
        self._schema_ready = False

    def __repr__(self) -> str:
        return f"Store({self.display!r})"

    @property
    def display(self) -> str:
        """The URL with any password hidden, for messages."""
        return engines.display(self._parsed)

    # --- connections ---------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            path = engines.sqlite_path(self._parsed)
            if path is not None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(
                        f"store {self.display}: cannot create folder {path.parent} ({exc})"
                    ) from exc
            self._engine = engines.create(self._parsed)
        return self._engine

    def close(self) -> None:
        """Close every pooled connection (the store can be used again afterwards)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Database failures as one clear message naming the store."""
        from sqlalchemy.exc import DBAPIError, SQLAlchemyError

        try:
            yield
        except DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(f"store {self.display}: cannot {doing}: {reason}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"store {self.display}: cannot {doing}: {exc}") from exc

    @contextmanager
    def _session(self, *, write: bool) -> Iterator[Session]:
        """A session in one transaction, committed on success and rolled back otherwise."""
        from sqlalchemy.orm import Session

        with self.engine.connect() as connection:
            if write:
                connection.execution_options(**{engines.WRITE: True})
            with Session(bind=connection) as session, session.begin():
                yield session

    def exists(self) -> bool:
        """False for a SQLite file not made yet (reading a store never creates it); True for
        a server database, which is only known once connected."""
        path = engines.sqlite_path(self._parsed)
        return path is None or path.exists() or self._schema_ready

    def _ensure_schema(self) -> None:
        """Create the tables on first use; several processes may race to do so. A store whose
        tables exist is only read here, so a read-only store can still be listed and loaded."""
        if self._schema_ready:
            return
        from sqlalchemy import inspect

        from millnet.store.schema import Base, StoreInfo

        with self._errors("read its tables"), self.engine.connect() as connection:
            if inspect(connection).has_table(StoreInfo.__tablename__) and self._check_version(
                connection, record=False
            ):
                self._schema_ready = True
                return
        with self._errors("create its tables"), self.engine.connect() as connection:
            connection.execution_options(**{engines.WRITE: True})
            with connection.begin():
                self._lock_schema(connection)
                Base.metadata.create_all(connection)
                self._check_version(connection, record=True)
        self._schema_ready = True

    def _check_version(self, connection: Connection, *, record: bool) -> bool:
        """False when no version is recorded yet (recorded now if ``record``); raises for a
        store of a newer millnet."""
        from sqlalchemy import insert, select

        from millnet.store.schema import SCHEMA_VERSION, StoreInfo

        stored = connection.execute(
            select(StoreInfo.value).where(StoreInfo.key == "schema_version")
        ).scalar_one_or_none()
        if stored is None:
            if record:
                connection.execute(
                    insert(StoreInfo).values(key="schema_version", value=str(SCHEMA_VERSION))
                )
            return record
        if int(stored) > SCHEMA_VERSION:
            raise StoreError(
                f"store {self.display} has tables of version {stored}, written by a newer "
                f"millnet; this one reads up to version {SCHEMA_VERSION}"
            )
        return True

    def _lock_schema(self, connection: Connection) -> None:
        # SQLite: BEGIN IMMEDIATE already serialises writers
        if connection.dialect.name == "postgresql":
            from sqlalchemy import text

            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})

    def check(self) -> Store:
        """Connect and create the tables if needed; raises :class:`StoreError` with the reason
        when the store cannot be used (so a long solve does not end in a failed save)."""
        self._ensure_schema()
        return self

    # --- writing -------------------------------------------------------------------------

    def save(self, results: Results, *, sweep: str | None = None) -> str:
        """Save ``results`` as a new run (part of ``sweep``, if named); returns its id."""
        from sqlalchemy.exc import IntegrityError

        from millnet.store.schema import Run, RunTable

        # encode before the transaction: the write lock is held only while writing
        blobs = [
            (name, position, frame.height, frame_to_bytes(frame))
            for position, (name, frame) in enumerate(results.tables.items())
        ]
        document = results_meta(results)
        document["run_id"] = None
        values = results.outcome.values
        solution = frame_to_bytes(values_to_frame(values)) if values.size else None
        outcome = document["outcome"]
        key = results_key(results)
        self._ensure_schema()
        for attempt in range(3):
            run_id = new_run_id()
            run = Run(
                id=run_id,
                created_at=datetime.now(UTC),
                case_name=results.case_name,
                case_fingerprint=results.case_fingerprint,
                scenario=results.scenario,
                sweep=sweep,
                status=outcome["status"],
                termination=outcome["termination"],
                objective=outcome["objective"],
                bound=outcome["bound"],
                gap=outcome["gap"],
                solver=outcome["solver"],
                run_key=key,
                options=document["options"],
                timings=document["timings"],
                millnet_version=document["millnet_version"],
                document=document,
                solution=solution,
                solver_log=results.outcome.log,
            )
            tables = [
                RunTable(run_id=run_id, name=name, position=position, rows=rows, blob=blob)
                for name, position, rows, blob in blobs
            ]
            try:
                with self._errors("save the run"), self._session(write=True) as session:
                    _insert(session, run, tables)
            except StoreError as exc:
                # two processes drew the same id in the same millisecond: draw again
                if isinstance(exc.__cause__, IntegrityError) and attempt < 2:
                    continue
                raise
            return run_id
        raise AssertionError("unreachable")  # pragma: no cover

    def delete(self, refs: Iterable[str]) -> list[str]:
        """Delete the runs named by ids or unique id prefixes; returns their full ids. Every
        name is checked before anything is deleted: one unknown id deletes nothing."""
        from sqlalchemy import delete

        from millnet.store.schema import Run, RunTable

        ids = list(dict.fromkeys(self.resolve(ref) for ref in refs))
        if not ids:
            return []
        with self._errors("delete runs"), self._session(write=True) as session:
            session.execute(delete(RunTable).where(RunTable.run_id.in_(ids)))
            session.execute(delete(Run).where(Run.id.in_(ids)))
        return ids

    # --- reading -------------------------------------------------------------------------

    def resolve(self, ref: str) -> str:
        """The full id of the one run whose id is ``ref`` or starts with it (like git)."""
        from sqlalchemy import select

        from millnet.store.schema import Run

        prefix = ref.strip().lower()
        if not is_id_prefix(prefix) or not self.exists():
            raise UnknownRunError(f"no run {ref!r} in store {self.display}")
        self._ensure_schema()
        with self._errors("read runs"), self._session(write=False) as session:
            ids = list(
                session.scalars(
                    select(Run.id)
                    .where(Run.id.startswith(prefix, autoescape=True))
                    .order_by(Run.id)
                    .limit(_SHOW_CANDIDATES + 1)
                )
            )
            count = len(ids)
            if count > _SHOW_CANDIDATES:
                from sqlalchemy import func

                count = session.scalar(
                    select(func.count())
                    .select_from(Run)
                    .where(Run.id.startswith(prefix, autoescape=True))
                )
        if prefix in ids:
            return prefix
        if not ids:
            raise UnknownRunError(f"no run {ref!r} in store {self.display}")
        if len(ids) > 1:
            shown = ", ".join(ids[:_SHOW_CANDIDATES])
            more = f" and {count - _SHOW_CANDIDATES} more" if count > _SHOW_CANDIDATES else ""
            raise AmbiguousRunError(
                f"run id {ref!r} is ambiguous in store {self.display}: it starts {count} run "
                f"ids ({shown}{more}); give more characters"
            )
        return ids[0]

    def info(self, ref: str) -> RunInfo:
        """The listing of one run (id or unique prefix)."""
        from millnet.store.schema import Run

        run_id = self.resolve(ref)
        with self._errors("read runs"), self._session(write=False) as session:
            row = session.get(Run, run_id)
            if row is None:  # deleted since it was resolved
                raise UnknownRunError(f"no run {ref!r} in store {self.display}")
            return _info(row)

    def load(self, ref: str) -> Results:
        """The Results of one run (id or unique prefix), with ``run_id`` set."""
        from sqlalchemy import select
        from sqlalchemy.orm import undefer

        from millnet.store.schema import Run, RunTable

        run_id = self.resolve(ref)
        with self._errors("read the run"), self._session(write=False) as session:
            row = session.scalars(
                select(Run)
                .where(Run.id == run_id)
                .options(undefer(Run.document), undefer(Run.solution), undefer(Run.solver_log))
            ).one_or_none()
            if row is None:
                raise UnknownRunError(f"no run {ref!r} in store {self.display}")
            parts = session.execute(
                select(RunTable.name, RunTable.blob)
                .where(RunTable.run_id == run_id)
                .order_by(RunTable.position)
            ).all()
            document = dict(row.document)
            solution, log = row.solution, row.solver_log
        document["run_id"] = run_id
        tables = {name: frame_from_bytes(blob) for name, blob in parts}
        values = frame_from_bytes(solution)["value"].to_numpy() if solution else None
        where = f"run {run_id} in store {self.display}"
        return results_from_meta(document, tables, values=values, log=log or "", where=where)

    def list(
        self,
        *,
        case: str | None = None,
        scenario: str | None = None,
        sweep: str | None = None,
        since: datetime | date | str | None = None,
        until: datetime | date | str | None = None,
        status: str | Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[RunInfo]:
        """Runs matching every filter given, newest first; all of them unless ``limit``.

        ``case`` matches the case name or its fingerprint; ``since``/``until`` take dates (a
        whole day, UTC) or datetimes; ``status`` one status or several.
        """
        from sqlalchemy import or_, select

        from millnet.store.schema import Run

        statuses = [status] if isinstance(status, str) else list(status or [])
        known = [s.value for s in Status]
        unknown = [s for s in statuses if s not in known]
        if unknown:
            raise StoreError(f"status {unknown[0]!r} is not one of {', '.join(known)}")
        if limit is not None and limit < 0:
            raise StoreError(f"limit {limit} is negative; expected 0 or more runs")
        start, end = _moment(since, end=False), _moment(until, end=True)
        if not self.exists():
            return []
        query = select(Run)
        if case is not None:
            query = query.where(or_(Run.case_name == case, Run.case_fingerprint == case))
        if scenario is not None:
            query = query.where(Run.scenario == scenario)
        if sweep is not None:
            query = query.where(Run.sweep == sweep)
        if start is not None:
            query = query.where(Run.created_at >= start)
        if end is not None:
            # a day ends before the next one starts; an exact moment includes runs saved at it
            whole_day = not isinstance(_as_moment(until), datetime)
            query = query.where(Run.created_at < end if whole_day else Run.created_at <= end)
        if statuses:
            query = query.where(Run.status.in_(statuses))
        query = query.order_by(Run.created_at.desc(), Run.id.desc())
        if limit is not None:
            query = query.limit(limit)
        self._ensure_schema()
        with self._errors("list runs"), self._session(write=False) as session:
            return [_info(row) for row in session.scalars(query)]

    def has(self, key: str) -> bool:
        """True when a run with this key (``millnet.store.keys``) is stored and did not end in a
        solver error (an error is worth retrying; every other outcome is an answer)."""
        from sqlalchemy import select

        from millnet.store.schema import Run

        if not self.exists():
            return False
        query = select(Run.id).where(Run.run_key == key, Run.status != Status.ERROR.value).limit(1)
        self._ensure_schema()
        with self._errors("read runs"), self._session(write=False) as session:
            return session.scalar(query) is not None

    def keys(self, *, sweep: str | None = None) -> set[str]:
        """The keys of every stored run (of ``sweep``, if named) that did not end in a solver
        error: one query for a whole sweep's ``--resume``."""
        from sqlalchemy import select

        from millnet.store.schema import Run

        if not self.exists():
            return set()
        query = select(Run.run_key).where(Run.status != Status.ERROR.value).distinct()
        if sweep is not None:
            query = query.where(Run.sweep == sweep)
        self._ensure_schema()
        with self._errors("read runs"), self._session(write=False) as session:
            return set(session.scalars(query))


def _as_moment(value: datetime | date | str | None) -> datetime | date | None:
    return parse_moment(value) if isinstance(value, str) else value


def _insert(session: Session, run: Run, tables: list[Any]) -> None:
    """Add a run and its tables to the open transaction. The run row goes first because the
    tables refer to it; nothing is visible to others until the transaction commits."""
    session.add(run)
    session.flush()
    session.add_all(tables)
    session.flush()


def open_results(ref: str | Path, store: str | None = None) -> Results:
    """A run's Results from a results folder (``solve --out``, ``runs export``) when ``ref`` is
    one, else from the store (``ref`` an id or unique prefix)."""
    from millnet.results.io import read_results

    path = Path(ref)
    text = str(ref)
    if path.exists() or "/" in text or "\\" in text:
        return read_results(path)
    opened = Store(store)
    try:
        return opened.load(text)
    except UnknownRunError:
        raise UnknownRunError(
            f"{text!r} is neither a results folder nor a run in store {opened.display}"
        ) from None
    finally:
        opened.close()
