"""Where the store is and how to connect: URL resolution and engines tuned per database.

SQLite is the default (a file beside the work, no server). Several processes may save to one
file at once (the workers of a sweep): the file is in WAL mode, so readers never wait for the
writer, every write transaction starts with ``BEGIN IMMEDIATE`` (it takes the write lock up
front, so two writers queue instead of failing with a lock upgrade error), and a busy timeout
makes a writer wait for the lock instead of failing at once.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from millnet.store.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

#: Environment variable naming the store when ``--store`` is not given.
ENV_VAR = "MILLNET_STORE"
#: The default store, relative to the working directory.
DEFAULT_PATH = Path(".millnet") / "runs.db"
#: Seconds a SQLite writer waits for another writer's lock before giving up.
BUSY_TIMEOUT_S = 60.0
#: Seconds to wait for a database server to answer a connection.
CONNECT_TIMEOUT_S = 10
#: Execution option that marks a connection's next transaction as a writer.
WRITE = "millnet_write"

EXAMPLES = "sqlite:///path/to/runs.db, a file path, or postgresql+psycopg://user@host:5432/db"


def store_url(url: str | None = None) -> str:
    """The store to use: ``url`` if given, else ``$MILLNET_STORE``, else the SQLite file
    ``.millnet/runs.db`` in the working directory. A plain file path means a SQLite file."""
    chosen = (url or os.environ.get(ENV_VAR) or "").strip()
    if not chosen:
        return f"sqlite:///{Path.cwd() / DEFAULT_PATH}"
    if "://" not in chosen:
        return f"sqlite:///{Path(chosen).expanduser().resolve()}"
    return chosen


def display(url: URL | str) -> str:
    """The URL as it may be shown: password hidden."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return str(url)


def parse(url: str) -> URL:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        shown = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)  # a password stays hidden
        raise StoreError(f"store {shown!r} is not a database URL; expected {EXAMPLES}") from exc
    if parsed.drivername == "postgresql" or parsed.drivername == "postgres":
        # millnet ships psycopg 3; SQLAlchemy would otherwise look for psycopg2
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL (``None`` for an in-memory database or another database)."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def create(url: URL) -> Engine:
    """An engine for ``url`` (no connection is made yet)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    backend = url.get_backend_name()
    kwargs: dict[str, Any] = {}
    if backend == "sqlite":
        path = sqlite_path(url)
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_S}
        if path is None:
            from sqlalchemy.pool import StaticPool

            # one connection, or every query would see a new empty database; shared by threads
            kwargs["poolclass"] = StaticPool
            kwargs["connect_args"]["check_same_thread"] = False
    elif backend == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise StoreError(
            f"store {display(url)}: database {url.drivername!r} is not supported ({exc}); "
            f"expected {EXAMPLES}"
        ) from exc
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # the sqlite3 module's own transaction handling would send BEGIN late and deferred;
    # :func:`_sqlite_begin` sends it instead
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA journal_mode = WAL")
    # in WAL mode NORMAL never corrupts the file and a killed process loses nothing committed;
    # only a power cut may lose the last commits
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    write = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
