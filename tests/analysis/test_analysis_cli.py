"""``millnet explain``, ``alternatives`` and ``breakeven`` through the real entry point: one
JSON document on stdout, words on stderr, exit codes for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from millnet.cli.app import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_explain_json_is_one_document(capsys, mini_dir):
    code, out, err = run(capsys, "explain", str(mini_dir), "--plant", "littleton-nh", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["plant"] == "littleton-nh"
    assert document["optimal"] == "running"
    assert [a["state"] for a in document["alternatives"]] == ["idle", "closed"]
    assert all(a["delta"] > 0 for a in document["alternatives"])
    assert document["skipped"] == [
        {"state": "running", "why": "the optimal plan already has it running throughout"}
    ]
    assert "solving with littleton-nh idle" in err


def test_explain_tells_the_reason(capsys, mini_dir):
    code, out, _ = run(capsys, "explain", str(mini_dir), "--plant", "littleton-nh")
    assert code == 0
    assert "littleton-nh in the optimal plan: running" in out
    assert "idling littleton-nh costs USD 19.3 M more over 2009Q1–2009Q2" in " ".join(out.split())


def test_explain_unknown_plant_suggests(capsys, mini_dir):
    code, out, err = run(capsys, "explain", str(mini_dir), "--plant", "litleton-nh")
    assert code == 1
    assert out == ""
    assert "unknown plant 'litleton-nh'; did you mean 'littleton-nh'?" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv", [(), ("--plant", "camden-ny", "--all-plants")], ids=["neither", "both"]
)
def test_explain_needs_one_of_plant_or_all_plants(capsys, mini_dir, argv):
    code, out, err = run(capsys, "explain", str(mini_dir), *argv)
    assert code == 2
    assert out == ""
    assert "give --plant ID or --all-plants (one of them)" in err


def test_explain_all_plants_in_process(capsys, mini_dir):
    code, out, err = run(capsys, "explain", str(mini_dir), "--all-plants", "--workers", "0")
    assert code == 0
    text = " ".join(out.split())
    assert "mini: optimal plan 13,142,944 USD (optimal)" in text
    for plant in ("camden-ny", "littleton-nh", "mons-be"):
        assert plant in out
    assert "8/8" in err


def test_alternatives_json(capsys, mini_dir):
    code, out, _ = run(
        capsys, "alternatives", str(mini_dir), "--count", "2", "--within", "10", "--json"
    )
    assert code == 0
    document = json.loads(out)
    plans = document["plans"]
    assert [p["rank"] for p in plans] == [1, 2]
    assert plans[0]["objective"] == pytest.approx(13_142_943.5, abs=1)
    assert plans[1]["differences"] == [
        {"plant": "mons-be", "period": "2009Q1", "best": "idle", "state": "running"}
    ]
    assert document["stopped"] == "found the 2 plans asked for"


def test_alternatives_with_a_scenario(capsys, mini_dir, tmp_path: Path):
    scenario = tmp_path / "keep-mons.yaml"
    scenario.write_text(
        "name: keep-mons\noverrides:\n  - kind: force_state\n    plants: [mons-be]\n"
        "    state: running\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "alternatives", str(mini_dir), "--count", "1", "--scenario", str(scenario), "--json"
    )
    assert code == 0
    states = json.loads(out)["plans"][0]["states"]
    assert {s["state"] for s in states if s["plant"] == "mons-be"} == {"running"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--count", "0"), "--count must be at least 1; found 0"),
        (("--within", "-1"), "--within must be a percentage ≥ 0; found -1"),
    ],
)
def test_alternatives_bad_input_exits_2(capsys, mini_dir, argv, message):
    code, out, err = run(capsys, "alternatives", str(mini_dir), *argv)
    assert code == 2
    assert out == ""
    assert message in err


def test_breakeven_json(capsys, mini_dir):
    # mons-be idles; with no fixed running cost it would run rather than pay to idle
    code, out, err = run(
        capsys, "breakeven", str(mini_dir), "--plant", "mons-be", "--vary", "fixed-cost:mons-be",
        "--low", "0", "--high", "1", "--tol", "0.3", "--json",
    )  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert document["found"] is True
    assert (document["state_below"], document["state_above"]) == ("running", "idle")
    assert document["above"] - document["below"] <= 0.3
    # 2 ends + 2 halvings of [0, 1] to a bracket of 0.25
    assert len(document["steps"]) == 4
    assert "fixed-cost:mons-be = 0: mons-be running" in err


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("--vary", "demnd:aerospace", "--low", "0", "--high", "1"), 1,
         "unknown knob 'demnd'; did you mean 'demand'?"),
        (("--vary", "demand:aerospace", "--low", "2", "--high", "1"), 2,
         "--low must be below --high; found low 2, high 1"),
        (("--vary", "demand:aerospace", "--low", "1", "--high", "1"), 2,
         "--low must be below --high; found low 1, high 1"),
    ],
)  # fmt: skip
def test_breakeven_bad_input(capsys, mini_dir, argv, code, message):
    exit_code, out, err = run(capsys, "breakeven", str(mini_dir), "--plant", "mons-be", *argv)
    assert exit_code == code
    assert out == ""
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["explain", "alternatives", "breakeven"])
def test_help_shows_an_example(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert f"Example: millnet {command} cases/iwg2009" in " ".join(out.split())


@pytest.mark.slow
def test_explain_all_plants_on_dask(capsys, mini_dir):
    code, out, err = run(
        capsys, "explain", str(mini_dir), "--all-plants", "--workers", "2", "--json"
    )
    assert code == 0
    document = json.loads(out)
    by_plant = {p["plant"]: p for p in document["plants"]}
    assert set(by_plant) == {"camden-ny", "jewett-city-ct", "littleton-nh", "mons-be"}
    assert [a["state"] for a in by_plant["mons-be"]["alternatives"]] == ["running", "closed"]
    assert all(not p["failures"] for p in document["plants"])
    assert "8/8" in err
