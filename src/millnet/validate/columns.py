"""Checks generated from the table declarations: values, keys and references."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

import polars as pl

from millnet.case.coerce import cell_issues, show_value
from millnet.case.model import Case
from millnet.issues import Issue
from millnet.schema import TABLES
from millnet.schema.codes import country_codes, currency_codes
from millnet.schema.core import Column, Table
from millnet.validate.units import parse_price_unit


def column_checks(case: Case) -> Iterator[Issue]:
    for name, table in TABLES.items():
        frame = case[name]
        rows = case.row_numbers(name)
        file = case.source(name).file
        if frame.height < table.min_rows and (table.required or frame.height):
            yield Issue(
                "error",
                name,
                None,
                None,
                f"table '{name}' has no rows; {table.description}",
                file,
                "empty-table",
            )
        if _clean(frame, table, case.source(name).rows is None):
            continue
        for column in table.columns:
            if column.name not in frame.columns:
                continue
            yield from _values(
                frame[column.name], column, rows, name, file, case.source(name).rows is None
            )
        yield from _primary_key(frame, table, rows, file)


def _clean(frame: pl.DataFrame, table: Table, built: bool) -> bool:
    """Whether no value and no key of the table breaks a rule, in one polars pass (most tables
    are clean; the column-by-column checks then have nothing to say)."""
    if frame.height == 0:
        return True
    bad: list[pl.Expr] = []
    for column in table.columns:
        if column.name not in frame.columns:
            continue
        if column.kind == "metal_unit":
            return False  # parsed in Python: the detailed path checks it
        value = pl.col(column.name)
        if built and not column.may_be_blank:
            bad.append(value.is_null())
        if column.min is not None:
            bad.append(value <= column.min if column.min_exclusive else value < column.min)
        if column.max is not None:
            bad.append(value > column.max)
        allowed = _allowed(column)
        if allowed is not None:
            bad.append(value.is_not_null() & ~value.is_in(pl.Series(list(allowed)).implode()))
    key = [c for c in table.primary_key if c in frame.columns]
    checks = [pl.any_horizontal(bad).fill_null(False).any()] if bad else []
    if key:
        checks.append(pl.struct(key).is_duplicated().any())
    if not checks:
        return True
    return not any(frame.select(pl.any_horizontal(checks)).row(0))


def _allowed(column: Column) -> tuple[str, ...] | frozenset[str] | None:
    if column.kind == "country":
        return country_codes()
    if column.kind == "currency":
        return currency_codes()
    return column.choices


def _values(
    series: pl.Series, column: Column, rows: pl.Series, table: str, file: str, built: bool
) -> Iterator[Issue]:
    common = {"table": table, "file": file, "column": column.name}
    expected = column.expectation()
    if built and not column.may_be_blank:
        # Cases read from files had blank cells reported while reading.
        yield from cell_issues(
            series.is_null(),
            rows,
            None,
            rule="required",
            message=f"missing value; expected {expected}",
            **common,
        )
    if column.min is not None or column.max is not None:
        bad = pl.repeat(False, series.len(), eager=True)
        if column.min is not None:
            bad = bad | (series <= column.min if column.min_exclusive else series < column.min)
        if column.max is not None:
            bad = bad | (series > column.max)
        yield from cell_issues(
            bad,
            rows,
            series,
            rule="range",
            message=lambda v: f"found {show_value(v)}; expected {expected}",
            **common,
        )
    allowed = _allowed(column)
    if allowed is not None:
        bad = series.is_not_null() & ~series.is_in(list(allowed))
        yield from cell_issues(
            bad, rows, series, rule="choice", message=_choice_message(column, allowed), **common
        )
    if column.kind == "metal_unit":
        bad = series.map_elements(
            lambda u: parse_price_unit(u) is None, return_dtype=pl.Boolean, skip_nulls=True
        )
        yield from cell_issues(
            bad.fill_null(False),
            rows,
            series,
            rule="unit",
            message=lambda v: f"found {show_value(v)}; expected {expected}",
            **common,
        )


def _choice_message(column: Column, allowed: object) -> object:
    expected = column.expectation()
    options = list(column.choices) if column.choices else []

    def message(value: object) -> str:
        text = f"found {show_value(value)}; expected {expected}"
        if isinstance(value, str):
            if column.kind in ("country", "currency") and value.upper() in allowed:  # type: ignore[operator]
                return text + f" (codes are upper case: {value.upper()})"
            close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
            if close:
                return text + f"; did you mean '{close[0]}'?"
        return text

    return message


def _primary_key(frame: pl.DataFrame, table: Table, rows: pl.Series, file: str) -> Iterator[Issue]:
    key = [c for c in table.primary_key if c in frame.columns]
    if not key or frame.height == 0:
        return
    keyed = frame.select(key).with_columns(rows.alias("__row"))
    dup = keyed.with_columns(pl.col("__row").first().over(key).alias("__first")).filter(
        pl.col("__row") != pl.col("__first")
    )
    for record in dup.head(20).iter_rows(named=True):
        shown = ", ".join(f"{c}={record[c]}" for c in key if record[c] is not None)
        yield Issue(
            "error",
            table.name,
            record["__row"],
            key[-1] if len(key) == 1 else None,
            f"duplicate key ({shown}); the same key is at row {record['__first']}",
            file,
            "duplicate-key",
        )
    if dup.height > 20:
        yield Issue(
            "error",
            table.name,
            None,
            None,
            f"{dup.height - 20:,} more rows with the same problem (duplicate-key)",
            file,
            "duplicate-key",
        )


def foreign_key_checks(case: Case) -> Iterator[Issue]:
    for name, table in TABLES.items():
        frame = case[name]
        if frame.height == 0:
            continue
        known_sets = {
            fk: case[fk.table][fk.ref_columns[0]].drop_nulls().unique()
            for fk in table.foreign_keys
            if case[fk.table].height
        }
        if not known_sets:
            continue
        # one pass over the table tells whether any reference is unknown
        if not frame.select(
            pl.any_horizontal(
                (
                    pl.col(fk.columns[0]).is_not_null()
                    & ~pl.col(fk.columns[0]).is_in(known.implode())
                )
                .fill_null(False)
                .any()
                for fk, known in known_sets.items()
            )
        ).item():
            continue
        rows = case.row_numbers(name)
        file = case.source(name).file
        for fk in table.foreign_keys:
            target = case[fk.table]
            if target.height == 0:
                continue  # an empty or missing target table is reported on its own
            column = fk.columns[0]
            known = target[fk.ref_columns[0]].drop_nulls().unique()
            series = frame[column]
            bad = series.is_not_null() & ~series.is_in(known.implode())
            options = known.to_list()
            target_file = case.source(fk.table).file

            def message(
                value: object,
                target_file: str = target_file,
                options: list[object] = options,
                what: str = fk.ref_columns[0],
            ) -> str:
                text = f"found {show_value(value)}; no row of {target_file} has this {what}"
                close = difflib.get_close_matches(
                    str(value), [str(o) for o in options], n=1, cutoff=0.7
                )
                return text + (f"; did you mean '{close[0]}'?" if close else "")

            yield from cell_issues(
                bad,
                rows,
                series,
                table=name,
                file=file,
                column=column,
                rule="foreign-key",
                message=message,
            )
