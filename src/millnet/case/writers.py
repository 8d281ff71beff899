"""Write a case as a CSV folder, a Parquet folder or a workbook, losslessly.

Reading back what was written gives a case with the same fingerprint.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import polars as pl

from millnet.case.model import Case, CaseFormat, canonical_frame
from millnet.errors import MillnetError
from millnet.schema import TABLES, CaseMeta
from millnet.schema.core import Column

#: Rows a workbook sheet can hold below its header.
XLSX_MAX_ROWS = 1_048_575


def format_for(path: Path, requested: str | None = None) -> CaseFormat:
    """The output format: as requested, else xlsx for ``*.xlsx``, else a CSV folder."""
    if requested is not None:
        if requested not in ("csv", "xlsx", "parquet"):
            raise MillnetError(f"unknown format '{requested}'; expected csv, xlsx or parquet")
        return requested  # type: ignore[return-value]
    return "xlsx" if path.suffix.lower() == ".xlsx" else "csv"


def write_case(case: Case, out: str | Path, fmt: str | None = None) -> Path:
    """Write ``case`` to ``out`` (a folder for csv/parquet, a file for xlsx).

    Writes to a temporary place first and moves it into place, so a failure leaves nothing
    half-written; an existing output is replaced only when it is a millnet case or empty.
    """
    out = Path(out)
    fmt = format_for(out, fmt)
    if case.meta is None:
        raise MillnetError("the case has no valid settings (case.toml); fix them before writing")
    if fmt == "xlsx" and out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise MillnetError(
            f"{out}: a workbook is read back only from a name ending in .xlsx; "
            f"give one, e.g. {out.name}.xlsx"
        )
    _check_replaceable(out, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".millnet-") as tmp:
        staging = Path(tmp) / out.name
        if fmt == "xlsx":
            write_workbook(case, staging)
        else:
            staging.mkdir()
            (staging / "case.toml").write_text(case.meta.to_toml(), encoding="utf-8")
            for name in TABLES:
                frame = canonical_frame(name, case.tables[name])
                if fmt == "csv":
                    frame.write_csv(staging / f"{name}.csv", null_value="", date_format="%Y-%m-%d")
                else:
                    frame.write_parquet(staging / f"{name}.parquet")
        if out.is_dir():
            shutil.rmtree(out)
        elif out.exists():
            out.unlink()
        staging.replace(out)
    return out


def _check_replaceable(out: Path, fmt: CaseFormat) -> None:
    if not out.exists():
        return
    if fmt == "xlsx":
        if out.is_dir():
            raise MillnetError(f"{out}: is a folder; give a file name ending in .xlsx")
        return
    if out.is_file():
        raise MillnetError(f"{out}: is a file; give a folder name for a {fmt} case")
    entries = list(out.iterdir())
    if entries and not (out / "case.toml").exists():
        raise MillnetError(
            f"{out}: the folder is not empty and is not a millnet case; choose another folder"
        )


def write_workbook(case: Case, path: Path, *, template: bool = False) -> None:
    """One sheet per table plus a ``case`` sheet of settings and a ``_columns`` guide."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    # Check everything before the first sheet is made: a write-only workbook left unsaved
    # cannot be closed cleanly.
    meta = case.meta.model_dump() if case.meta is not None else dict.fromkeys(CaseMeta.model_fields)
    for key, value in meta.items():
        if isinstance(value, str) and _NOT_IN_CELLS.search(value):
            raise MillnetError(
                f"setting '{key}' holds {_describe(value)}, which a workbook cell cannot keep; "
                "remove it, or write CSV or Parquet instead"
            )
    frames = {name: canonical_frame(name, case.tables[name]) for name in TABLES}
    for name, frame in frames.items():
        if frame.height > XLSX_MAX_ROWS:
            raise MillnetError(
                f"table '{name}' has {frame.height:,} rows, more than a workbook sheet holds "
                f"({XLSX_MAX_ROWS:,}); write CSV or Parquet instead"
            )
        _check_cells(name, frame)

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")

    def header_cell(sheet: Any, text: str, note: str | None = None) -> Any:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cell.fill = fill
        if note:
            cell.comment = Comment(note, "millnet", width=320, height=120)
        return cell

    def text_cell(sheet: Any, value: Any) -> Any:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # a text starting with '=' stays text, not a formula
        return cell

    settings = workbook.create_sheet("case")
    settings.append([header_cell(settings, "key"), header_cell(settings, "value")])
    for key, value in meta.items():
        if value is None and not template:
            continue
        settings.append([text_cell(settings, key), text_cell(settings, value)])

    for name, table in TABLES.items():
        frame = frames[name]
        sheet = workbook.create_sheet(name)
        headers = []
        for column_name in frame.columns:
            column = table.column(column_name) if table.has_column(column_name) else None
            note = _column_note(column) if column is not None else None
            headers.append(header_cell(sheet, column_name, note))
        sheet.append(headers)
        for record in frame.iter_rows():
            sheet.append([_cell(sheet, v, text_cell) for v in record])

    guide = workbook.create_sheet("_columns")
    guide.append(
        [
            header_cell(guide, h)
            for h in (
                "table",
                "column",
                "type",
                "unit",
                "required",
                "default",
                "allowed",
                "description",
            )
        ]
    )
    for name, table in TABLES.items():
        for column in table.columns:
            guide.append(
                [
                    name,
                    column.name,
                    column.dtype,
                    column.unit,
                    "yes" if column.required and not column.nullable else "no",
                    "" if column.default is None else str(column.default),
                    column.expectation(),
                    column.description,
                ]
            )
    try:
        workbook.save(path)
    except Exception as exc:  # openpyxl refuses some characters (control codes) in cells
        raise MillnetError(f"cannot write the workbook {path.name}: {exc}") from exc


#: Characters a workbook cell cannot keep: XML forbids most control characters, and XML
#: parsers turn a carriage return into a line feed.
_NOT_IN_CELLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r]")
#: Excel's calendar starts on 1900-01-01; earlier dates are written as ISO text.
_FIRST_EXCEL_DATE = dt.date(1900, 1, 1)


def _describe(text: str) -> str:
    match = _NOT_IN_CELLS.search(text)
    char = match.group(0) if match else ""
    return "a carriage return (\\r)" if char == "\r" else f"the control character {char!r}"


def _check_cells(name: str, frame: pl.DataFrame) -> None:
    """Refuse text a workbook cell would not keep as it is, naming the first such cell."""
    for column in frame.columns:
        if _NOT_IN_CELLS.search(column):
            raise MillnetError(
                f"{name}: the column name {column!r} holds {_describe(column)}, which a "
                "workbook cell cannot keep; rename the column, or write CSV or Parquet instead"
            )
        if frame[column].dtype != pl.String:
            continue
        bad = frame[column].str.contains(_NOT_IN_CELLS.pattern).fill_null(False)
        if bad.any():
            index = int(bad.arg_true()[0])
            value = frame[column][index]
            raise MillnetError(
                f"{name}, row {index + 2}, column {column}: the text holds {_describe(value)}, "
                "which a workbook cell cannot keep; remove it, or write CSV or Parquet instead"
            )


def _cell(sheet: Any, value: Any, text_cell: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        return text_cell(sheet, value)
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return text_cell(sheet, repr(value))  # read back as the bad cell it is, as from CSV
    if isinstance(value, dt.date) and value < _FIRST_EXCEL_DATE:
        return text_cell(sheet, value.isoformat())
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        # openpyxl writes numbers with 16 significant digits, which changes some doubles
        # (0.30000000000000004 becomes 0.3); the shortest exact form is written instead.
        cell._value = repr(value)
    return cell


def _column_note(column: Column) -> str:
    parts = [column.description, f"Expected: {column.expectation()}."]
    if column.unit:
        parts.append(f"Unit: {column.unit}.")
    if not column.required:
        parts.append(
            "Optional" + (f" (default {column.default})." if column.default is not None else ".")
        )
    elif column.nullable:
        parts.append("May be blank.")
    return " ".join(parts)


def write_template(path: str | Path) -> Path:
    """An empty workbook with every table, its columns, their descriptions and units."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise MillnetError(f"{path}: the template is a workbook; give a name ending in .xlsx")
    if path.is_dir():
        raise MillnetError(f"{path}: is a folder; give a file name ending in .xlsx")
    empty = Case(meta=None, tables={name: t.empty_frame() for name, t in TABLES.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(empty, path, template=True)
    return path
