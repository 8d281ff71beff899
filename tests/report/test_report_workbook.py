"""The workbook: every table a sheet, units in the headers, numbers as numbers."""

from __future__ import annotations

from datetime import UTC, datetime

import openpyxl
import pytest

from millnet.errors import MillnetError
from millnet.report.workbook import write_workbook

MADE = datetime(2009, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def workbook(mini_results, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "plan.xlsx"
    write_workbook(mini_results, path, made=MADE)
    return openpyxl.load_workbook(path)


def trimmed(row: tuple) -> tuple:
    """A summary row without the empty cells openpyxl pads it with."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


def header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def test_one_sheet_per_table_after_the_summary(workbook, mini_results):
    assert workbook.sheetnames[:14] == [
        "summary",
        "plant_states",
        "transitions",
        "flows",
        "initial_sourcing",
        "moves",
        "unmet",
        "utilisation",
        "costs",
        "reference_costs",
        "qualifications",
        "metal",
        "metal_billed",
        "places",
    ]
    assert set(workbook.sheetnames) == {"summary", *mini_results.tables}


def test_headers_carry_units(workbook):
    assert header(workbook["flows"])[:6] == [
        "plant",
        "customer",
        "product",
        "period",
        "quantity [lb]",
        "distance",
    ]
    assert "freight [USD/lb]" in header(workbook["flows"])
    assert header(workbook["costs"]) == ["term", "plant", "period", "amount [USD]"]
    assert header(workbook["utilisation"])[-1] == "utilisation [%]"
    assert header(workbook["places"])[-2:] == ["lat [°]", "lon [°]"]
    cell = workbook["costs"]["A1"]
    assert cell.font.bold
    assert cell.fill.fgColor.rgb.endswith("14324F")


def test_frozen_header_and_autofilter(workbook, mini_results):
    for name, frame in mini_results.tables.items():
        ws = workbook[name]
        assert ws.freeze_panes == "A2", name
        last = openpyxl.utils.get_column_letter(frame.width)
        assert ws.auto_filter.ref == f"A1:{last}{frame.height + 1}", name
        assert ws.max_row == frame.height + 1, name


def test_numbers_are_numbers_with_formats(workbook):
    moves = workbook["moves"]
    rows = list(moves.iter_rows(min_row=2, values_only=True))
    assert rows == [
        ("eurocab", "tin-22-19x34", "2009Q1", "mons-be", "jewett-city-ct", 300_000.0),
        ("eurocab", "tin-22-19x34", "2009Q2", "mons-be", "jewett-city-ct", 320_000.0),
    ]
    assert moves["F2"].number_format == "#,##0"
    utilisation = workbook["utilisation"]
    cells = [r for r in utilisation.iter_rows(min_row=2) if r[0].value == "jewett-city-ct"]
    assert cells[0][6].value == pytest.approx(1.0)
    assert cells[0][6].number_format == "0.0%"
    assert workbook["flows"]["H2"].number_format == "#,##0.0000"
    costs = {
        (r[0], r[1], r[2]): r[3] for r in workbook["costs"].iter_rows(min_row=2, values_only=True)
    }
    assert costs[("fixed_idle", "mons-be", "2009Q2")] == pytest.approx(190_400)
    assert isinstance(costs[("fixed_running", "jewett-city-ct", "2009Q1")], int | float)


def test_summary_has_outcome_kpis_and_sheet_index(workbook, mini_results):
    ws = workbook["summary"]
    values = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert ws["A1"].value == "Network plan — mini"
    assert values["status"] == "optimal"
    assert values["objective [USD]"] == pytest.approx(13_142_943.50, abs=0.01)
    assert values["all plants running [USD]"] == pytest.approx(15_018_346.23, abs=0.01)
    assert values["made on"] == "2009-03-02 09:30 UTC"
    assert values["currency"] == "USD"
    rows = [trimmed(r) for r in ws.iter_rows(values_only=True)]
    savings_header = rows.index(("plan [USD]", "all_running [USD]", "savings [USD]"))
    plan, all_running, saved = rows[savings_header + 1][:3]
    assert saved == pytest.approx(all_running - plan)
    assert saved == pytest.approx(1_875_402.73, abs=0.01)
    index = rows.index(("sheet", "rows", "what it holds"))
    listed = {r[0]: r[1] for r in rows[index + 1 :]}
    assert listed["moves"] == 2
    assert listed["places"] == 8


def test_no_plan_still_writes_the_summary(no_plan, tmp_path):
    path = write_workbook(no_plan, tmp_path / "none.xlsx", made=MADE)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["summary"]
    values = [r[0] for r in wb["summary"].iter_rows(values_only=True) if r]
    assert "Why there is no plan" in values
    assert any(v and v.startswith("Acme Cable needs") for v in values)


def test_workbook_needs_xlsx_extension(mini_results, tmp_path):
    with pytest.raises(MillnetError, match=r"plan\.xls: a workbook needs the \.xlsx extension"):
        write_workbook(mini_results, tmp_path / "plan.xls")
