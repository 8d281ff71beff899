"""`millnet generate` through the real entry point: output, JSON, exit codes."""

from __future__ import annotations

import json

import pytest

from millnet.case import read_case
from millnet.cli.app import app, main
from millnet.cli.generate_cmd import generate
from millnet.validate import validate


@pytest.fixture(autouse=True, scope="module")
def registered():
    if "generate" not in {c.name for c in app.registered_commands}:
        app.command("generate")(generate)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


SMALL = ("--plants", "6", "--customers", "50", "--periods", "4", "--products", "20")


def test_small_case_is_written_and_valid(capsys, tmp_path):
    out = tmp_path / "small"
    code, stdout, _ = run(capsys, "generate", str(out), *SMALL, "--candidates-per-demand", "3")
    assert code == 0
    assert "6 plants, 50 customers" in stdout
    assert "300 lanes" in stdout  # 50 customers x 2 products x 3 candidates
    case = read_case(out)
    assert validate(case).ok
    assert case["qualifications"].height == 300


def test_json_is_one_document_and_same_seed_same_fingerprint(capsys, tmp_path):
    code, first, _ = run(capsys, "generate", str(tmp_path / "a"), *SMALL, "--json")
    assert code == 0
    code, second, _ = run(capsys, "generate", str(tmp_path / "b"), *SMALL, "--json")
    code, third, _ = run(capsys, "generate", str(tmp_path / "c"), *SMALL, "--seed", "7", "--json")
    a, b, c = json.loads(first), json.loads(second), json.loads(third)
    assert a["rows"]["plants"] == 6
    assert a["format"] == "csv"
    assert a["fingerprint"] == b["fingerprint"] != c["fingerprint"]
    assert read_case(tmp_path / "a").fingerprint == a["fingerprint"]


def test_parquet_and_xlsx_outputs(capsys, tmp_path):
    code, _, _ = run(capsys, "generate", str(tmp_path / "p"), *SMALL, "--format", "parquet")
    assert code == 0
    assert (tmp_path / "p" / "demand.parquet").exists()
    code, _, _ = run(capsys, "generate", str(tmp_path / "c.xlsx"), *SMALL)
    assert code == 0
    assert read_case(tmp_path / "p").fingerprint == read_case(tmp_path / "c.xlsx").fingerprint


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--plants", "0"), "--plants must be at least 1; got 0"),
        (
            ("--plants", "6", "--candidates-per-demand", "9"),
            "--candidates-per-demand cannot exceed --plants (6); got 9",
        ),
    ],
)
def test_bad_options_exit_1_with_one_message(capsys, tmp_path, options, message):
    code, stdout, stderr = run(capsys, "generate", str(tmp_path / "x"), *options)
    assert code == 1
    assert stdout == ""
    assert message in stderr
    assert stderr.count("error:") == 1
    assert "Traceback" not in stderr
    assert not (tmp_path / "x").exists()


def test_help_shows_an_example(capsys):
    assert "Example: millnet generate big --plants 60 --customers 5000 --periods 12" in (
        generate.__doc__ or ""
    )
    code, stdout, _ = run(capsys, "generate", "--help")
    assert code == 0
    assert "--candidates-per-demand" in stdout
