"""Fuzzing the readers: no file content makes reading or validating raise anything but
millnet's own errors, and every issue has a message and a row that a spreadsheet could show.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing.parametric import column, dataframes

from millnet.case import example_path, read_case, write_case
from millnet.errors import MillnetError
from millnet.issues import Issue
from millnet.schema import TABLES
from millnet.validate import validate

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TABLE_NAMES = st.sampled_from(list(TABLES))


@contextmanager
def mini_copy() -> Iterator[Path]:
    """A fresh copy of the example case for one example (function fixtures do not reset)."""
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(shutil.copytree(example_path("mini"), Path(tmp) / "mini"))


with mini_copy() as _case:
    FUZZ_CASE = read_case(_case)
META = FUZZ_CASE.meta.model_dump(exclude_none=True) if FUZZ_CASE.meta else {}


def check(path: Path, *, may_raise: bool = True) -> list[Issue]:
    """Read and validate ``path``; only a :class:`MillnetError` may escape (when allowed)."""
    try:
        case = read_case(path)
    except MillnetError:
        if not may_raise:
            raise
        return []
    report = validate(case)
    issues = [*case.read_issues, *report.issues]
    for issue in issues:
        assert issue.severity in ("error", "warning"), issue
        assert isinstance(issue.message, str), issue
        assert issue.message.strip(), issue
        assert issue.row is None or (type(issue.row) is int and issue.row >= 1), issue
        assert str(issue)
    json.dumps(report.to_json(), allow_nan=False)
    return issues


def rows_in(issues: list[Issue], file: str) -> list[int]:
    return [i.row for i in issues if i.file == file and i.row is not None]


# --- CSV ----------------------------------------------------------------------------------------


@settings(FUZZ, max_examples=60)
@given(name=TABLE_NAMES, data=st.binary(max_size=600))
def test_csv_reader_survives_any_bytes(name, data):
    with mini_copy() as case:
        (case / f"{name}.csv").write_bytes(data)
        check(case, may_raise=False)


CSV_CHARS = st.sampled_from(
    [
        ",",
        ";",
        "\t",
        '"',
        "\n",
        "\r",
        "\r\n",
        " ",
        "a",
        "b",
        "1",
        "0",
        ".",
        "-",
        "e",
        "é",
        "€",
        "\ufeff",
        "\x00",
        "=",
        "#",
        "nan",
        "inf",
        "true",
        "2009-01-01",
        "🙂",
    ]
)


@settings(FUZZ, max_examples=60)
@given(
    name=TABLE_NAMES,
    text=st.lists(CSV_CHARS, max_size=80).map("".join),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_csv_reader_survives_any_text(name, text, encoding):
    with mini_copy() as case:
        (case / f"{name}.csv").write_bytes(text.encode(encoding, errors="replace"))
        issues = check(case, may_raise=False)
        lines = text.count("\n") + text.count("\r") + 2
        assert all(row <= lines for row in rows_in(issues, f"{name}.csv"))


GARBAGE_CELL = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "NaN",
            "-inf",
            "Infinity",
            "1,5",
            "1.5",
            "1e999",
            "-0",
            "0",
            "1",
            "2",
            "1.0",
            "9007199254740993",
            "true",
            "FALSE",
            "yes",
            "2009-01-01",
            "2009-13-45",
            "01/02/2009",
            "2009Q1",
            "US",
            "usd",
            "EUR",
            "USD/lb",
            "copper",
            "fixed",
            "running",
            '"',
            '""',
            "=1+1",
            "50%",
            "$3",
            "x" * 300,
            "a\nb",
            "é",
            "\x00",
        ]
    ),
    st.text(max_size=8),
    st.floats().map(repr),
    st.integers().map(str),
)


def csv_cell(value: str, delimiter: str) -> str:
    needs_quotes = any(ch in value for ch in (delimiter, '"', "\n", "\r"))
    return '"' + value.replace('"', '""') + '"' if needs_quotes else value


@st.composite
def table_texts(draw: st.DrawFn) -> tuple[str, str]:
    """A table file with a plausible header (maybe with a column missing, doubled, misspelt or
    extra) and garbage cells, quoted or not, in any delimiter and line ending."""
    name = draw(TABLE_NAMES)
    header = list(TABLES[name].column_names)
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if draw(st.booleans()) and len(header) > 1:
        del header[draw(st.integers(0, len(header) - 1))]
    extras = ["", "extra", header[0], header[0].upper(), header[-1] + "s"]
    header += draw(st.lists(st.sampled_from(extras), max_size=2))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote = draw(st.booleans())
    rows = draw(st.lists(st.lists(GARBAGE_CELL, min_size=0, max_size=len(header) + 2), max_size=8))
    lines = [delimiter.join(header)]
    for row in rows:
        lines.append(delimiter.join(csv_cell(c, delimiter) if quote else c for c in row))
    return name, newline.join(lines) + draw(st.sampled_from(["", newline]))


@settings(FUZZ, max_examples=100)
@given(table=table_texts())
def test_csv_reader_survives_valid_headers_with_garbage_bodies(table):
    name, text = table
    with mini_copy() as case:
        (case / f"{name}.csv").write_bytes(text.encode("utf-8"))
        issues = check(case, may_raise=False)
        lines = text.count("\n") + text.count("\r") + 2
        assert all(row <= lines for row in rows_in(issues, f"{name}.csv"))


# --- workbooks ----------------------------------------------------------------------------------

WORKBOOK_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=10) | (
    st.sampled_from(["=1/0", "=A1+1", "=SUM(A1:A3)", "=(", "#N/A", "2009Q1", "USD", "true"])
)
WORKBOOK_VALUE = st.one_of(
    st.none(),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(),
    st.booleans(),
    WORKBOOK_TEXT,
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1)),
    st.times(),
)
Cells = list[tuple[int, int, object]]


@st.composite
def workbook_specs(draw: st.DrawFn) -> dict[str, Cells]:
    """A well-formed workbook as sheets of ``(row, column, value)`` cells, merged ranges as
    ``(row, column, ("merge", rows, columns))``: a case sheet, table sheets with plausible
    headers, cells of every type, formulas (never calculated, so without saved values)."""
    settings_cells: Cells = [(1, 1, "key"), (1, 2, "value")]
    pairs = [(k, v) for k, v in META.items() if draw(st.integers(0, 9))]
    pairs += draw(st.lists(st.tuples(WORKBOOK_TEXT, WORKBOOK_VALUE), max_size=2))
    for row, (key, value) in enumerate(pairs, start=2):
        settings_cells += [(row, 1, key), (row, 2, value)]
    sheets = {"case": settings_cells}
    names = draw(st.lists(st.sampled_from([*TABLES, "plant", "_notes"]), unique=True, max_size=4))
    for name in names:
        header: list[object] = list(TABLES[name].column_names) if name in TABLES else ["x"]
        if draw(st.integers(0, 3)) == 0:
            header = draw(st.lists(st.sampled_from([*header, None, "extra", 7]), max_size=10))
        first = draw(st.sampled_from([1, 1, 1, 2]))
        width = len(header) + 1
        height = draw(st.integers(0, 6))
        cells: Cells = [(first, col, value) for col, value in enumerate(header, start=1)]
        cells += draw(
            st.lists(
                st.tuples(
                    st.integers(first + 1, first + 1 + height),
                    st.integers(1, width),
                    WORKBOOK_VALUE,
                ),
                max_size=40,
            )
        )
        for _ in range(draw(st.integers(0, 2))):
            merge = ("merge", draw(st.integers(0, 2)), draw(st.integers(0, 2)))
            cells.append((draw(st.integers(1, 5)), draw(st.integers(1, width)), merge))
        sheets[name] = cells
    return sheets


def build_workbook(spec: dict[str, Cells], path: Path) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, cells in spec.items():
        sheet = book.create_sheet(name)
        for row, col, value in cells:
            if isinstance(value, tuple):
                _, rows, cols = value
                sheet.merge_cells(
                    start_row=row, start_column=col, end_row=row + rows, end_column=col + cols
                )
            else:
                sheet.cell(row=row, column=col, value=value)
    book.save(path)
    return path


@settings(FUZZ, max_examples=60)
@given(spec=workbook_specs())
def test_workbook_reader_survives_any_well_formed_workbook(spec):
    with tempfile.TemporaryDirectory() as tmp:
        path = build_workbook(spec, Path(tmp) / "book.xlsx")
        check(path, may_raise=False)  # a well-formed workbook always opens


def _example_workbook() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_case(FUZZ_CASE, Path(tmp) / "book.xlsx")
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}


EXAMPLE_PARTS = _example_workbook()
PATCHES = st.one_of(
    st.binary(max_size=6), st.sampled_from([b"<", b">", b'"', b"<f>A1</f>", b'r="ZZ9"', b"&"])
)


@st.composite
def damaged_workbooks(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, bytes]], bool]:
    """One part of the example workbook with a few bytes cut or replaced, or left out."""
    member = draw(st.sampled_from(sorted(EXAMPLE_PARTS)))
    size = len(EXAMPLE_PARTS[member])
    edits = draw(
        st.lists(
            st.tuples(st.integers(0, max(size - 1, 0)), st.integers(0, 8), PATCHES),
            min_size=1,
            max_size=4,
        )
    )
    return member, edits, draw(st.integers(0, 9)) == 0


@settings(FUZZ, max_examples=60)
@given(damage=damaged_workbooks())
def test_workbook_reader_survives_damaged_workbooks(damage):
    member, edits, drop = damage
    data = bytearray(EXAMPLE_PARTS[member])
    for position, cut, patch in edits:
        data[position : position + cut] = patch
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.xlsx"
        with zipfile.ZipFile(path, "w") as archive:
            for name, part in EXAMPLE_PARTS.items():
                if name != member:
                    archive.writestr(name, part)
                elif not drop:
                    archive.writestr(name, bytes(data))
        check(path)


@settings(FUZZ, max_examples=40)
@given(data=st.binary(max_size=300))
def test_workbook_reader_survives_any_bytes(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.xlsx"
        path.write_bytes(data)
        check(path)


# --- Parquet ------------------------------------------------------------------------------------


@contextmanager
def parquet_copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield write_case(FUZZ_CASE, Path(tmp) / "pq", "parquet")


@settings(FUZZ, max_examples=40)
@given(name=TABLE_NAMES, data=st.binary(max_size=300))
def test_parquet_reader_survives_any_bytes(name, data):
    with parquet_copy() as case:
        (case / f"{name}.parquet").write_bytes(data)
        issues = check(case, may_raise=False)
        assert any(i.rule == "unreadable" and i.file == f"{name}.parquet" for i in issues)


@st.composite
def typed_tables(draw: st.DrawFn) -> tuple[str, pl.DataFrame]:
    """Columns named as a table's (or not), of any type polars has."""
    name = draw(TABLE_NAMES)
    names = draw(
        st.lists(
            st.sampled_from([*TABLES[name].column_names, "extra"]),
            unique=True,
            min_size=1,
            max_size=6,
        )
    )
    return name, draw(dataframes(cols=[column(n) for n in names], max_size=6))


@settings(FUZZ, max_examples=80)
@given(table=typed_tables())
def test_parquet_reader_survives_columns_of_any_type(table):
    name, frame = table
    with parquet_copy() as case:
        frame.write_parquet(case / f"{name}.parquet")
        check(case, may_raise=False)


# --- a rule that fuzzing found failing -----------------------------------------------------------


def test_plan_from_rule_survives_a_blank_period_id(tmp_path):
    case = Path(shutil.copytree(example_path("mini"), tmp_path / "mini"))
    (case / "periods.csv").write_text("id,start,end,order\n,2009-01-01,2009-03-31,1\n")
    check(case, may_raise=False)
