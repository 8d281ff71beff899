"""Fixtures of the run store tests: one solved plan per session, and a fresh store per test on
SQLite (a file in tmp_path) and on PostgreSQL (a new database on the server `make test` starts;
the URL comes from MILLNET_TEST_POSTGRES_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from millnet.case import load_example
from millnet.plan import solve_case
from millnet.results.results import Results
from millnet.store import Store

POSTGRES_ENV = "MILLNET_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def mini_results() -> Results:
    """The mini example solved once (about 0.3 s): 4 plants, 2 quarters, camden-ny idles."""
    return solve_case(load_example("mini"))


@pytest.fixture(scope="session")
def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path, postgres_url) -> Iterator[str]:
    """A URL of an empty store: a SQLite file, or a database made for this test alone."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'runs.db'}"
        return
    if postgres_url is None:
        pytest.skip(
            f"{POSTGRES_ENV} is not set: `make test` starts a PostgreSQL server for these tests "
            "(tools/test-postgres.sh)"
        )
    from sqlalchemy import create_engine, make_url

    name = f"store_{uuid.uuid4().hex[:16]}"
    admin = create_engine(make_url(postgres_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened
