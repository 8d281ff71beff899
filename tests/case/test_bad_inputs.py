"""Bad input gives a clear issue or error naming file, row and column: never a traceback and
never a silently altered value.

Each test corrupts one file of a copy of the ``mini`` example. Rows are numbered as a
spreadsheet shows them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from millnet.case import Case, load_example, read_case, write_case
from millnet.cli.app import main
from millnet.errors import CaseError
from millnet.issues import Issue
from millnet.validate import validate

EXAMPLE = load_example("mini")


def issues_of(case: Case, rule: str | None = None) -> list[Issue]:
    return [i for i in case.read_issues if rule is None or i.rule == rule]


def only_issue(case: Case, rule: str) -> Issue:
    found = issues_of(case, rule)
    assert len(found) == 1, [str(i) for i in case.read_issues]
    return found[0]


def assert_issue(
    issue: Issue, severity: str, file: str, row: int | None, column: str | None, *parts: str
) -> None:
    assert (issue.severity, issue.file, issue.row, issue.column) == (severity, file, row, column), (
        str(issue)
    )
    for part in parts:
        assert part in issue.message, issue.message


def replace_line(text: str, row: int, line: str) -> str:
    """``text`` with spreadsheet row ``row`` (header = 1) replaced by ``line``."""
    lines = text.split("\n")
    lines[row - 1] = line
    return "\n".join(lines)


# --- files that cannot be read ------------------------------------------------------------------


def test_unreadable_file_is_an_error_issue(mini_dir):
    (mini_dir / "lanes.csv").unlink()
    (mini_dir / "lanes.csv").mkdir()  # reading it fails even when the tests run as root
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "unreadable"), "error", "lanes.csv", None, None, "cannot read the file"
    )
    assert case["lanes"].height == 0


def test_missing_path_raises_case_error(tmp_path):
    with pytest.raises(CaseError, match="no such file or folder"):
        read_case(tmp_path / "nowhere")


# --- encodings ----------------------------------------------------------------------------------


def test_utf8_bom_is_accepted_silently(rewrite_csv, mini_dir):
    rewrite_csv("plants", lambda text: b"\xef\xbb\xbf" + text.encode())
    case = read_case(mini_dir)
    assert case.read_issues == ()
    assert case.fingerprint == EXAMPLE.fingerprint


@pytest.mark.parametrize(
    ("encoding", "name", "byte"),
    [("latin-1", "Mons Hénault", "0xE9"), ("cp1252", "Mons Hénault €", "0xE9")],
)
def test_non_utf8_is_read_as_windows_1252_with_a_warning(
    rewrite_csv, mini_dir, encoding, name, byte
):
    rewrite_csv("plants", lambda text: text.replace("Mons BE", name), encoding=encoding)
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "encoding"),
        "warning",
        "plants.csv",
        5,
        None,
        f"not UTF-8 (byte {byte} at row 5)",
        "Windows-1252",
    )
    assert case["plants"]["name"][3] == name


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_is_an_error(rewrite_csv, mini_dir, encoding):
    rewrite_csv("plants", lambda text: text, encoding=encoding)
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "encoding"), "error", "plants.csv", None, None, "UTF-16", "CSV UTF-8"
    )
    assert case["plants"].height == 0


def test_a_workbook_saved_as_csv_is_an_error(rewrite_csv, mini_dir, tmp_path):
    book = write_case(EXAMPLE, tmp_path / "book.xlsx")
    rewrite_csv("plants", lambda _: book.read_bytes())
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "encoding"), "error", "plants.csv", None, None, "not a text CSV file"
    )


# --- delimiters and decimal commas --------------------------------------------------------------


def test_semicolon_file_with_decimal_commas_reads_the_same_values(rewrite_csv, mini_dir):
    rewrite_csv("routings", lambda text: text.replace(",", ";").replace(".", ","))
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "delimiter"), "warning", "routings.csv", None, None, "semicolon-delimited"
    )
    assert {(i.column, i.severity) for i in issues_of(case, "decimal-comma")} == {
        ("usage", "warning"),
        ("yield", "warning"),
    }
    assert "7 numbers with a decimal comma read as decimals" in only_issue_of(case, "yield")
    assert len(case.read_issues) == 3
    assert case.fingerprint == EXAMPLE.fingerprint


def only_issue_of(case: Case, column: str) -> str:
    (issue,) = [i for i in case.read_issues if i.column == column]
    return issue.message


def test_tab_delimited_file_reads_the_same_values(rewrite_csv, mini_dir):
    rewrite_csv("plants", lambda text: text.replace(",", "\t"))
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "delimiter"), "warning", "plants.csv", None, None, "tab-delimited"
    )
    assert len(case.read_issues) == 1
    assert case.fingerprint == EXAMPLE.fingerprint


def test_decimal_comma_in_a_comma_file_is_an_error_with_a_hint(rewrite_csv, mini_dir):
    rewrite_csv("routings", lambda text: text.replace("1.0,0.98", '1.0,"0,98"', 1))
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "type"),
        "error",
        "routings.csv",
        3,
        "yield",
        "found '0,98'",
        "decimal commas are not accepted: write 1.5, not 1,5",
    )
    assert case["routings"]["yield"][1] is None


def test_unquoted_decimal_comma_splits_the_row_and_says_why(rewrite_csv, mini_dir):
    rewrite_csv("routings", lambda text: text.replace("1.0,0.98", "1.0,0,98", 1))
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "ragged-row"),
        "error",
        "routings.csv",
        3,
        None,
        "row has 5 cells but the header has 4 columns",
        "decimal comma",
    )


def test_thousands_separator_is_an_error_with_a_hint(rewrite_csv, mini_dir):
    rewrite_csv("demand", lambda text: text.replace(",900000,", ',"900,000",'))
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "type"),
        "error",
        "demand.csv",
        2,
        "quantity",
        "found '900,000'",
        "thousands separators are not accepted",
        "write 1.5, not 1,5, and 1500, not 1,500",
    )


# --- headers -------------------------------------------------------------------------------------


def test_missing_required_column_is_an_error_at_row_1(rewrite_csv, mini_dir):
    def drop_usage(text: str) -> str:
        return "\n".join(
            ",".join(c for i, c in enumerate(line.split(",")) if i != 2) if line else line
            for line in text.split("\n")
        )

    rewrite_csv("routings", drop_usage)
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "missing-column"),
        "error",
        "routings.csv",
        1,
        "usage",
        "missing column 'usage'",
        "a number ≥ 0",
    )
    assert len(case.read_issues) == 1


def test_duplicated_header_is_an_error(rewrite_csv, mini_dir):
    rewrite_csv("duties", lambda text: re.sub(r"(?m)^(.+?),([^,]+)$", r"\1,\2,\2", text))
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "duplicate-header"),
        "error",
        "duties.csv",
        1,
        "rate",
        "column 'rate' appears twice (columns C and D)",
    )


def test_values_under_no_header_are_an_error(rewrite_csv, mini_dir):
    rewrite_csv("duties", lambda text: text.replace("US,FR,0.04", "US,FR,0.04,0.05"))
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "ragged-row"),
        "error",
        "duties.csv",
        2,
        None,
        "row has 4 cells but the header has 3 columns",
    )


def test_empty_header_cell_over_values_is_an_error(rewrite_csv, mini_dir):
    rewrite_csv(
        "duties",
        lambda text: re.sub(r"(?m)^(.+)$", r"\1,x", text).replace(
            "origin_country,destination_country,rate,x", "origin_country,destination_country,rate,"
        ),
    )
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "header"),
        "error",
        "duties.csv",
        1,
        None,
        "column D has values but no header",
    )


def test_misspelled_column_is_a_warning_with_a_suggestion(rewrite_csv, mini_dir):
    rewrite_csv("routings", lambda text: text.replace("yield", "yeild", 1))
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "unknown-column"),
        "warning",
        "routings.csv",
        1,
        "yeild",
        "unknown column 'yeild'",
        "did you mean 'yield'?",
    )
    assert "yeild" in case["routings"].columns


# --- rows and cells ------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_blank_rows_are_skipped_and_rows_keep_their_numbers(rewrite_csv, mini_dir, newline):
    def add_blanks(text: str) -> str:
        lines = text.rstrip("\n").split("\n")
        lines.insert(2, "")  # row 3
        lines.insert(4, " , ,,")  # row 5
        lines[6] = lines[6].replace("1.0,1.0", "1.0,abc")  # row 7
        return newline.join(lines) + newline

    rewrite_csv("routings", add_blanks)
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "blank-row"),
        "warning",
        "routings.csv",
        None,
        None,
        "blank rows 3 and 5 skipped",
    )
    assert_issue(only_issue(case, "type"), "error", "routings.csv", 7, "yield", "found 'abc'")
    assert case["routings"].height == 7
    assert case.row_numbers("routings").to_list() == [2, 4, 6, 7, 8, 9, 10]


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_endings_do_not_change_values(rewrite_csv, mini_dir, newline):
    for table in ("plants", "demand", "products"):
        rewrite_csv(table, lambda text: text.replace("\n", newline))
    case = read_case(mini_dir)
    assert case.read_issues == ()
    assert case.fingerprint == EXAMPLE.fingerprint


@pytest.mark.parametrize(
    ("cell", "parts"),
    [
        ("abc", ["found 'abc'; expected a number > 0 and ≤ 1"]),
        ("NaN", ["found 'NaN'", "not a finite number"]),
        ("nan", ["found 'nan'", "not a finite number"]),
        ("inf", ["found 'inf'", "not a finite number"]),
        ("-Infinity", ["found '-Infinity'", "not a finite number"]),
        ("1e999", ["found '1e999'"]),
        ("99%", ["found '99%'", "not percentages"]),
        ("$0.98", ["found '$0.98'", "without currency symbols"]),
        ("=A1*2", ["found '=A1*2'", "looks like a formula"]),
    ],
)
def test_bad_number_is_an_error_naming_row_and_column(rewrite_csv, mini_dir, cell, parts):
    rewrite_csv("routings", lambda text: text.replace("1.0,0.98", f"1.0,{cell}", 1))
    case = read_case(mini_dir)
    assert_issue(only_issue(case, "type"), "error", "routings.csv", 3, "yield", *parts)
    assert case["routings"]["yield"][1] is None  # never a guessed value


@pytest.mark.parametrize(
    ("table", "old", "new", "row", "column", "part"),
    [
        ("periods", "2009-04-01", "2009-4-1", 3, "start", "expected a date (YYYY-MM-DD)"),
        ("periods", "2009-04-01", "2009-02-30", 3, "start", "found '2009-02-30'"),
        ("periods", ",2\n", ",2.5\n", 3, "order", "expected a whole number ≥ 1"),
        ("demand", "0.95,true", "0.95,maybe", 5, "tolled", "expected true or false"),
    ],
)
def test_bad_date_whole_number_or_boolean(
    rewrite_csv, mini_dir, table, old, new, row, column, part
):
    rewrite_csv(table, lambda text: text.replace(old, new, 1))
    case = read_case(mini_dir)
    assert_issue(only_issue(case, "type"), "error", f"{table}.csv", row, column, part)


def test_blank_required_cell_is_an_error(rewrite_csv, mini_dir):
    rewrite_csv("routings", lambda text: text.replace("tin-22-19x34,tinning", ",tinning"))
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "required"),
        "error",
        "routings.csv",
        4,
        "product_id",
        "missing value; expected text",
    )


def test_unclosed_quote_is_an_error_at_its_row(rewrite_csv, mini_dir):
    rewrite_csv("products", lambda text: text.replace("22 AWG 19/34", '"22 AWG 19/34'))
    case = read_case(mini_dir)
    assert_issue(only_issue(case, "quote"), "error", "products.csv", 3, None, "never closed")


def test_text_after_a_closing_quote_is_an_error_at_its_row(rewrite_csv, mini_dir):
    rewrite_csv("products", lambda text: text.replace("22 AWG 19/34", '"22 AWG" 19/34'))
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "quote"),
        "error",
        "products.csv",
        3,
        None,
        "more text follows in the same cell",
    )


def test_unclosed_quote_in_a_long_file_stops_at_its_row(rewrite_csv, mini_dir):
    filler = "\n".join(f"p{i},bare,x,12,1,12,none," for i in range(20_000))
    rewrite_csv(
        "products",
        lambda text: text.replace("22 AWG 19/34", '"22 AWG 19/34') + filler + "\n",
    )
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "quote"),
        "error",
        "products.csv",
        3,
        None,
        "longer than 131,072 characters (is a quote mark",
        "the rows after it were not read",
    )


def test_quoted_carriage_returns_with_old_mac_line_ends(rewrite_csv, mini_dir):
    rewrite_csv(
        "plants",
        lambda text: text.replace(",synthetic costs", ',"two\rlines"', 1).replace("\n", "\r"),
    )
    case = read_case(mini_dir)
    assert case.read_issues == ()
    assert case["plants"]["notes"].to_list()[:2] == ["two\rlines", "synthetic costs"]
    assert case.row_numbers("plants").to_list() == [2, 3, 4, 5]


def test_quotes_inside_unquoted_text_are_kept(rewrite_csv, mini_dir):
    rewrite_csv("products", lambda text: text.replace("12 AWG solid", '12" solid'))
    case = read_case(mini_dir)
    assert case.read_issues == ()
    assert case["products"]["description"][0] == '12" solid bare copper (ASTM B3)'


def test_quoted_cells_with_commas_quotes_and_newlines(rewrite_csv, mini_dir):
    note = 'line one, with a comma\nline "two"'
    quoted = '"' + note.replace('"', '""') + '"'
    rewrite_csv(
        "plants",
        lambda text: text.replace("drawing; tinning,synthetic costs", f"drawing; tinning,{quoted}"),
    )
    case = read_case(mini_dir)
    assert case.read_issues == ()
    assert case["plants"]["notes"][3] == note


@pytest.mark.parametrize("content", ["", "\n\n", "   \n"], ids=["empty", "newlines", "spaces"])
def test_empty_file_is_an_error(rewrite_csv, mini_dir, content):
    rewrite_csv("routings", lambda _: content)
    case = read_case(mini_dir)
    assert_issue(
        only_issue(case, "empty"),
        "error",
        "routings.csv",
        1,
        None,
        "the file is empty; expected a header row: product_id,resource,usage,yield",
    )


def test_header_only_file_is_a_table_without_rows(rewrite_csv, mini_dir):
    rewrite_csv("routings", lambda text: text.split("\n", 1)[0] + "\n")
    report = validate(read_case(mini_dir))
    (issue,) = [i for i in report.errors if i.rule == "empty-table"]
    assert_issue(issue, "error", "routings.csv", None, None, "table 'routings' has no rows")


def test_invalid_case_toml_names_its_line(mini_dir):
    (mini_dir / "case.toml").write_text('name = "x"\ncurrency = USD\n')
    case = read_case(mini_dir)
    assert_issue(only_issue(case, "syntax"), "error", "case.toml", 2, None, "not valid TOML")


def test_bad_setting_names_its_key_and_line(mini_dir):
    toml = mini_dir / "case.toml"
    toml.write_text(toml.read_text().replace('mass_unit = "lb"', 'mass_unit = "stone"'))
    case = read_case(mini_dir)
    assert_issue(only_issue(case, "setting"), "error", "case.toml", 4, "mass_unit", "found 'stone'")


# --- size limit and a 100 MB file ----------------------------------------------------------------


def test_size_limit_is_an_error_for_csv_and_parquet(mini_dir, tmp_path, monkeypatch):
    parquet = write_case(EXAMPLE, tmp_path / "pq", "parquet")
    monkeypatch.setenv("MILLNET_MAX_TABLE_MB", "0.0005")  # 524 bytes
    case = read_case(mini_dir)
    assert {i.file for i in issues_of(case, "size")} == {"plants.csv", "demand.csv"}
    assert_issue(
        issues_of(case, "size")[0], "error", "plants.csv", None, None, "MILLNET_MAX_TABLE_MB"
    )
    assert case["plants"].height == 0
    big = {i.file for i in issues_of(read_case(parquet), "size")}
    assert big
    assert all(f.endswith(".parquet") for f in big)


@pytest.mark.parametrize("setting", ["inf", "nan", "-1", "lots"])
def test_size_limit_setting_that_is_not_a_size(mini_dir, monkeypatch, setting):
    monkeypatch.setenv("MILLNET_MAX_TABLE_MB", setting)
    assert read_case(mini_dir).read_issues == ()


def test_size_limit_refuses_a_large_workbook(tmp_path, monkeypatch):
    book = write_case(EXAMPLE, tmp_path / "book.xlsx")
    monkeypatch.setenv("MILLNET_MAX_TABLE_MB", "0.001")
    with pytest.raises(CaseError, match="MILLNET_MAX_TABLE_MB"):
        read_case(book)


def test_a_100_mb_file_names_the_row_of_its_one_bad_cell(mini_dir):
    started = time.perf_counter()
    demand = pl.read_csv(mini_dir / "demand.csv", infer_schema=False)
    rows = 1_500_000
    index = pl.int_range(rows, eager=True)
    bad_index = rows - 7
    big = demand.select(pl.all().gather(index % demand.height)).with_columns(
        pl.format("{}-{}", pl.col("period_id"), index).alias("period_id"),
        pl.when(index == bad_index)
        .then(pl.lit("12x"))
        .otherwise(pl.col("quantity"))
        .alias("quantity"),
    )
    big.write_csv(mini_dir / "demand.csv")
    assert (mini_dir / "demand.csv").stat().st_size > 95 * 2**20

    case = read_case(mini_dir)
    assert case["demand"].height == rows
    assert_issue(
        only_issue(case, "type"), "error", "demand.csv", bad_index + 2, "quantity", "found '12x'"
    )
    assert case["demand"]["quantity"][bad_index] is None
    assert case["demand"]["quantity"][bad_index - 1] == float(big["quantity"][bad_index - 1])
    assert time.perf_counter() - started < 60


# --- workbooks ----------------------------------------------------------------------------------


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The example case as ``book.xlsx``."""
    return write_case(EXAMPLE, tmp_path / "book.xlsx")


def edit_book(path: Path, change) -> Path:
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)
    return path


def edit_sheet_xml(path: Path, sheet: str, change) -> Path:
    """Change the XML of one sheet (sheets of a written workbook are sheet1.xml, sheet2.xml…)."""
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    member = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts[member] = change(parts[member].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_workbook_reads_like_the_csv_folder(book):
    case = read_case(book)
    assert case.read_issues == ()
    assert case.fingerprint == EXAMPLE.fingerprint


def test_formula_with_a_saved_value_uses_it_with_a_warning(book):
    def add_formula(xml: str) -> str:
        cell = re.search(r'<c r="D2"[^>]*><v>0.99</v></c>', xml)
        assert cell is not None
        return xml.replace(cell.group(0), '<c r="D2"><f>0.5+0.49</f><v>0.99</v></c>')

    case = read_case(edit_sheet_xml(book, "routings", add_formula))
    assert_issue(
        only_issue(case, "formula"),
        "warning",
        "book.xlsx[routings]",
        2,
        "yield",
        "formula '=0.5+0.49'",
        "saved value 0.99 was used",
    )
    assert case.fingerprint == EXAMPLE.fingerprint


def test_formula_without_a_saved_value_is_an_error(book):
    edit_book(book, lambda wb: wb["routings"].__setitem__("D2", "=0.5+0.49"))
    case = read_case(book)
    assert_issue(
        only_issue(case, "formula"),
        "error",
        "book.xlsx[routings]",
        2,
        "yield",
        "formula '=0.5+0.49' with no saved value",
    )
    assert case["routings"]["yield"][0] is None


def test_merged_cells_are_an_error_naming_the_range(book):
    edit_book(book, lambda wb: wb["plants"].merge_cells("R2:R3"))
    case = read_case(book)
    assert_issue(
        only_issue(case, "merged-cells"),
        "error",
        "book.xlsx[plants]",
        2,
        None,
        "merged cells R2:R3",
    )


def test_empty_sheet_is_an_error(book):
    def empty(wb):
        position = wb.sheetnames.index("routings")
        del wb["routings"]
        wb.create_sheet("routings", position)

    case = read_case(edit_book(book, empty))
    assert_issue(
        only_issue(case, "empty"), "error", "book.xlsx[routings]", 1, None, "the sheet is empty"
    )


def test_header_below_row_1_is_an_error(book):
    case = read_case(edit_book(book, lambda wb: wb["routings"].insert_rows(1)))
    assert_issue(
        only_issue(case, "header"),
        "error",
        "book.xlsx[routings]",
        1,
        None,
        "row 1 must hold the column names",
    )


def test_blank_sheet_row_is_skipped_and_rows_keep_their_numbers(book):
    def change(wb):
        sheet = wb["routings"]
        sheet.insert_rows(3)
        sheet["D5"] = "abc"

    case = read_case(edit_book(book, change))
    assert_issue(
        only_issue(case, "blank-row"),
        "warning",
        "book.xlsx[routings]",
        None,
        None,
        "blank row 3 skipped",
    )
    assert_issue(
        only_issue(case, "type"), "error", "book.xlsx[routings]", 5, "yield", "found 'abc'"
    )


@pytest.mark.parametrize(
    ("value", "part"),
    [("abc", "found 'abc'"), ("NaN", "not a finite number"), (True, "found 'true'")],
)
def test_bad_workbook_cell_names_sheet_row_and_column(book, value, part):
    edit_book(book, lambda wb: wb["routings"].__setitem__("D3", value))
    case = read_case(book)
    assert_issue(only_issue(case, "type"), "error", "book.xlsx[routings]", 3, "yield", part)


def test_error_cell_is_an_error(book):
    def div0(wb):
        cell = wb["routings"]["D3"]
        cell.value = "#DIV/0!"
        cell.data_type = "e"

    case = read_case(edit_book(book, div0))
    assert_issue(
        only_issue(case, "type"), "error", "book.xlsx[routings]", 3, "yield", "found '#DIV/0!'"
    )


def test_missing_column_and_duplicated_header_in_a_sheet(book):
    def change(wb):
        wb["routings"].delete_cols(3)
        wb["duties"]["D1"] = "rate"

    case = read_case(edit_book(book, change))
    assert_issue(
        only_issue(case, "missing-column"),
        "error",
        "book.xlsx[routings]",
        1,
        "usage",
        "missing column 'usage'",
    )
    assert_issue(
        only_issue(case, "duplicate-header"),
        "error",
        "book.xlsx[duties]",
        1,
        "rate",
        "appears twice",
    )


def test_workbook_without_case_sheet_is_an_error(book):
    case = read_case(edit_book(book, lambda wb: wb.remove(wb["case"])))
    assert_issue(
        only_issue(case, "missing-file"), "error", "book.xlsx[case]", None, None, "no 'case' sheet"
    )


@pytest.mark.parametrize(
    "content", [b"", b"not a zip", b"PK\x03\x04garbage"], ids=["empty", "text", "bad-zip"]
)
def test_damaged_workbook_raises_case_error(tmp_path, content):
    path = tmp_path / "book.xlsx"
    path.write_bytes(content)
    with pytest.raises(CaseError, match="cannot open the workbook"):
        read_case(path)


def test_workbook_with_broken_xml_raises_case_error(book):
    edit_sheet_xml(book, "plants", lambda xml: xml.replace("<sheetData>", "<sheetData><row", 1))
    with pytest.raises(CaseError, match=r"book\.xlsx: cannot open the workbook"):
        read_case(book)


# --- Parquet ------------------------------------------------------------------------------------


@pytest.fixture
def parquet_dir(tmp_path: Path) -> Path:
    return write_case(EXAMPLE, tmp_path / "pq", "parquet")


def test_parquet_that_is_not_parquet_is_an_error(parquet_dir):
    (parquet_dir / "plants.parquet").write_bytes(b"plain text, not parquet")
    case = read_case(parquet_dir)
    assert_issue(
        only_issue(case, "unreadable"),
        "error",
        "plants.parquet",
        None,
        None,
        "cannot read the Parquet file",
    )


@pytest.mark.parametrize(
    ("column", "values", "row", "part"),
    [
        ("yield", ["0.99", "x", "1", "1", "1", "1", "1"], 3, "found 'x'"),
        ("yield", [0.99, float("nan"), 1.0, 1.0, 1.0, 1.0, 1.0], 3, "not a finite number"),
        ("usage", [True] * 7, 2, "found 'true'"),
        ("usage", [[1.0]] * 7, 2, "found '<List(Float64)>'"),
    ],
)
def test_parquet_cells_of_the_wrong_type_are_errors(parquet_dir, column, values, row, part):
    path = parquet_dir / "routings.parquet"
    pl.read_parquet(path).with_columns(pl.Series(column, values)).write_parquet(path)
    case = read_case(parquet_dir)
    issue = issues_of(case, "type")[0]
    assert_issue(issue, "error", "routings.parquet", row, column, part)


def test_parquet_timestamp_in_a_date_column_is_an_error(parquet_dir):
    path = parquet_dir / "periods.parquet"
    frame = pl.read_parquet(path)
    frame.with_columns(
        pl.col("start").cast(pl.Datetime) + pl.duration(hours=pl.int_range(pl.len()))
    ).write_parquet(path)
    case = read_case(parquet_dir)
    assert_issue(
        only_issue(case, "type"),
        "error",
        "periods.parquet",
        3,
        "start",
        "found '2009-04-01 01:00:00",
        "expected a date",
    )


# --- the command line ----------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, " ".join(captured.err.split())


def test_cli_json_lists_each_bad_input_with_its_location(capsys, rewrite_csv, mini_dir):
    rewrite_csv("routings", lambda text: text.replace("1.0,0.98", "1.0,NaN", 1))
    rewrite_csv("plants", lambda text: text.replace("Mons BE", "Mons é"), encoding="cp1252")
    rewrite_csv("duties", lambda text: text.replace(",", ";"))
    code, out, err = run(capsys, "validate", str(mini_dir), "--json")
    assert code == 1
    assert "Traceback" not in err
    issues = json.loads(out)
    assert isinstance(issues, list)
    assert all({"severity", "table", "row", "column", "message"} <= set(issue) for issue in issues)
    found = {(i["severity"], i["file"], i["row"], i["column"], i["rule"]) for i in issues}
    assert found == {
        ("error", "routings.csv", 3, "yield", "type"),
        ("warning", "plants.csv", 5, None, "encoding"),
        ("warning", "duties.csv", None, None, "delimiter"),
    }


def test_cli_warnings_only_exit_0(capsys, rewrite_csv, mini_dir):
    rewrite_csv("routings", lambda text: text.replace(",", ";").replace(".", ","))
    code, out, _ = run(capsys, "validate", str(mini_dir))
    assert code == 0
    assert "semicolon-delimited" in " ".join(out.split())


def test_cli_damaged_workbook_exits_2(capsys, tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    code, out, err = run(capsys, "validate", str(path), "--json")
    assert code == 2
    assert out == ""
    assert "cannot open the workbook" in err


def test_cli_convert_refuses_a_case_with_reading_errors(capsys, rewrite_csv, mini_dir, tmp_path):
    rewrite_csv("routings", lambda text: text.replace("1.0,0.98", "1.0,inf", 1))
    code, _, err = run(capsys, "convert", str(mini_dir), str(tmp_path / "out.xlsx"))
    assert code == 1
    assert "routings.csv, row 3, column yield" in err
    assert not (tmp_path / "out.xlsx").exists()


def test_console_script_prints_no_traceback(rewrite_csv, mini_dir, tmp_path):
    rewrite_csv("plants", lambda text: text, encoding="utf-16")
    bad_book = tmp_path / "book.xlsx"
    bad_book.write_bytes(b"PK\x03\x04garbage")
    script = "import sys; from millnet.cli.app import main; main(sys.argv[1:])"
    for path, expected in ((mini_dir, 1), (bad_book, 2)):
        done = subprocess.run(
            [sys.executable, "-c", script, "validate", str(path), "--json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == expected, done.stderr
        assert "Traceback" not in done.stderr
        if expected == 1:
            assert any(i["rule"] == "encoding" for i in json.loads(done.stdout))
        else:
            assert done.stdout == ""
            assert done.stderr.strip()
