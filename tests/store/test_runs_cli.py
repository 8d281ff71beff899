"""`millnet solve` saving its run, and `millnet runs list|show|export|delete`, through the real
entry point: output streams, JSON shapes and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from results_equal import assert_same_results

from millnet.case import example_path
from millnet.cli.app import main
from millnet.results.io import read_results
from millnet.store import Store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def saved(store_url, mini_results) -> list[str]:
    """Two runs of mini in the store: the plain one (oldest) and scenario copper-up."""
    import dataclasses

    with Store(store_url) as store:
        first = store.save(mini_results)
        second = store.save(dataclasses.replace(mini_results, scenario="copper-up"), sweep="s1")
    return [first, second]


# --- millnet solve -------------------------------------------------------------------------


def test_solve_saves_its_run(capsys, store_url, tmp_path):
    code, out, err = run(
        capsys, "solve", str(example_path("mini")), "--store", store_url, "--json", "--out",
        str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 0, err
    document = json.loads(out)
    run_id = document["run_id"]
    assert f"saved as run {run_id} in " in err
    with Store(store_url) as store:
        [info] = store.list()
        assert info.id == run_id
        assert info.objective == document["objective"]
        loaded = store.load(run_id)
    folder = read_results(tmp_path / "out")
    assert folder.run_id == run_id
    assert_same_results(folder, loaded)
    assert json.loads((tmp_path / "out" / "results.json").read_text())["run_id"] == run_id


def test_solve_saves_to_the_default_store_here(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MILLNET_STORE", raising=False)
    code, out, err = run(capsys, "solve", str(example_path("mini")), "--no-reference", "--json")
    assert code == 0, err
    with Store(str(tmp_path / ".millnet" / "runs.db")) as store:
        assert [info.id for info in store.list()] == [json.loads(out)["run_id"]]


def test_solve_uses_millnet_store_from_the_environment(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("MILLNET_STORE", str(tmp_path / "env.db"))
    code, _, err = run(capsys, "solve", str(example_path("mini")), "--no-reference", "--json")
    assert code == 0, err
    assert f"in sqlite:///{tmp_path / 'env.db'}" in err
    with Store(str(tmp_path / "env.db")) as store:
        assert len(store.list()) == 1


def test_solve_no_save_leaves_no_store(capsys, tmp_path):
    path = tmp_path / "never.db"
    code, out, err = run(
        capsys, "solve", str(example_path("mini")), "--no-reference", "--no-save", "--store",
        str(path), "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["run_id"] is None
    assert "saved as run" not in err
    assert not path.exists()


def test_solve_with_an_unreachable_store_fails_before_solving(capsys):
    code, out, err = run(
        capsys, "solve", str(example_path("mini")), "--store",
        "postgresql+psycopg://planner:pw@127.0.0.1:1/runs",
    )  # fmt: skip
    assert code == 1
    assert out == ""
    assert "error: store postgresql+psycopg://planner:***@127.0.0.1:1/runs: cannot" in err
    assert "solving" not in err
    assert "Traceback" not in err


# --- millnet runs list ---------------------------------------------------------------------


def test_list_json_is_every_run_newest_first(capsys, store_url, saved):
    code, out, err = run(capsys, "runs", "list", "--store", store_url, "--json")
    assert code == 0, err
    runs = json.loads(out)
    assert [r["id"] for r in runs] == saved[::-1]
    newest = runs[0]
    assert newest["scenario"] == "copper-up"
    assert newest["sweep"] == "s1"
    assert newest["status"] == "optimal"
    assert newest["case"] == "mini"
    assert isinstance(newest["objective"], float)
    assert newest["gap"] == 0.0
    assert newest["created_at"].endswith("+00:00")
    assert runs[1]["scenario"] is None
    assert runs[1]["sweep"] is None


def test_list_filters_and_limit(capsys, store_url, saved):
    def listed(*options: str) -> list[str]:
        code, out, err = run(capsys, "runs", "list", "--store", store_url, "--json", *options)
        assert code == 0, err
        return [r["id"] for r in json.loads(out)]

    first, second = saved
    assert listed("--scenario", "copper-up") == [second]
    assert listed("--sweep", "s1") == [second]
    assert listed("--case", "mini", "--status", "optimal") == [second, first]
    assert listed("--status", "infeasible") == []
    assert listed("--limit", "1") == [second]
    assert listed("--since", "2000-01-01", "--until", "2999-12-31") == [second, first]
    assert listed("--until", "2000-01-01") == []


def test_list_human_table(capsys, store_url, saved):
    code, out, err = run(capsys, "runs", "list", "--store", store_url)
    assert code == 0, err
    header, *rows = out.strip().splitlines()
    assert header.split() == [
        "id", "saved", "(UTC)", "case", "scenario", "sweep", "status", "objective", "gap",
    ]  # fmt: skip
    assert rows[0].split()[0] == saved[1]
    assert "copper-up" in rows[0]
    assert rows[1].split()[0] == saved[0]
    assert "2 run(s) in" in err


def test_list_of_an_empty_store(capsys, tmp_path):
    code, out, err = run(capsys, "runs", "list", "--store", str(tmp_path / "none.db"), "--json")
    assert code == 0, err
    assert json.loads(out) == []
    code, out, err = run(capsys, "runs", "list", "--store", str(tmp_path / "none.db"))
    assert code == 0
    assert "no runs match in sqlite:///" in out
    assert "warning: no store at" in err


@pytest.mark.parametrize(
    ("options", "code", "message"),
    [
        (["--since", "last week"], 2, "--since: 'last week' is not a date"),
        (["--status", "done"], 2, "Invalid value for '--status'"),
        (["--limit", "-3"], 2, "Invalid value for '--limit'"),
        (["--store", "nosuch://x/y"], 1, "error: store nosuch://x/y: database 'nosuch'"),
    ],
)
def test_list_bad_options(capsys, tmp_path, options, code, message):
    got, out, err = run(capsys, "runs", "list", "--store", str(tmp_path / "s.db"), *options)
    assert got == code
    assert message in " ".join(err.replace("│", " ").split())
    assert out == ""


# --- millnet runs show ---------------------------------------------------------------------


def test_show_json(capsys, store_url, saved, mini_results):
    code, out, err = run(capsys, "runs", "show", saved[1][:11], "--store", store_url, "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["id"] == document["run_id"] == saved[1]
    assert document["scenario"] == "copper-up"
    assert document["sweep"] == "s1"
    assert document["status"] == "optimal"
    assert document["objective"] == mini_results.outcome.objective
    states = mini_results["plant_states"].select("plant", "period", "state").to_dicts()
    assert document["plant_states"] == states
    terms = {r["term"]: r["amount"] for r in document["costs_by_term"]}
    expected: dict[str, float] = {}
    for row in mini_results["costs"].iter_rows(named=True):
        expected[row["term"]] = expected.get(row["term"], 0.0) + row["amount"]
    assert terms == pytest.approx(expected)


def test_show_human(capsys, store_url, saved):
    code, out, err = run(capsys, "runs", "show", saved[0], "--store", store_url)
    assert code == 0, err
    assert out.startswith(f"run {saved[0]} saved ")
    assert "case mini (" in out
    assert "options: defaults" in out
    assert "Plant states" in out
    assert "Cost by term (USD)" in out


def test_show_run_without_a_plan(capsys, store_url, mini_results):
    import dataclasses

    from millnet.solve.status import SolveOutcome, Status

    outcome = SolveOutcome(Status.INFEASIBLE, "Infeasible", None, None, None, "highs", 0.01)
    results = dataclasses.replace(
        mini_results, outcome=outcome, tables={}, explanation=("no plant makes wire-x",)
    )
    with Store(store_url) as store:
        run_id = store.save(results)
    code, out, err = run(capsys, "runs", "show", run_id, "--store", store_url)
    assert code == 0, err
    assert "infeasible (Infeasible): no plan" in out
    assert "no plant makes wire-x" in out


def test_show_unknown_and_ambiguous(capsys, store_url, saved):
    code, _, err = run(capsys, "runs", "show", "zzzz", "--store", store_url)
    assert code == 1
    assert "error: no run 'zzzz' in store" in err
    common = ""
    for a, b in zip(*saved, strict=True):
        if a != b:
            break
        common += a
    code, _, err = run(capsys, "runs", "show", common, "--store", store_url)
    assert code == 1
    assert f"run id '{common}' is ambiguous" in err
    assert saved[0] in err
    assert saved[1] in err


# --- millnet runs export -------------------------------------------------------------------


def test_export_writes_a_results_folder(capsys, store_url, saved, tmp_path, mini_results):
    out_dir = tmp_path / "exported"
    code, out, err = run(
        capsys, "runs", "export", saved[0], str(out_dir), "--store", store_url, "--json"
    )
    assert code == 0, err
    assert json.loads(out) == {"id": saved[0], "out": str(out_dir)}
    back = read_results(out_dir)
    assert_same_results(mini_results, back)
    assert back.run_id == saved[0]
    assert json.loads((out_dir / "results.json").read_text())["run_id"] == saved[0]


def test_export_unknown_run(capsys, store_url, saved, tmp_path):
    target = str(tmp_path / "x")
    code, _, err = run(capsys, "runs", "export", "yyyyyy", target, "--store", store_url)
    assert code == 1
    assert "no run 'yyyyyy'" in err
    assert not (tmp_path / "x").exists()


# --- millnet runs delete -------------------------------------------------------------------


def test_delete_with_yes(capsys, store_url, saved):
    code, out, err = run(capsys, "runs", "delete", saved[0][:12], "--yes", "--store", store_url)
    assert code == 0, err
    assert out.strip() == f"deleted 1 run(s): {saved[0]}"
    with Store(store_url) as store:
        assert [info.id for info in store.list()] == [saved[1]]


def test_delete_asks_first(capsys, store_url, saved, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    code, out, err = run(capsys, "runs", "delete", saved[0], saved[1], "--store", store_url)
    assert code == 1
    assert "Delete 2 run(s)?" in err
    assert "nothing deleted" in err
    with Store(store_url) as store:
        assert len(store.list()) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, out, err = run(capsys, "runs", "delete", saved[0], "--store", store_url, "--json")
    assert code == 0, err
    assert json.loads(out) == {"deleted": [saved[0]]}


def test_delete_unknown_id_deletes_nothing(capsys, store_url, saved):
    code, _, err = run(capsys, "runs", "delete", saved[0], "nothere", "--yes", "--store", store_url)
    assert code == 1
    assert "error: no run 'nothere' in store" in err
    with Store(store_url) as store:
        assert len(store.list()) == 2


def test_every_runs_command_shows_an_example(capsys):
    for command in ("list", "show", "export", "delete"):
        code, out, _ = run(capsys, "runs", command, "--help")
        assert code == 0
        assert f"millnet runs {command}" in out
        assert "--store" in out


def test_results_folder_and_store_share_the_format(tmp_path, mini_results):
    from millnet.store import open_results

    folder = tmp_path / "f"
    mini_results.write(folder)
    with Store(str(tmp_path / "s.db")) as store:
        run_id = store.save(mini_results)
    assert_same_results(open_results(folder), open_results(run_id, str(tmp_path / "s.db")))
    assert Path(folder / "meta.json").is_file()


def test_open_results_names_both_places_it_looked(tmp_path):
    from millnet.store import UnknownRunError, open_results

    with pytest.raises(UnknownRunError) as info:
        open_results("lastweek", str(tmp_path / "s.db"))
    assert str(info.value) == (
        f"'lastweek' is neither a results folder nor a run in store sqlite:///{tmp_path / 's.db'}"
    )
