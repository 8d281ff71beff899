"""compare, sweep-summary and the checks of sweep through the real entry point (no cluster is
started here): output streams, JSON shapes and exit codes."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import millnet
from millnet.cli.app import main
from millnet.model.options import ModelOptions
from millnet.plan import solve_case
from millnet.results.collection import summarize
from millnet.results.compare import compare
from millnet.scenario import apply, parse_scenario
from millnet.store import Store

FACTORS = (0.6, 1.0, 1.4)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def scenario(factor: float):
    text = f"name: demand={factor}\noverrides:\n  - {{kind: scale_demand, factor: {factor}}}\n"
    return parse_scenario(text)


@pytest.fixture(scope="module")
def plans():
    """The mini case as it is, and with idling forbidden (two plans that decide differently)."""
    case = millnet.load_example("mini")
    base = solve_case(case)
    no_idle = solve_case(case, ModelOptions(max_idle=0))
    return base, no_idle


@pytest.fixture(scope="module")
def sweep_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list]:
    """A store holding the mini case solved at three demand levels as sweep 'demand'."""
    url = str(tmp_path_factory.mktemp("store") / "runs.db")
    case = millnet.load_example("mini")
    saved = []
    with Store(url) as store:
        for factor in FACTORS:
            applied = apply(case, scenario(factor))
            results = solve_case(applied.case, applied.options, reference=False)
            results = dataclasses.replace(results, scenario=applied.scenario)
            store.save(results, sweep="demand")
            saved.append(results)
    return url, saved


def test_compare_two_results_folders_json(capsys, tmp_path: Path, plans):
    base, no_idle = plans
    base.write(tmp_path / "base")
    no_idle.write(tmp_path / "no-idle")
    code, out, err = run(
        capsys, "compare", str(tmp_path / "base"), str(tmp_path / "no-idle"), "--json"
    )
    assert code == 0, err
    document = json.loads(out)
    assert set(document) == {"a", "b", "same_decisions", "states", "sourcing", "kpis"}
    assert document["a"]["objective"] == pytest.approx(base.outcome.objective)
    expected = compare(base, no_idle)
    assert document["states"] == expected.states.to_dicts()
    assert document["sourcing"] == expected.sourcing.to_dicts()
    assert document["same_decisions"] is False
    assert {
        "plant": "camden-ny",
        "period": "2009Q1",
        "state_a": "idle",
        "state_b": "running",
    } in document["states"]
    first = document["kpis"][0]
    assert first["kpi"] == "plan"
    assert first["measure"] == "objective"
    assert first["delta"] == pytest.approx(no_idle.outcome.objective - base.outcome.objective)


def test_compare_human_output_shows_decisions_and_kpis(capsys, tmp_path: Path, plans):
    base, no_idle = plans
    base.write(tmp_path / "base")
    no_idle.write(tmp_path / "no-idle")
    code, out, _ = run(capsys, "compare", str(tmp_path / "base"), str(tmp_path / "no-idle"))
    assert code == 0
    assert "Plant states that differ" in out
    assert "camden-ny" in out
    assert "cost_by_term" in out
    assert "B − A" in out


def test_compare_runs_by_id_prefix_in_the_store(capsys, sweep_store):
    url, _ = sweep_store
    ids = [info.id for info in Store(url).list(sweep="demand")]
    code, out, err = run(capsys, "compare", ids[-1][:10], ids[0], "--store", url, "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["a"]["scenario"] == "demand=0.6"
    assert document["b"]["scenario"] == "demand=1.4"


def test_compare_unknown_run_and_missing_folder_exit_with_a_message(capsys, sweep_store, tmp_path):
    url, _ = sweep_store
    code, out, err = run(capsys, "compare", "zzzz", "zzzy", "--store", url)
    assert code == 1
    assert "'zzzz'" in err
    assert "runs.db" in err
    assert out == ""
    code, _, err = run(capsys, "compare", str(tmp_path / "nothing"), str(tmp_path / "x"))
    assert code == 2
    assert "no such results folder" in err
    assert "Traceback" not in err


def test_sweep_summary_json_matches_the_summary_of_the_stored_runs(capsys, sweep_store):
    url, saved = sweep_store
    code, out, err = run(capsys, "sweep-summary", "demand", "--store", url, "--json")
    assert code == 0, err
    document = json.loads(out)
    assert set(document) == {"sweep", "store", "runs", "cost", "states", "usual", "flips"}
    assert [r["scenario"] for r in document["runs"]] == [f"demand={f}" for f in FACTORS]
    expected = summarize(saved)
    assert document["states"] == expected.states.to_dicts()
    assert document["flips"] == expected.flips.to_dicts()
    costs = sorted(r.outcome.objective for r in saved)
    assert document["cost"]["min"] == pytest.approx(costs[0])
    assert document["cost"]["p50"] == pytest.approx(costs[1])
    assert document["cost"]["max"] == pytest.approx(costs[2])
    assert document["cost"]["runs"] == 3


def test_sweep_summary_human_output(capsys, sweep_store):
    url, _ = sweep_store
    code, out, _ = run(capsys, "sweep-summary", "demand", "--store", url)
    assert code == 0
    assert "sweep demand: 3 scenario(s), 3 with a plan" in out
    assert "Total cost across scenarios (USD)" in out
    assert "Plant states across scenarios" in out


def test_sweep_summary_of_an_unknown_sweep_names_the_known_ones(capsys, sweep_store):
    url, _ = sweep_store
    code, out, err = run(capsys, "sweep-summary", "nope", "--store", url)
    assert code == 1
    assert "no runs of sweep 'nope'" in err
    assert "sweeps in the store: demand" in err
    assert out == ""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--workers", "0"], "--workers 0: expected 1 or more"),
        (["--time-limit", "-1"], "--time-limit -1.0: expected a positive number"),
        (["--gap", "-0.1"], "--gap -0.1: expected 0 or more"),
    ],
)
def test_sweep_bad_options_exit_2_before_any_cluster_starts(
    capsys, mini_folder, tmp_path, extra, message
):
    sweep = tmp_path / "s.yaml"
    sweep.write_text(
        "name: s\ngrid:\n  d:\n"
        "    template: {kind: scale_demand, factor: $value}\n    values: [1.0]\n"
    )
    code, out, err = run(capsys, "sweep", str(mini_folder), str(sweep), *extra)
    assert code == 2
    assert message in err
    assert out == ""


def test_sweep_missing_sweep_file_exits_2(capsys, mini_folder, tmp_path):
    code, _, err = run(capsys, "sweep", str(mini_folder), str(tmp_path / "none.yaml"))
    assert code == 2
    assert "none.yaml: no such sweep file" in err


def test_sweep_invalid_sweep_file_names_line_and_key(capsys, mini_folder, tmp_path):
    sweep = tmp_path / "bad.yaml"
    sweep.write_text("name: bad\ngrid:\n  d:\n    values: [1.0]\n")
    code, out, err = run(
        capsys, "sweep", str(mini_folder), str(sweep), "--store", str(tmp_path / "r.db")
    )
    assert code == 1
    assert "bad.yaml" in err
    assert "line" in err
    assert out == ""
    assert not (tmp_path / "r.db").exists()
