"""Readers: files → :class:`RawTable` and raw settings, never raising on bad content.

Each reader reports what it meets as issues (encoding, delimiter, headers, blank rows, merged
cells, formulas) and hands text cells to :mod:`millnet.case.coerce`, so that a value means the
same whatever the format.
"""

from __future__ import annotations

import codecs
import collections
import csv
import datetime as dt
import difflib
import io
import itertools
import math
import os
import re
import sys
import tomllib
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from millnet.case.coerce import RawTable, cell_issues
from millnet.issues import Issue, rows_phrase
from millnet.schema import TABLES

#: Largest table file read, in bytes; ``MILLNET_MAX_TABLE_MB`` changes it.
DEFAULT_MAX_TABLE_MB = 512


def max_table_bytes() -> int:
    text = os.environ.get("MILLNET_MAX_TABLE_MB", "")
    try:
        megabytes = float(text) if text else DEFAULT_MAX_TABLE_MB
    except ValueError:
        megabytes = DEFAULT_MAX_TABLE_MB
    if math.isnan(megabytes) or megabytes < 0:
        megabytes = DEFAULT_MAX_TABLE_MB
    return sys.maxsize if math.isinf(megabytes) else int(megabytes * 1024 * 1024)


def megabytes(size: int) -> str:
    """A size for messages: ``512 MB``, ``0.0012 MB``."""
    mb = size / 2**20
    return f"{mb:,.0f} MB" if mb >= 10 else f"{mb:.2g} MB"


def _error(table: str | None, file: str, message: str, rule: str, **kw: Any) -> Issue:
    return Issue("error", table, kw.get("row"), kw.get("column"), message, file, rule)


def _warning(table: str | None, file: str, message: str, rule: str, **kw: Any) -> Issue:
    return Issue("warning", table, kw.get("row"), kw.get("column"), message, file, rule)


# --- headers and rows, shared by CSV and workbooks -------------------------------------------


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def build_raw(
    name: str,
    file: str,
    header: Sequence[object],
    body: pl.DataFrame,
    rows: pl.Series,
    issues: list[Issue],
    decimal_comma: bool = False,
) -> RawTable:
    """Columns from a header and a body of text cells; reports bad headers and drops blank rows.

    ``body`` holds the cells by position (its column names do not matter) and may be wider than
    the header; ``rows`` gives the spreadsheet row of each of its rows.
    """
    table = TABLES[name]
    width = len(header)
    cells = body.get_columns()

    def filled(position: int) -> pl.Series:
        cell = cells[position]
        return cell.is_not_null() & (cell != "")

    names: list[str | None] = []
    for cell in header:
        label = "" if cell is None else str(cell).strip()
        names.append(label or None)
    keep_positions: dict[str, int] = {}
    for position, label in enumerate(names):
        letter = column_letter(position)
        if label is None:
            if position < len(cells) and filled(position).any():
                issues.append(
                    _error(name, file, f"column {letter} has values but no header", "header", row=1)
                )
            continue
        if label in keep_positions:
            first = column_letter(keep_positions[label])
            issues.append(
                _error(
                    name,
                    file,
                    f"column '{label}' appears twice (columns {first} and {letter}); "
                    f"the second was ignored: keep one",
                    "duplicate-header",
                    row=1,
                    column=label,
                )
            )
            continue
        keep_positions[label] = position
        if not table.has_column(label):
            close = difflib.get_close_matches(label, table.column_names, n=1, cutoff=0.75)
            lowered = {c.lower(): c for c in table.column_names}
            guess = lowered.get(label.lower()) or (close[0] if close else None)
            if guess and guess not in names:
                issues.append(
                    _warning(
                        name,
                        file,
                        f"unknown column '{label}' (kept as an extra column); did you mean "
                        f"'{guess}'?",
                        "unknown-column",
                        row=1,
                        column=label,
                    )
                )
    # Rows longer than the header would lose cells: report them.
    if len(cells) > width:
        every = [filled(i) for i in range(len(cells))]
        too_long = pl.select(pl.any_horizontal(every[width:])).to_series()
        counts = pl.select(
            pl.max_horizontal(pl.when(f).then(i + 1) for i, f in enumerate(every))
        ).to_series()
        issues.extend(
            cell_issues(
                too_long,
                rows,
                counts,
                table=name,
                file=file,
                column=None,
                rule="ragged-row",
                message=lambda count: (
                    f"row has {count} cells but the header has {width} columns (a decimal "
                    "comma such as 1,5 splits a cell: write 1.5; quote text that holds "
                    "commas)"
                ),
            )
        )
    # Blank rows are dropped, with a warning when data follows them.
    if cells:
        # one pass over the body (columns of text cells by position)
        blank = body.select(
            pl.all_horizontal(pl.all().is_null() | (pl.all().str.strip_chars() == ""))
        ).to_series()
    else:
        blank = pl.repeat(True, body.height, eager=True)
    data_at = (~blank).arg_true()
    if data_at.len():
        inner = rows.head(int(data_at[-1])).filter(blank.head(int(data_at[-1])))
        if inner.len():
            issues.append(
                _warning(name, file, f"blank {rows_phrase(inner.to_list())} skipped", "blank-row")
            )
    if blank.any():
        kept = ~blank
        cells = [c.filter(kept) for c in cells]
        rows = rows.filter(kept)
    height = rows.len()
    columns = {
        label: (
            cells[pos].alias(label)
            if pos < len(cells)
            else pl.repeat(None, height, dtype=pl.String, eager=True).alias(label)
        )
        for label, pos in keep_positions.items()
    }
    return RawTable(
        name=name,
        file=file,
        columns=columns,
        rows=rows.alias("row"),
        issues=issues,
        decimal_comma=decimal_comma,
    )


def records_frame(records: Sequence[Sequence[str | None]]) -> pl.DataFrame:
    """Text cells by position from ragged records (short records end in blank cells)."""
    width = max((len(r) for r in records), default=0)
    columns = [
        pl.Series(f"c{i}", [r[i] if i < len(r) else None for r in records], dtype=pl.String)
        for i in range(width)
    ]
    if not columns:  # only blank records: a frame of their number of rows
        return pl.DataFrame(height=len(records))
    return pl.DataFrame(columns)


# --- CSV --------------------------------------------------------------------------------------

_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def decode_text(data: bytes, name: str | None, file: str) -> tuple[str | None, list[Issue]]:
    """UTF-8 (with or without BOM); Windows-1252 with a warning; anything else an error."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    head = data[:1000]
    # UTF-16 without a byte order mark: ASCII text has a zero in every other byte.
    zeros = sorted((head[0::2].count(0), head[1::2].count(0)))
    utf16 = len(head) >= 4 and zeros[0] == 0 and zeros[1] * 4 >= len(head)
    workbook = data[:4] == b"PK\x03\x04"
    if not workbook and (data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16):
        return None, [
            _error(
                name,
                file,
                "the file is UTF-16 text; save it as 'CSV UTF-8 (comma delimited)'",
                "encoding",
            )
        ]
    if workbook or b"\x00" in data[:1_000_000]:
        return None, [
            _error(
                name,
                file,
                "this is not a text CSV file (it holds binary data; is it a "
                "workbook saved with a .csv name?)",
                "encoding",
            )
        ]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        try:
            text = data.decode("cp1252")
            encoding = "Windows-1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            encoding = "Latin-1"
        return text, [
            _warning(
                name,
                file,
                f"the file is not UTF-8 (byte 0x{byte:02X} at row {row}); it was read as "
                f"{encoding}: check accented text, or save it as 'CSV UTF-8'",
                "encoding",
                row=row,
            )
        ]


def _sniff_delimiter(text: str) -> str:
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > 0 else ","


#: Files up to this size are parsed by the csv module (quicker to start than polars).
SMALL_FILE_CHARS = 16_384


def read_csv_table(path: Path, name: str) -> RawTable | list[Issue]:
    file = path.name
    limit = max_table_bytes()
    try:
        size = path.stat().st_size
        if size > limit:
            return [
                _error(
                    name,
                    file,
                    f"the file is {megabytes(size)}; millnet reads table "
                    f"files up to {megabytes(limit)} (set MILLNET_MAX_TABLE_MB to "
                    "change it, or use Parquet)",
                    "size",
                )
            ]
        data = path.read_bytes()
    except OSError as exc:
        return [_error(name, file, f"cannot read the file: {exc.strerror or exc}", "unreadable")]
    text, issues = decode_text(data, name, file)
    del data
    if text is None:
        return issues
    if not text.strip():
        expected = ",".join(TABLES[name].column_names)
        return [
            *issues,
            _error(
                name, file, f"the file is empty; expected a header row: {expected}", "empty", row=1
            ),
        ]
    delimiter = _sniff_delimiter(text)
    if delimiter != ",":
        issues.append(
            _warning(
                name,
                file,
                f"the file is {_DELIMITERS[delimiter]}-delimited; read it "
                "as such (millnet writes comma-delimited CSV)",
                "delimiter",
            )
        )
    quotes = _quote_problem(text, delimiter, name, file) if '"' in text else None
    if quotes is not None:
        issues.append(quotes)
    # polars' parser costs about a millisecond to start: small files go through the csv module
    frame = _parse_fast(text, delimiter) if len(text) > SMALL_FILE_CHARS else None
    if frame is not None:
        header: Sequence[object] = frame.row(0)
        body = frame.slice(1)
    else:
        records, stop = _parse_slow(text, delimiter)
        if stop is not None and quotes is None:
            row, reason = stop
            issues.append(
                _error(
                    name,
                    file,
                    f"the file cannot be read past this row ({reason}); the "
                    "rows after it were not read",
                    "syntax",
                    row=row,
                )
            )
        header = records[0] if records else []
        body = records_frame(records[1:])
    rows = pl.int_range(2, body.height + 2, eager=True, dtype=pl.Int64)
    return build_raw(name, file, header, body, rows, issues, decimal_comma=delimiter == ";")


def _quote_problem(text: str, delimiter: str, name: str, file: str) -> Issue | None:
    """A quote mark that the fast parser would read leniently (dropping it) becomes an error.

    The ``csv`` module in strict mode is the referee; records are counted without building
    them (``zip`` and a zero-length ``deque`` keep the loop in C).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    counter = itertools.count()
    try:
        collections.deque(zip(reader, counter, strict=False), maxlen=0)
    except csv.Error as exc:
        row = next(counter) + 1
        reason = str(exc)
        if "field limit" in reason:
            message = (
                f"a cell is longer than {csv.field_size_limit():,} characters (is a quote mark "
                '" not closed?); the rows after it were not read'
            )
        elif "end of data" in reason:
            message = (
                'a quote mark " opens a cell that is never closed, so the rows after it run '
                "into this cell: close the quote, and double quote marks inside a quoted cell "
                '("")'
            )
        else:
            message = (
                'a quote mark " ends a quoted cell but more text follows in the same cell: '
                'quote the whole cell and double the quote marks inside it ("12"" wire")'
            )
        return _error(name, file, message, "quote", row=row)
    return None


def _parse_fast(text: str, delimiter: str) -> pl.DataFrame | None:
    """Polars' CSV parser; ``None`` when it refuses the file (the slow path says why)."""
    if "\r" in text and "\r" in text.replace("\r\n", ""):
        if '"' in text:
            return None  # lone carriage returns, maybe in quoted cells: the csv module reads them
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # old Mac line ends
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            has_header=False,
            infer_schema=False,
            separator=delimiter,
            quote_char='"',
            raise_if_empty=False,
            truncate_ragged_lines=False,
        )
    except Exception:  # polars raises several kinds on malformed CSV; the slow path reports
        return None
    if frame.height == 0 or any(dtype != pl.String for dtype in frame.dtypes):
        return None
    return frame


def _parse_slow(text: str, delimiter: str) -> tuple[list[list[str | None]], tuple[int, str] | None]:
    """Records as the ``csv`` module reads them, and where and why it stopped, if it did."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    records: list[list[str | None]] = []
    try:
        for record in reader:
            records.append(list(record))
    except csv.Error as exc:
        return records, (len(records) + 1, str(exc))
    return records, None


# --- Parquet ----------------------------------------------------------------------------------


def read_parquet_table(path: Path, name: str) -> RawTable | list[Issue]:
    file = path.name
    try:
        size = path.stat().st_size
        if size > max_table_bytes():
            return [
                _error(
                    name,
                    file,
                    f"the file is {megabytes(size)}; millnet reads table files up to "
                    f"{megabytes(max_table_bytes())} (set MILLNET_MAX_TABLE_MB to change it)",
                    "size",
                )
            ]
        frame = pl.read_parquet(path)
    except Exception as exc:  # a corrupt file can raise from several layers
        return [
            _error(
                name,
                file,
                f"cannot read the Parquet file: {str(exc).splitlines()[0]}",
                "unreadable",
            )
        ]
    return RawTable(
        name=name,
        file=file,
        columns={c: frame[c] for c in frame.columns},
        rows=pl.int_range(2, frame.height + 2, eager=True, dtype=pl.Int64).alias("row"),
    )


# --- settings ---------------------------------------------------------------------------------


def read_toml_settings(path: Path) -> tuple[dict[str, Any] | None, dict[str, int], list[Issue]]:
    """``case.toml`` → raw settings, the line of each key, issues."""
    file = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return (
            None,
            {},
            [
                _error(
                    "case",
                    file,
                    "case.toml is missing; it names the case and its currency and units",
                    "missing-file",
                )
            ],
        )
    except (OSError, UnicodeDecodeError) as exc:
        return None, {}, [_error("case", file, f"cannot read case.toml: {exc}", "unreadable")]
    try:
        settings = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        row = int(match.group(1)) if match else None
        return (
            None,
            {},
            [_error("case", file, f"case.toml is not valid TOML: {exc}", "syntax", row=row)],
        )
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        key = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", line)
        if key:
            lines.setdefault(key.group(1), number)
    return settings, lines, []


# --- workbooks --------------------------------------------------------------------------------


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str | int):
        return str(value)
    text = getattr(value, "text", None)  # array formulas
    return text if isinstance(text, str) else str(value)


def _merged_ranges(workbook: Any, sheet: Any) -> list[str]:
    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if path is None or archive is None:
        return []
    try:
        xml = archive.read(path)
    except KeyError:
        return []
    return [m.decode() for m in re.findall(rb'<(?:\w+:)?mergeCell ref="([A-Z0-9:]+)"', xml)]


def read_workbook(
    path: Path,
) -> tuple[dict[str, RawTable | list[Issue]], dict[str, Any] | None, dict[str, int], list[Issue]]:
    """Every table sheet of a workbook, plus the ``case`` sheet's settings.

    Raises :class:`zipfile.BadZipFile` or :class:`OSError` when the file is not a workbook at all
    (and whatever openpyxl raises on a damaged one).
    """
    with warnings.catch_warnings():
        # openpyxl warns about parts millnet does not read (data validation, styles) and about
        # cells it cannot read; those it turns into error values, which coercion reports.
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        return _read_workbook(path)


def _read_workbook(
    path: Path,
) -> tuple[dict[str, RawTable | list[Issue]], dict[str, Any] | None, dict[str, int], list[Issue]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    wb_name = path.name
    issues: list[Issue] = []
    tables: dict[str, RawTable | list[Issue]] = {}
    settings: dict[str, Any] | None = None
    lines: dict[str, int] = {}
    formula_sheets: list[str] = []
    # The file is opened here, not by openpyxl, so that it is closed whatever openpyxl raises.
    with path.open("rb") as handle:
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=False)
        except (InvalidFileException, KeyError) as exc:
            raise zipfile.BadZipFile(str(exc)) from exc
        try:
            for sheet in workbook.worksheets:
                title = sheet.title
                file = f"{wb_name}[{title}]"
                if title == "case":
                    settings, lines, found = _read_settings_sheet(sheet, file)
                    issues.extend(found)
                    continue
                if title not in TABLES:
                    close = difflib.get_close_matches(title, list(TABLES), n=1, cutoff=0.8)
                    if close and not title.startswith("_"):
                        issues.append(
                            _warning(
                                None,
                                file,
                                f"sheet '{title}' is not a case table "
                                f"and was ignored; did you mean '{close[0]}'?",
                                "unknown-table",
                            )
                        )
                    continue
                merged = _merged_ranges(workbook, sheet)
                raw, has_formulas = _read_table_sheet(sheet, title, file, merged)
                if has_formulas:
                    formula_sheets.append(title)
                tables[title] = raw
        finally:
            workbook.close()
    if formula_sheets:
        _resolve_formulas(path, tables, formula_sheets)
    return tables, settings, lines, issues


def _iter_sheet(sheet: Any) -> Iterable[tuple[int, list[Any]]]:
    for row in sheet.iter_rows():
        cells = list(row)
        number = next((c.row for c in cells if getattr(c, "row", None)), None)
        yield number or 0, cells


def _read_table_sheet(
    sheet: Any, name: str, file: str, merged: list[str]
) -> tuple[RawTable | list[Issue], bool]:
    issues: list[Issue] = []
    for ref in merged:
        issues.append(
            _error(
                name,
                file,
                f"merged cells {ref}: unmerge them and fill every cell",
                "merged-cells",
                row=_first_row(ref),
            )
        )
    header: list[object] | None = None
    records: list[list[str | None]] = []
    rows: list[int] = []
    formulas = False
    expected_row = 1
    for number, cells in _iter_sheet(sheet):
        values: list[str | None] = []
        for cell in cells:
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or (
                isinstance(value, str)
                and value.startswith("=")
                and getattr(cell, "data_type", None) == "f"
            ):
                formulas = True
            values.append(_cell_text(value))
        if number == 0:
            number = expected_row
        expected_row = number + 1
        if header is None:
            if number != 1 or all(v is None for v in values):
                if all(v is None for v in values):
                    continue
                issues.append(
                    _error(
                        name, file, "row 1 must hold the column names; it is empty", "header", row=1
                    )
                )
                return issues, False
            header = values
            continue
        # openpyxl skips wholly empty rows in read-only mode: keep numbering as the sheet does.
        records.append(values)
        rows.append(number)
    if header is None:
        expected = ", ".join(TABLES[name].column_names)
        return [
            *issues,
            _error(
                name, file, f"the sheet is empty; expected a header row: {expected}", "empty", row=1
            ),
        ], False
    raw = build_raw(
        name, file, header, records_frame(records), pl.Series("row", rows, dtype=pl.Int64), issues
    )
    return raw, formulas


def _first_row(ref: str) -> int | None:
    match = re.match(r"[A-Z]+(\d+)", ref)
    return int(match.group(1)) if match else None


def _resolve_formulas(
    path: Path, tables: dict[str, RawTable | list[Issue]], sheets: list[str]
) -> None:
    """Formula cells: use the value Excel saved with the workbook, or report that there is none."""
    import openpyxl

    with path.open("rb") as formulas_file, path.open("rb") as values_file:
        formulas = openpyxl.load_workbook(formulas_file, read_only=True, data_only=False)
        values = openpyxl.load_workbook(values_file, read_only=True, data_only=True)
        _use_saved_values(formulas, values, tables, sheets)


def _use_saved_values(
    formulas: Any, values: Any, tables: dict[str, RawTable | list[Issue]], sheets: list[str]
) -> None:
    try:
        for name in sheets:
            raw = tables[name]
            if not isinstance(raw, RawTable):
                continue
            file = raw.file
            header: list[str | None] = []
            updates: dict[str, dict[int, str | None]] = {}
            f_rows = formulas[name].iter_rows()
            v_rows = values[name].iter_rows()
            for f_cells, v_cells in zip(f_rows, v_rows, strict=False):
                f_cells = list(f_cells)
                v_cells = list(v_cells)
                if not header:
                    header = [_cell_text(getattr(c, "value", None)) for c in f_cells]
                    continue
                for position, cell in enumerate(f_cells):
                    if getattr(cell, "data_type", None) != "f":
                        continue
                    column = header[position] if position < len(header) else None
                    column = column.strip() if column else None
                    row = cell.row
                    saved = (
                        getattr(v_cells[position], "value", None)
                        if position < len(v_cells)
                        else None
                    )
                    if column is None:
                        continue
                    formula = _cell_text(cell.value)
                    if saved is None:
                        raw.issues.append(
                            _error(
                                name,
                                file,
                                f"the cell holds the formula '{formula}' "
                                "with no saved value; open and save the workbook in Excel, "
                                "or paste the values",
                                "formula",
                                row=row,
                                column=column,
                            )
                        )
                        # The formula stays in the cell: blank, it could take a default.
                        updates.setdefault(column, {})[row] = formula
                    else:
                        raw.issues.append(
                            _warning(
                                name,
                                file,
                                f"the cell holds the formula '{formula}'; "
                                f"its saved value {saved!r} was used",
                                "formula",
                                row=row,
                                column=column,
                            )
                        )
                        updates.setdefault(column, {})[row] = _cell_text(saved)
            row_index = {r: i for i, r in enumerate(raw.rows.to_list())}
            for column, cells in updates.items():
                if column not in raw.columns:
                    continue
                values_list = raw.columns[column].to_list()
                for row, text in cells.items():
                    if row in row_index:
                        values_list[row_index[row]] = text
                raw.columns[column] = pl.Series(column, values_list, dtype=pl.String)
    finally:
        formulas.close()
        values.close()


def _read_settings_sheet(
    sheet: Any, file: str
) -> tuple[dict[str, Any], dict[str, int], list[Issue]]:
    settings: dict[str, Any] = {}
    lines: dict[str, int] = {}
    issues: list[Issue] = []
    for number, cells in _iter_sheet(sheet):
        values = [getattr(c, "value", None) for c in cells]
        if number == 1 and [str(v).strip() if v else "" for v in values[:2]] == ["key", "value"]:
            continue
        if not values or values[0] is None:
            continue
        key = str(values[0]).strip()
        lines[key] = number
        value = values[1] if len(values) > 1 else None
        if value is None:
            continue
        settings[key] = value if not isinstance(value, str) else value.strip()
    return settings, lines, issues
