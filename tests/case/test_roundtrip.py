"""The same case loads identically from CSV, Excel and Parquet, and conversion is lossless."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from millnet.case import Case, example_path, load_example, read_case, write_case
from millnet.cli.app import main
from millnet.errors import MillnetError
from millnet.schema import TABLES
from millnet.schema.core import Column

EXAMPLE = load_example("mini")
FORMATS = {"csv": "case", "parquet": "case", "xlsx": "case.xlsx"}


def assert_same_case(actual: Case, expected: Case) -> None:
    assert actual.meta == expected.meta
    for name in TABLES:
        try:
            assert_frame_equal(actual[name], expected[name], check_exact=True)
        except AssertionError as exc:
            raise AssertionError(f"table {name}: {exc}") from None
    assert actual.fingerprint == expected.fingerprint


def write_read(case: Case, folder: Path, fmt: str) -> Case:
    path = write_case(case, folder / fmt / FORMATS[fmt], fmt)
    return read_case(path)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_example_loads_identically_from_every_format(tmp_path, fmt):
    case = write_read(EXAMPLE, tmp_path, fmt)
    assert case.read_issues == ()
    assert case.source_format == fmt
    assert_same_case(case, EXAMPLE)
    for name in TABLES:
        assert case.row_numbers(name).to_list() == EXAMPLE.row_numbers(name).to_list()


def test_conversion_chain_keeps_the_fingerprint(tmp_path):
    chain = [
        (tmp_path / "a.xlsx", "xlsx"),
        (tmp_path / "b", "parquet"),
        (tmp_path / "c", "csv"),
        (tmp_path / "d.xlsx", "xlsx"),
        (tmp_path / "e", "csv"),
    ]
    source = example_path("mini")
    for target, fmt in chain:
        with pytest.raises(SystemExit) as done:
            main(["convert", str(source), str(target), "--to", fmt])
        assert done.value.code in (0, None)
        converted = read_case(target)
        assert converted.read_issues == ()
        assert_same_case(converted, EXAMPLE)
        source = target


def test_rewriting_a_case_in_place_keeps_it(tmp_path):
    folder = shutil.copytree(example_path("mini"), tmp_path / "mini")
    write_case(read_case(folder), folder)
    assert_same_case(read_case(folder), EXAMPLE)


# --- random tables ----------------------------------------------------------------------------

#: Text a cell of any of the three formats keeps: no control characters but tab and line feed
#: (a workbook cannot hold the others), no surrogates, and without the surrounding spaces a
#: reader strips.
TEXT = st.text(
    st.characters(
        exclude_categories=("Cs",),
        exclude_characters="".join(map(chr, range(32))).replace("\t", "").replace("\n", ""),
    ),
    min_size=1,
    max_size=12,
).filter(lambda s: s == s.strip() and s != "")
#: Characters that make CSV quoting and delimiter sniffing work.
TRICKY = (
    st.sampled_from(
        [
            ",",
            ";",
            "\t",
            '"',
            "'",
            '""',
            "a,b",
            'say "hi"',
            "line\nbreak",
            "=1+1",
            "-",
            "#",
            "NA",
            "null",
            "TRUE",
            "0x1F",
            "1,5",
            "1e5",
            "007",
            " é ",
            "€",
            "日本",
            "🙂",
            "_x000D_",
            "\\N",
        ]
    )
    .map(str.strip)
    .filter(bool)
)
STRINGS = st.one_of(TEXT, TRICKY)
FLOATS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, 1 / 3, 2.0**53]),
)
INTS = st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
DATES = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
VALUES = {"str": STRINGS, "float": FLOATS, "int": INTS, "date": DATES, "bool": st.booleans()}


def cell(column: Column) -> st.SearchStrategy[object]:
    """A value the readers keep as it is: blank only where a blank stays blank."""
    value = VALUES[column.dtype]
    if column.may_be_blank and column.default is None:
        return st.one_of(st.none(), value)
    return value


@st.composite
def frames(draw: st.DrawFn, name: str) -> pl.DataFrame:
    table = TABLES[name]
    height = draw(st.integers(min_value=0, max_value=4))
    data = {
        c.name: pl.Series(c.name, [draw(cell(c)) for _ in range(height)], dtype=c.polars_dtype)
        for c in table.columns
        if c.required or draw(st.booleans())
    }
    if draw(st.booleans()):
        data["remark"] = pl.Series(
            "remark",
            [draw(st.one_of(st.none(), STRINGS)) for _ in range(height)],
            dtype=pl.String,
        )
    frame = pl.DataFrame(data, height=height)
    # Absent optional columns read as their defaults, so the case holds them so.
    return frame.with_columns(
        pl.lit(c.default, dtype=c.polars_dtype).alias(c.name)
        for c in table.columns
        if c.name not in frame.columns
    ).select(*table.column_names, *[c for c in frame.columns if not table.has_column(c)])


RANDOM_TABLES = ("periods", "plants", "products", "demand", "qualifications")


@st.composite
def cases(draw: st.DrawFn) -> Case:
    tables = dict(EXAMPLE.tables)
    for name in draw(st.lists(st.sampled_from(RANDOM_TABLES), min_size=1, unique=True)):
        tables[name] = draw(frames(name))
    return Case(meta=EXAMPLE.meta, tables=tables)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_random_tables_round_trip_through_every_format(case):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for fmt in FORMATS:
            back = write_read(case, folder, fmt)
            assert [str(i) for i in back.read_issues] == [], fmt
            assert_same_case(back, case)


@pytest.mark.parametrize(
    ("value", "what"), [("a\rb", "carriage return"), ("bell\x07", "control character")]
)
def test_text_a_workbook_cannot_keep_is_refused_not_altered(tmp_path, value, what):
    products = EXAMPLE["products"].with_columns(pl.Series("description", [value, "x", "y"]))
    case = EXAMPLE.with_tables(products=products)
    with pytest.raises(MillnetError, match=rf"products, row 2, column description: .*{what}"):
        write_case(case, tmp_path / "book.xlsx")
    assert not (tmp_path / "book.xlsx").exists()
    assert_same_case(write_read(case, tmp_path, "csv"), case)
    assert_same_case(write_read(case, tmp_path, "parquet"), case)
