"""The case commands through the real entry point: output streams, JSON and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from millnet.case import example_path, read_case
from millnet.cli.app import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(example_path("mini"), target)
    return target


def test_validate_valid_case_exits_0(capsys, mini):
    code, out, _ = run(capsys, "validate", str(mini))
    assert code == 0
    assert "mini: valid — 0 error(s), 0 warning(s)" in out


def test_validate_json_is_one_document_with_the_issue_keys(capsys, mini):
    plants = mini / "plants.csv"
    plants.write_text(plants.read_text().replace("43.3348", "abc"))
    code, out, err = run(capsys, "validate", str(mini), "--json")
    assert code == 1
    issues = json.loads(out)
    assert issues == [
        {
            "severity": "error",
            "table": "plants",
            "row": 2,
            "column": "lat",
            "message": "found 'abc'; expected a number ≥ -90 and ≤ 90",
            "file": "plants.csv",
            "rule": "type",
        }
    ]
    assert "Traceback" not in err


def test_validate_human_output_names_file_row_column(capsys, mini):
    plants = mini / "plants.csv"
    plants.write_text(plants.read_text().replace("43.3348", "abc"))
    code, out, _ = run(capsys, "validate", str(mini))
    assert code == 1
    assert "plants.csv" in out
    assert "found 'abc'" in out
    assert "1 error(s)" in out


def test_validate_missing_path_exits_2(capsys, tmp_path):
    code, out, err = run(capsys, "validate", str(tmp_path / "nowhere"))
    assert code == 2
    assert out == ""
    assert "no such file or folder" in err
    assert "Traceback" not in err


def test_validate_a_folder_that_is_not_a_case_exits_2(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    code, _, err = run(capsys, "validate", str(tmp_path))
    assert code == 2
    assert "not a case" in err


def test_validate_a_file_that_is_not_a_workbook_exits_2(capsys, tmp_path):
    bogus = tmp_path / "case.xlsx"
    bogus.write_text("not a zip")
    code, _, err = run(capsys, "validate", str(bogus))
    assert code == 2
    assert "cannot open the workbook" in err


def test_usage_error_exits_2(capsys):
    code, _, err = run(capsys, "validate")
    assert code == 2
    assert "Missing argument" in err


def test_summary_json(capsys):
    code, out, _ = run(capsys, "summary", str(example_path("mini")), "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["name"] == "mini"
    assert summary["periods"] == ["2009Q1", "2009Q2"]
    assert summary["counts"]["plants"] == 4
    by_segment = {r["segment"]: r for r in summary["demand_by_segment"]}
    assert by_segment["industrial_energy"]["2009Q2"] == 950000.0
    copper = next(r for r in summary["metal_prices"] if r["metal"] == "copper")
    assert copper["2009Q1"] == pytest.approx(1.62)


@pytest.mark.parametrize(
    ("target", "fmt"), [("out.xlsx", None), ("outp", "parquet"), ("outc", None)]
)
def test_convert_round_trip_keeps_the_fingerprint(capsys, tmp_path, target, fmt):
    source = example_path("mini")
    out = tmp_path / target
    argv = ["convert", str(source), str(out)] + (["--to", fmt] if fmt else [])
    code, stdout, err = run(capsys, *argv)
    assert code == 0, err
    assert stdout == ""
    assert read_case(out).fingerprint == read_case(source).fingerprint
    back = tmp_path / "back"
    assert run(capsys, "convert", str(out), str(back))[0] == 0
    assert read_case(back).fingerprint == read_case(source).fingerprint


def test_convert_refuses_to_lose_unreadable_cells(capsys, mini, tmp_path):
    plants = mini / "plants.csv"
    plants.write_text(plants.read_text().replace("43.3348", "abc"))
    code, _, err = run(capsys, "convert", str(mini), str(tmp_path / "x.xlsx"))
    assert code == 1
    assert "converting would lose those cells" in err
    assert "plants.csv, row 2, column lat" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_convert_unknown_format(capsys, tmp_path):
    code, _, err = run(
        capsys, "convert", str(example_path("mini")), str(tmp_path / "o"), "--to", "json"
    )
    assert code == 1
    assert "unknown format 'json'" in err


def test_convert_will_not_overwrite_a_folder_that_is_not_a_case(capsys, tmp_path):
    target = tmp_path / "docs"
    target.mkdir()
    (target / "keep.txt").write_text("precious")
    code, _, err = run(capsys, "convert", str(example_path("mini")), str(target))
    assert code == 1
    assert "not a millnet case" in err
    assert (target / "keep.txt").read_text() == "precious"


def test_template_has_every_table_described(capsys, tmp_path):
    import openpyxl

    from millnet.schema import TABLES

    out = tmp_path / "template.xlsx"
    code, _, _ = run(capsys, "template", str(out))
    assert code == 0
    book = openpyxl.load_workbook(out)
    assert set(TABLES) <= set(book.sheetnames)
    assert {"case", "_columns"} <= set(book.sheetnames)
    header = [c.value for c in book["plants"][1]]
    assert header == list(TABLES["plants"].column_names)
    lat = book["plants"].cell(row=1, column=header.index("lat") + 1)
    assert "Latitude" in lat.comment.text
    assert "degree" in lat.comment.text
    guide = {(r[0], r[1]): r for r in book["_columns"].iter_rows(min_row=2, values_only=True)}
    assert guide[("resources", "capacity")][3] == "capacity unit/period"


def test_template_needs_an_xlsx_name(capsys, tmp_path):
    code, _, err = run(capsys, "template", str(tmp_path / "template.csv"))
    assert code == 1
    assert "ending in .xlsx" in err


def test_demo_tells_the_decision_and_writes_results(capsys, tmp_path):
    out = tmp_path / "demo"
    code, stdout, _ = run(capsys, "demo", "--case", str(example_path("mini")), "--out", str(out))
    assert code == 0
    assert "Plants by country and role" in stdout
    assert "The decision" in stdout
    assert "Idle Camden NY and Mons BE in 2009Q1" in stdout
    assert (out / "report.html").exists()
    assert (out / "plant_states.parquet").exists()
    assert json.loads((out / "results.json").read_text())["status"] == "optimal"


def test_demo_without_the_reference_case_is_one_clear_error(capsys, tmp_path):
    code, _, err = run(capsys, "demo", "--case", str(tmp_path / "nowhere"))
    assert code == 1
    assert "run the demo from the repository root" in err


@pytest.mark.parametrize("command", ["validate", "summary", "convert", "template", "demo"])
def test_every_command_help_shows_an_example(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "Example:" in out
    assert f"millnet {command}" in out
