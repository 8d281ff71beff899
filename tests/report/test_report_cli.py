"""``millnet report`` through the real entry point: files, JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from millnet.cli.app import main
from millnet.store import Store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True)
def no_default_store(monkeypatch, tmp_path):
    """Each test in an empty folder with no store named in the environment."""
    monkeypatch.delenv("MILLNET_STORE", raising=False)
    monkeypatch.chdir(tmp_path)


def test_folder_to_html_and_xlsx(capsys, mini_folder, tmp_path):
    html, xlsx = tmp_path / "out" / "report.html", tmp_path / "out" / "plan.xlsx"
    code, out, err = run(
        capsys, "report", str(mini_folder), "--html", str(html), "--xlsx", str(xlsx)
    )
    assert code == 0, err
    assert f"wrote {html}" in out
    assert f"wrote {xlsx}" in out
    assert "Idle Camden NY and Mons BE in 2009Q1" in html.read_text(encoding="utf-8")
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "summary"


def test_json_is_one_document(capsys, mini_folder, tmp_path):
    html = tmp_path / "r.html"
    code, out, _ = run(capsys, "report", str(mini_folder), "--html", str(html), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["case"] == "mini"
    assert document["html"]["path"] == str(html)
    assert document["html"]["bytes"] == html.stat().st_size
    assert "xlsx" not in document


def test_missing_folder_exits_2(capsys, tmp_path):
    code, out, err = run(capsys, "report", str(tmp_path / "nowhere"), "--html", "r.html")
    assert code == 2
    assert out == ""
    assert f"{tmp_path / 'nowhere'}: no such results folder" in err
    assert "Traceback" not in err
    assert not Path("r.html").exists()


def test_folder_without_results_exits_1(capsys, tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "plants.csv").write_text("id\n", encoding="utf-8")
    code, _, err = run(capsys, "report", str(folder), "--html", "r.html")
    assert code == 1
    assert f"{folder}: not a results folder: meta.json is missing" in err


def test_nothing_to_write_exits_2(capsys, mini_folder):
    code, _, err = run(capsys, "report", str(mini_folder))
    assert code == 2
    assert "nothing to write: give --html FILE, --xlsx FILE or both" in err


def test_xlsx_needs_its_extension(capsys, mini_folder):
    code, _, err = run(capsys, "report", str(mini_folder), "--xlsx", "plan.csv")
    assert code == 2
    assert "--xlsx plan.csv: a workbook needs the .xlsx extension" in err


def test_run_id_prefix_from_a_store(capsys, mini_results, tmp_path):
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    run_id = Store(url).save(mini_results)
    html = tmp_path / "stored.html"
    code, out, err = run(
        capsys, "report", run_id[:10], "--store", url, "--html", str(html), "--json"
    )
    assert code == 0, err
    assert json.loads(out)["case"] == "mini"
    assert "Idle Camden NY and Mons BE" in html.read_text(encoding="utf-8")


def test_unknown_run_id_exits_2(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    code, _, err = run(capsys, "report", "zzzz", "--store", url, "--html", "r.html")
    assert code == 2
    assert "zzzz: no such results folder, and no run with this id in store" in err


def test_help_shows_an_example(capsys):
    code, out, _ = run(capsys, "report", "--help")
    assert code == 0
    assert "Example:" in out
    assert "--html" in out


def test_demo_writes_the_report(capsys, tmp_path):
    from millnet.case import example_path

    out = tmp_path / "demo"
    code, _, err = run(capsys, "demo", "--case", str(example_path("mini")), "--out", str(out))
    assert code == 0, err
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Idle Camden NY and Mons BE in 2009Q1" in page
    assert "(report: report.html)" in err
