"""Turn raw cells into typed columns, the same way for every file format.

Readers hand over a :class:`RawTable` (text cells for CSV and workbooks, typed columns for
Parquet). Coercion never raises on content: a blank required cell, text in a numeric column, a
decimal comma, ``NaN`` or ``inf`` each become an :class:`~millnet.issues.Issue` naming the row
and column, and the cell becomes blank (never a guessed value).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from millnet.issues import MAX_PER_KIND, Issue, Severity
from millnet.schema.core import Column, Table

TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")

_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_NOT_FINITE = re.compile(r"^[+-]?(nan|inf|infinity)$", re.IGNORECASE)


@dataclass
class RawTable:
    """A table as a reader found it, before types."""

    name: str
    file: str
    #: Column name → cells, in the file's order; text cells for CSV and workbooks.
    columns: dict[str, pl.Series]
    #: Spreadsheet row number of each data row.
    rows: pl.Series
    issues: list[Issue] = field(default_factory=list)
    #: The file is semicolon-delimited (European export): ``1,5`` means 1.5 there.
    decimal_comma: bool = False


def cell_issues(
    mask: pl.Series,
    rows: pl.Series,
    values: pl.Series | None,
    *,
    table: str,
    file: str | None,
    column: str | None,
    rule: str,
    message: str | Callable[[object], str],
    severity: Severity = "error",
) -> list[Issue]:
    """One issue per row where ``mask`` is true (the first few, then a count).

    ``message`` is the text, or a function of the cell as found that returns it.
    """
    index = mask.fill_null(False).arg_true()
    count = index.len()
    if count == 0:
        return []
    head = index.head(MAX_PER_KIND)
    head_rows = rows.gather(head).to_list()
    head_values = values.gather(head).to_list() if values is not None else [None] * head.len()
    out = [
        Issue(
            severity=severity,
            table=table,
            row=int(r),
            column=column,
            message=message(v) if callable(message) else message,
            file=file,
            rule=rule,
        )
        for r, v in zip(head_rows, head_values, strict=True)
    ]
    if count > MAX_PER_KIND:
        out.append(
            Issue(
                severity=severity,
                table=table,
                row=None,
                column=column,
                message=f"{count - MAX_PER_KIND:,} more rows with the same problem ({rule})",
                file=file,
                rule=rule,
            )
        )
    return out


def show_value(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…'"


def _hint(raw: object) -> str:
    if not isinstance(raw, str):
        return ""
    if _NOT_FINITE.match(raw):
        return "; it is not a finite number"
    if _DECIMAL_COMMA.match(raw) and _THOUSANDS.match(raw):
        return (
            "; decimal commas and thousands separators are not accepted: write 1.5, not 1,5, "
            "and 1500, not 1,500"
        )
    if _DECIMAL_COMMA.match(raw):
        return "; decimal commas are not accepted: write 1.5, not 1,5"
    if _THOUSANDS.match(raw):
        return "; thousands separators are not accepted: write 1500, not 1,500"
    if raw.endswith("%"):
        return "; write fractions as plain numbers (0.05), not percentages"
    if raw[:1] in "$€£" or raw[-1:] in "$€£":
        return "; write plain numbers, without currency symbols"
    if raw.startswith("="):
        return "; it looks like a formula: paste the values instead"
    return ""


def coerce_table(raw: RawTable, table: Table) -> tuple[pl.DataFrame, list[Issue]]:
    """Typed frame with every declared column (then extra columns as text) and the issues met."""
    clean = _coerce_clean(raw, table)
    if clean is not None:
        return clean, []
    issues: list[Issue] = []
    height = raw.rows.len()
    out: dict[str, pl.Series] = {}
    for column in table.columns:
        series = raw.columns.get(column.name)
        if series is None:
            if column.required:
                issues.append(
                    Issue(
                        severity="error",
                        table=table.name,
                        row=1,
                        column=column.name,
                        message=(
                            f"missing column '{column.name}' ({column.description}); expected "
                            f"{column.expectation()} in every row"
                        ),
                        file=raw.file,
                        rule="missing-column",
                    )
                )
            out[column.name] = pl.repeat(
                column.default, height, dtype=column.polars_dtype, eager=True
            ).alias(column.name)
            continue
        typed, found = _coerce_column(series, column, raw)
        issues.extend(found)
        out[column.name] = typed.alias(column.name)
    for name, series in raw.columns.items():
        if not table.has_column(name):
            text = _as_text(series)
            if text is None:
                issues.append(
                    Issue(
                        severity="error",
                        table=table.name,
                        row=1,
                        column=name,
                        message=f"extra column '{name}' holds {series.dtype} values, not plain "
                        "text or numbers; it was not read",
                        file=raw.file,
                        rule="type",
                    )
                )
                continue
            out[name] = text
    return pl.DataFrame(out, height=height), issues


def _coerce_clean(raw: RawTable, table: Table) -> pl.DataFrame | None:
    """The typed frame in two polars passes when every cell is good, else ``None``.

    Most files are clean: one selection types every column, a second checks that no cell
    became blank that was not (a bad cell) and no required cell is blank. Any doubt (a bad or
    missing cell, a missing column, typed or comma-decimal input) returns ``None``, and the
    column-by-column path finds and words the issues. (Checking in the typing pass itself was
    measured 8× slower on a 14-column table: polars re-parses each cell for every check.)
    """
    if raw.decimal_comma or any(s.dtype != pl.String for s in raw.columns.values()):
        return None
    present = [c for c in table.columns if c.name in raw.columns]
    if any(c.required and c.name not in raw.columns for c in table.columns):
        return None
    cells = pl.DataFrame(raw.columns, height=raw.rows.len())
    typed = cells.select(
        _parse_expr(_blank_is_null(pl.col(c.name)), c)[0].alias(c.name) for c in present
    )
    if cells.height:
        stripped = cells.select(
            pl.col(c.name).str.strip_chars().alias(f"\x1f{c.name}") for c in present
        )
        bad = [
            pl.col(c.name).is_null() & (pl.col(f"\x1f{c.name}") != "")
            if c.may_be_blank
            else pl.col(c.name).is_null()
            for c in present
        ]
        both = pl.concat([typed, stripped], how="horizontal")
        if bad and both.select(pl.any_horizontal(bad).fill_null(False).any()).item():
            return None
    extras = [name for name in raw.columns if not table.has_column(name)]
    if extras:
        typed = pl.concat(
            [typed, cells.select(_blank_is_null(pl.col(n)).alias(n) for n in extras)],
            how="horizontal",
        )
    columns = []
    for c in table.columns:
        if c.name not in raw.columns:
            columns.append(pl.lit(c.default, dtype=c.polars_dtype).alias(c.name))
        elif c.default is not None and c.may_be_blank:
            default = pl.lit(c.default, dtype=c.polars_dtype)
            columns.append(pl.coalesce(pl.col(c.name), default).alias(c.name))
        else:
            columns.append(pl.col(c.name))
    return typed.select(*columns, *extras)


def _blank_is_null(cell: pl.Expr) -> pl.Expr:
    stripped = cell.str.strip_chars()
    return pl.when(stripped != "").then(stripped)


def _parse_expr(text: pl.Expr, column: Column) -> tuple[pl.Expr, pl.Expr | None]:
    """A text column as an expression of its declared type, and where a cell is bad (the same
    rules as :func:`_parse_text`)."""
    if column.dtype == "str":
        return text, None
    if column.dtype in ("float", "int"):
        number = text.cast(pl.Float64, strict=False)
        finite = number.is_finite().fill_null(False)
        if column.dtype == "float":
            return pl.when(finite).then(number), text.is_not_null() & ~finite
        whole = finite & (number.round(0) == number) & (number.abs() < 2**53)
        return pl.when(whole).then(number).cast(pl.Int64), text.is_not_null() & ~whole
    if column.dtype == "bool":
        lower = text.str.to_lowercase()
        value = pl.when(lower.is_in(TRUE_WORDS)).then(True).when(lower.is_in(FALSE_WORDS))
        value = value.then(False)
        return value, text.is_not_null() & value.is_null()
    wellformed = text.str.contains(r"^\d{4}-\d{2}-\d{2}$").fill_null(False)
    value = pl.when(wellformed).then(text.str.to_date("%Y-%m-%d", strict=False))
    return value, text.is_not_null() & value.is_null()


def _as_text(series: pl.Series) -> pl.Series | None:
    """An extra column as text; ``None`` when its cells are not plain values (lists, structs)."""
    text = _cast_text(series)
    if text is None:
        return None
    return _blank_to_null(text.str.strip_chars()).alias(series.name)


def _cast_text(series: pl.Series) -> pl.Series | None:
    """Cells as text; ``None`` when they are not plain values (lists, structs, bytes)."""
    if series.dtype == pl.String:
        return series
    if series.dtype.is_nested() or series.dtype in (pl.Binary, pl.Object):
        return None
    try:
        return series.cast(pl.String, strict=False)
    except pl.exceptions.PolarsError:  # e.g. durations have no text form
        return None


def _coerce_column(
    series: pl.Series, column: Column, raw: RawTable
) -> tuple[pl.Series, list[Issue]]:
    if series.dtype in (pl.String, pl.Categorical, pl.Null) or isinstance(series.dtype, pl.Enum):
        text = _blank_to_null(series.cast(pl.String).str.strip_chars())
        typed, bad, extra = _parse_text(text, column, raw)
    else:
        typed, bad, extra = _convert_typed(series, column)
        text = _shown(series)
    issues = list(extra)
    if bad is not None:
        issues.extend(
            cell_issues(
                bad,
                raw.rows,
                text,
                table=raw.name,
                file=raw.file,
                column=column.name,
                rule="type",
                message=_type_message(column),
            )
        )
    blank = typed.is_null() if bad is None else typed.is_null() & ~bad
    if not column.may_be_blank:
        issues.extend(
            cell_issues(
                blank,
                raw.rows,
                None,
                table=raw.name,
                file=raw.file,
                column=column.name,
                rule="required",
                message=f"missing value; expected {column.expectation()}",
            )
        )
    elif column.default is not None:
        # Blank cells take the default; a bad cell stays blank (it is reported, not guessed).
        default = pl.lit(column.default, dtype=column.polars_dtype)
        typed = pl.select(pl.when(blank).then(default).otherwise(typed)).to_series()
    return typed, issues


def _type_message(column: Column) -> Callable[[object], str]:
    expected = column.expectation()
    numeric = column.dtype in ("float", "int")

    def message(value: object) -> str:
        hint = _hint(value) if numeric else ""
        return f"found {show_value(value)}; expected {expected}{hint}"

    return message


def _blank_to_null(text: pl.Series) -> pl.Series:
    return pl.select(pl.when(text == "").then(None).otherwise(text)).to_series().alias(text.name)


def _parse_text(
    text: pl.Series, column: Column, raw: RawTable
) -> tuple[pl.Series, pl.Series | None, list[Issue]]:
    present = text.is_not_null()
    extra: list[Issue] = []
    if column.dtype == "str":
        return text, None, extra
    if column.dtype in ("float", "int"):
        source = text
        if raw.decimal_comma:
            commas = text.str.contains(r"^[+-]?\d+,\d+$").fill_null(False)
            if commas.any():
                source = pl.select(
                    pl.when(commas).then(text.str.replace(",", ".", literal=True)).otherwise(text)
                ).to_series()
                extra.append(
                    Issue(
                        severity="warning",
                        table=raw.name,
                        row=None,
                        column=column.name,
                        message=(
                            f"{int(commas.sum()):,} numbers with a decimal comma read as decimals "
                            "(the file is semicolon-delimited)"
                        ),
                        file=raw.file,
                        rule="decimal-comma",
                    )
                )
        # Polars' parser is stricter than float(): only plain decimal and exponent notation.
        number = source.cast(pl.Float64, strict=False)
        finite = number.is_finite().fill_null(False)
        bad = present & ~finite
        number = _where(finite, number)
        if column.dtype == "int":
            whole = (number.round(0) == number).fill_null(True) & (number.abs() < 2**53).fill_null(
                True
            )
            bad = bad | (present & ~whole)
            number = pl.select(pl.when(whole).then(number).otherwise(None)).to_series()
            return number.cast(pl.Int64), bad, extra
        return number, bad, extra
    if column.dtype == "bool":
        lower = text.str.to_lowercase()
        value = pl.select(
            pl.when(lower.is_in(TRUE_WORDS))
            .then(True)
            .when(lower.is_in(FALSE_WORDS))
            .then(False)
            .otherwise(None)
        ).to_series()
        return value, present & value.is_null(), extra
    # date: ISO dates; a workbook date cell arrives as YYYY-MM-DD already.
    value = text.str.to_date("%Y-%m-%d", strict=False)
    wellformed = text.str.contains(r"^\d{4}-\d{2}-\d{2}$").fill_null(False)
    value = pl.select(pl.when(wellformed).then(value).otherwise(None)).to_series()
    return value, present & value.is_null(), extra


def _shown(series: pl.Series) -> pl.Series:
    """Typed cells as text for messages (a nested value shows its type)."""
    text = _cast_text(series)
    if text is None:
        return pl.repeat(f"<{series.dtype}>", series.len(), dtype=pl.String, eager=True)
    return text


def _convert_typed(
    series: pl.Series, column: Column
) -> tuple[pl.Series, pl.Series | None, list[Issue]]:
    """Typed (Parquet) cells: cast where the cast cannot change a value, else report.

    The bounds are those of text cells, so that a value means the same in every format: whole
    numbers below 2**53 in int columns, finite numbers in float columns, 0 and 1 as booleans.
    """
    dtype = series.dtype
    target = column.polars_dtype
    present = series.is_not_null()
    numeric = dtype.is_numeric()
    if dtype == target and column.dtype not in ("float", "int"):
        typed = series
    elif column.dtype == "float" and numeric:
        typed = series.cast(pl.Float64, strict=False)
    elif column.dtype == "int" and dtype.is_integer():
        typed = series.cast(pl.Int64, strict=False)
        typed = _where(typed.abs() < 2**53, typed)
    elif column.dtype == "int" and numeric:
        number = series.cast(pl.Float64, strict=False)
        whole = (number.round(0) == number) & (number.abs() < 2**53)
        typed = _where(whole, number).cast(pl.Int64)
    elif column.dtype == "bool" and dtype.is_integer():
        typed = pl.select(
            pl.when(pl.lit(series) == 1).then(True).when(pl.lit(series) == 0).then(False)
        ).to_series()
    elif column.dtype == "date" and isinstance(dtype, pl.Datetime):
        midnight = (
            (series.dt.hour() == 0)
            & (series.dt.minute() == 0)
            & (series.dt.second() == 0)
            & (series.dt.nanosecond() == 0)
        )
        typed = _where(midnight, series.dt.date())
    elif column.dtype == "str" and (numeric or dtype in (pl.Boolean, pl.Date, pl.Datetime)):
        typed = _blank_to_null(series.cast(pl.String).str.strip_chars())
    else:
        typed = pl.repeat(None, series.len(), dtype=target, eager=True)
    if column.dtype == "float":
        typed = _where(typed.is_finite(), typed)
    typed = typed.alias(series.name)
    return typed, present & typed.is_null(), []


def _where(keep: pl.Series, values: pl.Series) -> pl.Series:
    """``values`` where ``keep`` is true, else blank."""
    return pl.select(pl.when(keep.fill_null(False)).then(values)).to_series()
