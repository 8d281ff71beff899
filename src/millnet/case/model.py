"""The :class:`Case`: one frozen DataFrame per table, the settings, and where it came from."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import polars as pl

from millnet.issues import Issue
from millnet.schema import TABLES, CaseMeta

CaseFormat = Literal["csv", "xlsx", "parquet"]


@dataclass(frozen=True)
class TableSource:
    """Where a table's rows came from, so that issues can name the file and row."""

    #: The file as the user knows it: ``plants.csv`` or ``case.xlsx[plants]``.
    file: str
    #: Spreadsheet row number of every data row (header = 1), aligned with the table's rows.
    rows: pl.Series | None = None

    def row_numbers(self, height: int) -> pl.Series:
        if self.rows is not None and self.rows.len() == height:
            return self.rows
        return pl.int_range(2, height + 2, eager=True).alias("row")


@dataclass(frozen=True, eq=False)
class Case:
    """A case as read: settings, one DataFrame per declared table (absent optional tables are
    empty), and the issues met while reading.

    A Case is never mutated; scenario and conversion functions return new ones. ``fingerprint``
    identifies the content (settings and table values, not the file format or location).
    """

    meta: CaseMeta | None
    tables: Mapping[str, pl.DataFrame]
    source_path: Path | None = None
    source_format: CaseFormat | None = None
    sources: Mapping[str, TableSource] = field(default_factory=dict)
    read_issues: tuple[Issue, ...] = ()

    def __post_init__(self) -> None:
        tables = dict(self.tables)
        for name, table in TABLES.items():
            frame = tables.get(name)
            if frame is None:
                tables[name] = table.empty_frame()
                continue
            # A column built in Python with no values has no type yet: give it the declared one.
            untyped = [
                c for c in frame.columns if table.has_column(c) and frame.schema[c] == pl.Null
            ]
            if untyped:
                tables[name] = frame.with_columns(
                    pl.col(c).cast(table.column(c).polars_dtype) for c in untyped
                )
        object.__setattr__(self, "tables", MappingProxyType(tables))
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))

    def __getitem__(self, table: str) -> pl.DataFrame:
        return self.tables[table]

    @property
    def name(self) -> str:
        return self.meta.name if self.meta else "(unnamed case)"

    def source(self, table: str) -> TableSource:
        """Where ``table`` came from (a default for cases built in Python)."""
        return self.sources.get(table) or TableSource(file=table)

    def row_numbers(self, table: str) -> pl.Series:
        """Spreadsheet row number of every row of ``table`` (header = row 1)."""
        return self.source(table).row_numbers(self.tables[table].height)

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 of the settings and of every non-empty table's values, in a canonical form.

        The same case read from CSV, Excel or Parquet has the same fingerprint; so does a case
        written and read back. Empty tables and absent optional tables count the same.
        """
        digest = hashlib.sha256()
        digest.update(b"millnet-case-v1\n")
        if self.meta is not None:
            digest.update(self.meta.model_dump_json().encode())
        for name in TABLES:
            frame = self.tables[name]
            if frame.height == 0:
                continue
            buffer = io.BytesIO()
            canonical_frame(name, frame).write_csv(buffer, null_value="\\N")
            digest.update(f"\n#table {name}\n".encode())
            digest.update(buffer.getvalue())
        return digest.hexdigest()

    def with_tables(self, **tables: pl.DataFrame) -> Case:
        """A new case with some tables replaced (provenance of the others kept)."""
        merged = dict(self.tables)
        merged.update(tables)
        sources = {k: v for k, v in self.sources.items() if k not in tables}
        return Case(
            meta=self.meta,
            tables=merged,
            source_path=self.source_path,
            source_format=self.source_format,
            sources=sources,
        )


def canonical_frame(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Declared columns first in declaration order, then extra columns as text in their order."""
    table = TABLES[name]
    declared = [c for c in table.column_names if c in frame.columns]
    extras = [c for c in frame.columns if not table.has_column(c)]
    return frame.select(
        *[pl.col(c).cast(table.column(c).polars_dtype) for c in declared],
        *[pl.col(c).cast(pl.String) for c in extras],
    )
