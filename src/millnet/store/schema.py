"""The store's tables: ``runs`` (one row per solved plan), ``run_tables`` and ``store_info``.

``runs`` holds what runs are listed and filtered by (case, scenario, sweep, status, objective,
gap, time) as plain columns, and the whole results document (``results.io.results_meta``) as
JSON: the columns are an index for queries, the document is what rebuilds the Results, so the two
can never disagree about how a run is read back.

``run_tables`` holds each result table as one Parquet blob rather than as rows of typed columns:
result tables change columns as the model grows, a plan of the reference case has tens of
thousands of flow rows, and a blob keeps every polars dtype (empty tables included) exactly,
writes and reads in milliseconds on SQLite and PostgreSQL alike, and needs no migration when a
table gains a column. Queries across runs go through the ``runs`` columns; analysis of the
tables happens in polars after :meth:`millnet.store.Store.load`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Double, ForeignKey, LargeBinary, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

#: Version of these tables; a store with a higher one was written by a newer millnet.
SCHEMA_VERSION = 1


class UTCDateTime(TypeDecorator[datetime]):
    """A UTC timestamp on every database: SQLite keeps no time zone, so values are stored as
    naive UTC and come back aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)
        str: String(),
        float: Double(),
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        bytes: LargeBinary(),
    }


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    case_name: Mapped[str] = mapped_column(index=True)
    case_fingerprint: Mapped[str] = mapped_column(index=True)
    scenario: Mapped[str | None] = mapped_column(index=True)
    sweep: Mapped[str | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    termination: Mapped[str]
    objective: Mapped[float | None]
    bound: Mapped[float | None]
    gap: Mapped[float | None]
    solver: Mapped[str]
    #: See ``millnet.store.keys``: equal for the same case, scenario and options.
    run_key: Mapped[str] = mapped_column(String(64), index=True)
    options: Mapped[dict[str, Any]]
    timings: Mapped[dict[str, Any]]
    millnet_version: Mapped[str]
    #: The results document (``results.io.results_meta``) that rebuilds the Results.
    document: Mapped[dict[str, Any]] = mapped_column(deferred=True)
    #: The solver's values by variable label as Parquet (absent without a plan).
    solution: Mapped[bytes | None] = mapped_column(deferred=True)
    solver_log: Mapped[str] = mapped_column(Text, deferred=True)


class RunTable(Base):
    __tablename__ = "run_tables"

    run_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    #: Order of the table in ``Results.tables``.
    position: Mapped[int]
    rows: Mapped[int]
    blob: Mapped[bytes]


class StoreInfo(Base):
    __tablename__ = "store_info"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str]
