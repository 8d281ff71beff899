"""``millnet scenario`` and ``millnet solve --scenario`` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from millnet.case import example_path
from millnet.cli.app import main
from millnet.plan import plan

MINI = example_path("mini")
IWG_SCENARIOS = Path(__file__).resolve().parents[2] / "cases" / "iwg2009" / "scenarios"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "aero.yaml"
    path.write_text(
        "name: aero-down\ndescription: aerospace halves\noverrides:\n"
        "  - {kind: scale_demand, segments: [aerospace], factor: 0.5}\n"
        "  - {kind: drop_customers, largest: 1}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def bad_key(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: bad\noverrides:\n  - kind: scale_demand\n    fator: 0.5\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def bad_id(tmp_path: Path) -> Path:
    path = tmp_path / "bad-id.yaml"
    path.write_text(
        "name: bad-id\noverrides:\n  - kind: force_state\n    plants: [littleton]\n"
        "    state: running\n",
        encoding="utf-8",
    )
    return path


def test_check_valid_scenario_exits_0(capsys, good):
    code, out, err = run(capsys, "scenario", "check", str(good))
    assert code == 0
    assert "aero-down: valid — 2 override(s)" in out
    assert "Traceback" not in err


def test_check_against_a_case_reports_what_was_decided(capsys, good):
    code, out, _ = run(capsys, "scenario", "check", str(good), "--case", str(MINI))
    assert code == 0
    assert "dropped the 1 largest by value in 2009Q1–2009Q2: acme-cable" in out
    assert "aero-down: valid against case mini — 2 override(s)" in out


def test_check_json_is_one_document(capsys, good):
    code, out, _ = run(capsys, "scenario", "check", str(good), "--case", str(MINI), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["valid"] is True
    assert document["scenario"] == "aero-down"
    assert document["lineage"] == ["aero-down"]
    assert document["overrides"] == 2
    assert document["problems"] == []
    checked = document["case"]
    assert checked["name"] == "mini"
    assert checked["fingerprint"] != checked["scenario_fingerprint"]
    assert checked["issues"] == []
    assert checked["notes"][0].startswith("aero-down: dropped the 1 largest by value")


def test_check_invalid_scenario_exits_1_naming_file_line_and_key(capsys, bad_key):
    code, out, err = run(capsys, "scenario", "check", str(bad_key))
    assert code == 1
    flat = out
    assert f"{bad_key}, line 4, key overrides[0].fator: unknown key 'fator'" in flat
    assert "did you mean 'factor'?" in flat
    assert "not valid" in flat
    assert "Traceback" not in err


def test_check_invalid_json(capsys, bad_key):
    code, out, _ = run(capsys, "scenario", "check", str(bad_key), "--json")
    assert code == 1
    document = json.loads(out)
    assert document["valid"] is False
    assert [(p["file"], p["line"], p["key"]) for p in document["problems"]] == [
        (str(bad_key), 3, "overrides[0]"),
        (str(bad_key), 4, "overrides[0].fator"),
    ]


def test_check_unknown_id_needs_the_case(capsys, bad_id):
    assert run(capsys, "scenario", "check", str(bad_id))[0] == 0
    code, out, _ = run(capsys, "scenario", "check", str(bad_id), "--case", str(MINI), "--json")
    assert code == 1
    (problem,) = json.loads(out)["problems"]
    assert (problem["line"], problem["key"]) == (4, "overrides[0].plants[0]")
    assert problem["message"] == (
        "unknown plant 'littleton' in case mini; did you mean 'littleton-nh'?"
    )


def test_check_a_case_path_that_is_not_a_case_exits_2(capsys, good, tmp_path):
    code, out, err = run(capsys, "scenario", "check", str(good), "--case", str(tmp_path / "no"))
    assert code == 2
    assert out == ""
    assert "no such file or folder" in err


def test_check_missing_scenario_file(capsys, tmp_path):
    code, out, _ = run(capsys, "scenario", "check", str(tmp_path / "none.yaml"))
    assert code == 1
    assert "no such file" in out


def test_show_lists_parents_first_with_file_and_line(capsys):
    path = IWG_SCENARIOS / "keep-littleton-aerospace-minus-40.yaml"
    code, out, _ = run(capsys, "scenario", "show", str(path), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["lineage"] == ["aerospace-minus-40", "keep-littleton-aerospace-minus-40"]
    first, second = document["overrides"]
    assert first["scenario"] == "aerospace-minus-40"
    assert first["file"].endswith("aerospace-minus-40.yaml")
    assert first["line"] == 7
    assert first["kind"] == "scale_demand"
    assert first["segments"] == ["aerospace"]
    assert second == {
        "scenario": "keep-littleton-aerospace-minus-40",
        "file": str(path),
        "line": 7,
        "kind": "force_state",
        "plants": ["littleton-nh"],
        "state": "running",
    }
    code, out, _ = run(capsys, "scenario", "show", str(path))
    assert code == 0
    assert "Builds on: aerospace-minus-40 → keep-littleton-aerospace-minus-40" in out


def test_show_bad_file_is_an_error_on_stderr(capsys, bad_key):
    code, out, err = run(capsys, "scenario", "show", str(bad_key))
    assert code == 1
    assert out == ""
    assert "key overrides[0].fator" in err


def test_expand_lists_names_and_overrides(capsys, tmp_path):
    path = tmp_path / "sweep.yaml"
    path.write_text(
        "name: g\ngrid:\n  aero:\n"
        "    template: {kind: scale_demand, segments: [aerospace], factor: $value}\n"
        "    values: [0.5, 1.5]\n"
        "  closures:\n"
        "    levels: {allowed: [], forbidden: [{kind: options, forbid_closures: true}]}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "scenario", "expand", str(path), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["count"] == 4
    assert document["base"] is None
    assert [s["name"] for s in document["scenarios"]] == [
        "aero=0.5,closures=allowed",
        "aero=0.5,closures=forbidden",
        "aero=1.5,closures=allowed",
        "aero=1.5,closures=forbidden",
    ]
    assert document["scenarios"][1]["overrides"] == [
        {"kind": "scale_demand", "segments": ["aerospace"], "factor": 0.5},
        {"kind": "options", "forbid_closures": True},
    ]
    code, out, _ = run(capsys, "scenario", "expand", str(path))
    assert code == 0
    assert "g: 4 scenario(s)" in out


def test_help_shows_an_example(capsys):
    for command in ("check", "show", "expand"):
        code, out, _ = run(capsys, "scenario", command, "--help")
        assert code == 0
        assert "Example:" in out


def test_solve_with_a_scenario_names_the_results(capsys, good, tmp_path):
    code, out, err = run(
        capsys,
        "solve",
        str(MINI),
        "--scenario",
        str(good),
        "--no-reference",
        "--no-save",
        "--json",
    )
    assert code == 0, err
    document = json.loads(out)
    assert document["scenario"] == "aero-down"
    assert document["status"] == "optimal"
    # acme-cable (the largest account) is gone, so nothing is owed to it
    assert all(u["customer"] != "acme-cable" for u in document["unmet"])


def test_solve_with_a_bad_scenario_fails_before_solving(capsys, bad_id):
    code, out, err = run(capsys, "solve", str(MINI), "--scenario", str(bad_id), "--no-save")
    assert code == 1
    assert out == ""
    assert "key overrides[0].plants[0]: unknown plant 'littleton'" in " ".join(err.split())


def test_plan_with_a_scenario_file_carries_its_name_and_changed_case(good):
    from millnet.case import load_example
    from millnet.scenario import apply, load_scenario

    results = plan(MINI, scenario=good, reference=False)
    assert results.scenario == "aero-down"
    expected = apply(load_example("mini"), load_scenario(good)).case.fingerprint
    assert results.case_fingerprint == expected
    flows = results["flows"]
    assert "acme-cable" not in flows["customer"].to_list()
    assert flows.filter(flows["customer"] == "skyline-aero")["quantity"].sum() == pytest.approx(
        155000.0
    )
