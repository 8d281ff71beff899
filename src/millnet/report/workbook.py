"""Every result table in one Excel workbook, for planners who carry on in a spreadsheet.

One sheet per table (bold filled header with the unit of each column, frozen header row,
autofilter, column widths that fit), numbers stored as numbers with number formats, and a
``summary`` sheet first with the outcome, the KPIs of the registry and an index of the sheets.
Written in openpyxl's write-only mode, so a large plan does not need the workbook in memory.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from millnet.errors import MillnetError
from millnet.report.columns import KPI_KINDS, TABLES, header, kind_of, kpi_header
from millnet.results.kpis import KPIS, compute
from millnet.results.results import Results

#: Excel number formats by number kind (see :mod:`millnet.report.columns`).
NUMBER_FORMATS = {
    "money": "#,##0",
    "rate": "#,##0.0000",
    "mass": "#,##0",
    "quantity": "#,##0",
    "share": "0.0%",
    "degree": "0.0000",
    "count": "0",
    "periods": "0",
    "distance": "#,##0.0",
}
INTEGER_FORMAT = "0"
FLOAT_FORMAT = "#,##0.00"
#: Rows a sheet can hold below its header.
MAX_ROWS = 1_048_575
#: Rows read to size a column (the rest are assumed alike).
SIZE_ROWS = 500
#: A KPI table longer than this is left to its sheet rather than copied to the summary.
SUMMARY_KPI_ROWS = 60

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="14324F")
_TITLE_FONT = Font(bold=True, size=14)
_SECTION_FONT = Font(bold=True, size=12, color="14324F")
_KEY_FONT = Font(bold=True)


def _version() -> str:
    try:
        return version("millnet")
    except PackageNotFoundError:
        return "(development)"


def _value(value: Any) -> Any:
    """A cell value Excel can hold: NaN and infinity as empty cells, everything else as is."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple | dict):
        return str(value)
    return value


def _number_format(dtype: pl.DataType, kind: str | None) -> str | None:
    if not dtype.is_numeric():
        return None
    if kind in NUMBER_FORMATS:
        return NUMBER_FORMATS[kind]
    return INTEGER_FORMAT if dtype.is_integer() else FLOAT_FORMAT


def _header_cells(ws: WriteOnlyWorksheet, names: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cells.append(cell)
    return cells


def _width(texts: Iterable[str]) -> float:
    return min(60.0, max((len(t) for t in texts), default=8) + 2.5)


def _shown(value: Any, fmt: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and fmt and "%" in fmt:
        return f"{value:.1%}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,.2f}" if fmt == FLOAT_FORMAT else f"{value:,.0f}"
    return str(value)


def _rows(
    ws: WriteOnlyWorksheet, frame: pl.DataFrame, formats: Sequence[str | None]
) -> Iterable[list[Any]]:
    for row in frame.iter_rows():
        out: list[Any] = []
        for value, fmt in zip(row, formats, strict=True):
            value = _value(value)
            if fmt is not None and value is not None:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = fmt
                out.append(cell)
            else:
                out.append(value)
        yield out


def _table_sheet(wb: Workbook, name: str, frame: pl.DataFrame, results: Results) -> None:
    if frame.height > MAX_ROWS:
        raise MillnetError(
            f"table {name}: {frame.height:,} rows do not fit in one Excel sheet "
            f"({MAX_ROWS:,} at most); write the results folder (Parquet) instead"
        )
    ws = wb.create_sheet(title=name[:31])
    headers = [header(name, c, results.currency, results.mass_unit) for c in frame.columns]
    formats = [_number_format(frame.schema[c], kind_of(name, c)) for c in frame.columns]
    sample = frame.head(SIZE_ROWS)
    for i, (column, head) in enumerate(zip(frame.columns, headers, strict=True), start=1):
        shown = [_shown(v, formats[i - 1]) for v in sample[column].to_list()]
        ws.column_dimensions[get_column_letter(i)].width = _width([head, *shown])
    ws.freeze_panes = "A2"
    if frame.width:
        last = get_column_letter(frame.width)
        ws.auto_filter.ref = f"A1:{last}{frame.height + 1}"
    ws.append(_header_cells(ws, headers))
    for row in _rows(ws, frame, formats):
        ws.append(row)


def _key_value(ws: WriteOnlyWorksheet, key: str, value: Any, fmt: str | None = None) -> None:
    k = WriteOnlyCell(ws, value=key)
    k.font = _KEY_FONT
    v = WriteOnlyCell(ws, value=_value(value))
    if fmt and isinstance(value, int | float):
        v.number_format = fmt
    ws.append([k, v])


def _section(ws: WriteOnlyWorksheet, title: str) -> None:
    ws.append([])
    cell = WriteOnlyCell(ws, value=title)
    cell.font = _SECTION_FONT
    ws.append([cell])


def _option(value: object) -> Any:
    if isinstance(value, tuple | list):
        return (
            "; ".join(
                " ".join(map(str, v)) if isinstance(v, tuple | list) else str(v) for v in value
            )
            or "none"
        )
    return "default" if value is None else value


def _summary_sheet(wb: Workbook, results: Results, made: datetime) -> None:
    ws = wb.create_sheet(title="summary")
    ws.column_dimensions["A"].width = 34
    for letter in "BCDEFGH":
        ws.column_dimensions[letter].width = 20
    c, m = results.currency, results.mass_unit
    title = WriteOnlyCell(ws, value=f"Network plan — {results.case_name}")
    title.font = _TITLE_FONT
    ws.append([title])
    outcome = results.outcome
    _section(ws, "Outcome")
    rows: list[tuple[str, Any, str | None]] = [
        ("case", results.case_name, None),
        ("case fingerprint", results.case_fingerprint, None),
        ("scenario", results.scenario or "base", None),
        ("status", outcome.status.value, None),
        ("termination", outcome.termination, None),
        (f"objective [{c}]", outcome.objective, NUMBER_FORMATS["money"]),
        (f"bound [{c}]", outcome.bound, NUMBER_FORMATS["money"]),
        ("gap [%]", outcome.gap, "0.0000%"),
        ("solver", outcome.solver, None),
        (f"all plants running [{c}]", results.reference_objective, NUMBER_FORMATS["money"]),
        ("currency", c, None),
        ("mass unit", m, None),
        ("made by", f"millnet {_version()}", None),
        ("made on", made.strftime("%Y-%m-%d %H:%M %Z").strip(), None),
    ]
    rows += [(f"time: {k.removesuffix('_s')} [s]", v, "0.00") for k, v in results.timings.items()]
    for key, value, fmt in rows:
        _key_value(ws, key, value, fmt)
    if results.explanation:
        _section(ws, "Why there is no plan")
        for line in results.explanation:
            ws.append([line])
    _section(ws, "Options")
    for key, value in results.options.items():
        _key_value(ws, key, _option(value))
    if results.tables:
        for kpi in KPIS.values():
            try:
                table = compute(results, kpi.name)
            except KeyError:  # a KPI of a table these results do not carry
                continue
            _section(ws, f"{kpi.name}: {kpi.description}")
            if table.height > SUMMARY_KPI_ROWS:
                ws.append(
                    [f"{table.height:,} rows: too long for this summary; see the result sheets."]
                )
                continue
            if table.height == 0:
                ws.append(["(none)"])
                continue
            ws.append(_header_cells(ws, [kpi_header(col, c, m) for col in table.columns]))
            formats = [
                _number_format(table.schema[col], KPI_KINDS.get(col)) for col in table.columns
            ]
            for row in _rows(ws, table, formats):
                ws.append(row)
    _section(ws, "Sheets")
    ws.append(_header_cells(ws, ["sheet", "rows", "what it holds"]))
    for name in sheet_order(results):
        declared = TABLES.get(name)
        ws.append([name[:31], results[name].height, declared.description if declared else ""])


def sheet_order(results: Results) -> list[str]:
    """The result tables in the order a reader wants them: the declared ones in declaration
    order (decisions first, then flows, costs, metal, places), then any others as they come."""
    declared = [name for name in TABLES if name in results.tables]
    return declared + [name for name in results.tables if name not in TABLES]


def write_workbook(results: Results, path: str | Path, *, made: datetime | None = None) -> Path:
    """Write ``results`` as an .xlsx workbook at ``path``: ``summary`` first, then one sheet per
    result table (see :func:`sheet_order`)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise MillnetError(f"{path}: a workbook needs the .xlsx extension")
    made = made or datetime.now().astimezone()
    wb = Workbook(write_only=True)
    _summary_sheet(wb, results, made)
    for name in sheet_order(results):
        _table_sheet(wb, name, results[name], results)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.title = f"Network plan — {results.case_name}"
    wb.properties.creator = f"millnet {_version()}"
    wb.save(path)
    return path


__all__ = ["write_workbook"]
