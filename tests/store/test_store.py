"""The run store on SQLite and PostgreSQL: save and load the same Results, list with filters,
delete, id prefixes, run keys, and clear errors for stores that cannot be used."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from results_equal import assert_same_results
from sqlalchemy import func, select, update

from millnet.model.options import ModelOptions
from millnet.results.results import Results
from millnet.solve.options import SolveOptions
from millnet.solve.status import SolveOutcome, Status
from millnet.store import (
    AmbiguousRunError,
    Store,
    StoreError,
    UnknownRunError,
    new_run_id,
    results_key,
    run_key,
    store_url,
    task_key,
)
from millnet.store.ids import ALPHABET, LENGTH
from millnet.store.schema import RunTable, StoreInfo


def variant(results: Results, **changes: object) -> Results:
    """``results`` with another scenario, status or objective (for filters and keys)."""
    outcome_changes = {k: changes.pop(k) for k in ("status", "objective", "gap") if k in changes}
    outcome = dataclasses.replace(results.outcome, **outcome_changes)
    return dataclasses.replace(results, outcome=outcome, **changes)


def infeasible(results: Results) -> Results:
    outcome = SolveOutcome(
        status=Status.INFEASIBLE,
        termination="Infeasible",
        objective=None,
        bound=None,
        gap=None,
        solver="highs",
        solve_s=0.02,
    )
    return dataclasses.replace(
        results,
        outcome=outcome,
        tables={},
        reference_objective=None,
        explanation=("no plant can make product wire-x",),
    )


def common_prefix(ids: list[str]) -> str:
    prefix = ""
    for chars in zip(*ids, strict=False):
        if len(set(chars)) > 1:
            break
        prefix += chars[0]
    return prefix


def table_rows(store: Store) -> int:
    with store.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(RunTable)).scalar_one()


# --- save and load -------------------------------------------------------------------------


def test_save_then_load_gives_the_same_results(store, mini_results):
    run_id = store.save(mini_results)
    back = store.load(run_id)
    assert_same_results(mini_results, back)
    assert back.run_id == run_id
    assert back.outcome.objective == mini_results.outcome.objective
    assert back.outcome.bound == mini_results.outcome.bound
    assert back.outcome.gap == mini_results.outcome.gap
    assert back.outcome.termination == "Optimal"
    assert table_rows(store) == len(mini_results.tables)


def test_load_by_unique_prefix(store, mini_results):
    run_id = store.save(mini_results)
    assert store.load(run_id[:10]).run_id == run_id
    assert store.resolve(run_id.upper()) == run_id
    assert store.resolve(f"  {run_id[:12]} ") == run_id


def test_run_without_a_plan_round_trips(store, mini_results):
    results = infeasible(mini_results)
    back = store.load(store.save(results))
    assert_same_results(results, back)
    assert back.outcome.status is Status.INFEASIBLE
    assert back.explanation == ("no plant can make product wire-x",)
    assert table_rows(store) == 0


def test_the_listing_carries_the_run_columns(store, mini_results):
    run_id = store.save(mini_results, sweep="copper-2009")
    [info] = store.list()
    assert info.id == run_id
    assert info.case == "mini"
    assert info.case_fingerprint == mini_results.case_fingerprint
    assert info.scenario is None
    assert info.sweep == "copper-2009"
    assert info.status == "optimal"
    assert info.objective == mini_results.outcome.objective
    assert info.gap == mini_results.outcome.gap
    assert info.solver == "highs"
    assert info.run_key == results_key(mini_results)
    assert info.options["objective"] == "cost"
    assert info.timings == dict(mini_results.timings)
    assert info.created_at.tzinfo is UTC
    assert abs(datetime.now(UTC) - info.created_at) < timedelta(minutes=5)
    document = info.to_json()
    assert document["created_at"] == info.created_at.isoformat()
    assert document["sweep"] == "copper-2009"


def test_ids_are_sorted_by_time_and_made_of_the_alphabet():
    early, late = new_run_id(1_700_000_000_000), new_run_id(1_700_000_000_001)
    assert early[:9] < late[:9]
    assert len(early) == LENGTH == 14
    assert set(early) <= set(ALPHABET)
    ids = {new_run_id() for _ in range(2000)}
    assert len(ids) == 2000


# --- listing -------------------------------------------------------------------------------


@pytest.fixture
def five_runs(store, mini_results):
    """Five runs: (id, scenario, sweep, status), oldest first."""
    made = [
        (mini_results, None),
        (variant(mini_results, scenario="copper-up"), "copper"),
        (variant(mini_results, scenario="copper-down", status=Status.FEASIBLE, gap=0.02), "copper"),
        (infeasible(variant(mini_results, scenario="no-mons")), None),
        (variant(mini_results, case_name="other", case_fingerprint="f" * 64), None),
    ]
    return [store.save(results, sweep=sweep) for results, sweep in made]


def ids(infos):
    return [info.id for info in infos]


def test_list_is_newest_first(store, five_runs):
    assert ids(store.list()) == five_runs[::-1]


def test_list_filters(store, five_runs, mini_results):
    a, b, c, d, e = five_runs
    assert ids(store.list(case="mini")) == [d, c, b, a]
    assert ids(store.list(case="f" * 64)) == [e]
    assert ids(store.list(scenario="copper-up")) == [b]
    assert ids(store.list(sweep="copper")) == [c, b]
    assert ids(store.list(status="optimal")) == [e, b, a]
    assert ids(store.list(status=["feasible", "infeasible"])) == [d, c]
    assert ids(store.list(sweep="copper", status="feasible")) == [c]
    assert ids(store.list(case="nope")) == []


def test_list_limit_takes_the_newest(store, five_runs):
    assert ids(store.list(limit=2)) == [five_runs[4], five_runs[3]]
    assert store.list(limit=0) == []


def test_list_by_time(store, mini_results):
    first = store.save(mini_results)
    time.sleep(0.05)
    between = datetime.now(UTC)
    time.sleep(0.05)
    second = store.save(mini_results)
    assert ids(store.list(since=between)) == [second]
    assert ids(store.list(until=between)) == [first]
    # a naive datetime is UTC
    assert ids(store.list(since=between.replace(tzinfo=None))) == [second]
    today = datetime.now(UTC).date()
    assert ids(store.list(since=today, until=today)) == [second, first]
    assert ids(store.list(since=today.isoformat())) == [second, first]
    assert store.list(until=today - timedelta(days=1)) == []
    assert store.list(since=today + timedelta(days=1)) == []


def test_list_rejects_unknown_status_and_bad_dates(store):
    with pytest.raises(StoreError, match="status 'done' is not one of optimal, feasible"):
        store.list(status="done")
    with pytest.raises(StoreError, match="'yesterday' is not a date; expected YYYY-MM-DD"):
        store.list(since="yesterday")
    with pytest.raises(StoreError, match="limit -1 is negative"):
        store.list(limit=-1)


# --- delete and prefixes -------------------------------------------------------------------


def test_delete_removes_runs_and_their_tables(store, mini_results):
    keep, drop = store.save(mini_results), store.save(mini_results)
    assert table_rows(store) == 2 * len(mini_results.tables)
    assert store.delete([drop[:11]]) == [drop]
    assert ids(store.list()) == [keep]
    assert table_rows(store) == len(mini_results.tables)
    with pytest.raises(UnknownRunError):
        store.load(drop)
    assert_same_results(mini_results, store.load(keep))


def test_delete_with_one_unknown_id_deletes_nothing(store, mini_results):
    run_id = store.save(mini_results)
    with pytest.raises(UnknownRunError, match="no run 'zzzzzzzz' in store"):
        store.delete([run_id, "zzzzzzzz"])
    assert ids(store.list()) == [run_id]


def test_ambiguous_prefix_names_the_candidates(store, mini_results):
    first, second = store.save(mini_results), store.save(mini_results)
    common = common_prefix([first, second])
    assert common  # saved within a second: the time part shares its first characters
    with pytest.raises(AmbiguousRunError) as info:
        store.load(common)
    message = str(info.value)
    assert f"run id {common!r} is ambiguous" in message
    assert f"it starts 2 run ids ({first}, {second}); give more characters" in message


def test_ambiguity_with_many_runs_shows_five(store, mini_results):
    saved = sorted(store.save(infeasible(mini_results)) for _ in range(7))
    common = common_prefix(saved)
    with pytest.raises(AmbiguousRunError) as info:
        store.resolve(common)
    assert f"it starts 7 run ids ({', '.join(saved[:5])} and 2 more)" in str(info.value)


@pytest.mark.parametrize("ref", ["", "not-an-id", "0%", "0_", "Ü"])
def test_refs_that_cannot_be_ids_are_unknown(store, mini_results, ref):
    store.save(mini_results)
    with pytest.raises(UnknownRunError, match=f"no run {ref!r} in store"):
        store.load(ref)


# --- run keys for --resume -----------------------------------------------------------------


def test_run_key_covers_case_scenario_and_options(mini_results):
    key = results_key(mini_results)
    assert key == task_key(mini_results.case_fingerprint, None, ModelOptions(), SolveOptions())
    assert key == run_key(mini_results.case_fingerprint, None, dict(mini_results.options))
    # options that only change how the solver is watched do not make another run
    assert key == task_key(
        mini_results.case_fingerprint, None, ModelOptions(), SolveOptions(log=True, threads=2)
    )
    others = {
        task_key(mini_results.case_fingerprint, "copper-up", ModelOptions(), SolveOptions()),
        task_key("0" * 64, None, ModelOptions(), SolveOptions()),
        task_key(mini_results.case_fingerprint, None, ModelOptions(max_idle=1), SolveOptions()),
        task_key(mini_results.case_fingerprint, None, ModelOptions(), SolveOptions(gap=0.01)),
    }
    assert key not in others
    assert len(others) == 4


def test_has_and_keys(store, mini_results):
    key = results_key(mini_results)
    assert not store.has(key)
    store.save(mini_results, sweep="s1")
    up = variant(mini_results, scenario="copper-up")
    store.save(up, sweep="s2")
    failed = variant(mini_results, scenario="solver-broke", status=Status.ERROR)
    store.save(failed, sweep="s2")
    assert store.has(key)
    assert store.has(results_key(up))
    # a solver error is worth running again
    assert not store.has(results_key(failed))
    assert store.keys() == {key, results_key(up)}
    assert store.keys(sweep="s2") == {results_key(up)}


# --- opening stores ------------------------------------------------------------------------


def test_default_store_is_under_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MILLNET_STORE", raising=False)
    assert store_url() == f"sqlite:///{tmp_path / '.millnet' / 'runs.db'}"
    monkeypatch.setenv("MILLNET_STORE", "elsewhere/runs.db")
    assert store_url() == f"sqlite:///{tmp_path / 'elsewhere' / 'runs.db'}"
    assert store_url("sqlite:///x.db") == "sqlite:///x.db"


def test_first_save_creates_folders_and_tables(tmp_path, mini_results):
    path = tmp_path / "deep" / "er" / "runs.db"
    with Store(str(path)) as store:
        run_id = store.save(mini_results)
    assert path.is_file()
    with Store(f"sqlite:///{path}") as store:
        assert ids(store.list()) == [run_id]


def test_reading_a_store_that_does_not_exist_creates_nothing(tmp_path):
    path = tmp_path / "none" / "runs.db"
    with Store(str(path)) as store:
        assert store.list() == []
        assert not store.has("0" * 32)
        with pytest.raises(UnknownRunError):
            store.load("1m88")
    assert not path.parent.exists()


def test_readers_do_not_wait_for_a_writer(tmp_path, mini_results):
    import sqlite3

    path = tmp_path / "runs.db"
    with Store(str(path)) as store:
        run_id = store.save(mini_results)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a save
        started = time.monotonic()
        with Store(str(path)) as store:
            assert ids(store.list()) == [run_id]
            assert_same_results(mini_results, store.load(run_id))
        assert time.monotonic() - started < 5
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_in_memory_store(mini_results):
    with Store("sqlite://") as store:
        run_id = store.save(mini_results)
        assert_same_results(mini_results, store.load(run_id))


def test_store_of_a_newer_millnet_is_refused(store, mini_results):
    store.save(mini_results)
    with store.engine.begin() as connection:
        connection.execute(
            update(StoreInfo).where(StoreInfo.key == "schema_version").values(value="99")
        )
    with Store(store.url) as again, pytest.raises(StoreError) as info:
        again.list()
    assert "has tables of version 99, written by a newer millnet" in str(info.value)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("foo://somewhere/db", "database 'foo' is not supported"),
        ("postgresql://u:secret@:x/db", "is not a database URL; expected sqlite:///"),
        ("mysql://u@localhost/db", "database 'mysql' is not supported"),
    ],
)
def test_bad_urls(url, message):
    with pytest.raises(StoreError, match=message) as info:
        Store(url).check()
    assert "secret" not in str(info.value)


def test_unreachable_server_is_named_without_its_password():
    with pytest.raises(StoreError) as info:
        Store("postgresql://planner:s3cret@127.0.0.1:1/runs").check()
    message = str(info.value)
    assert message.startswith("store postgresql+psycopg://planner:***@127.0.0.1:1/runs: cannot")
    assert "s3cret" not in message


def test_folder_that_cannot_be_made(mini_results):
    with pytest.raises(StoreError, match="cannot create folder /proc/millnet"):
        Store("/proc/millnet/runs.db").save(mini_results)


def test_import_does_not_load_sqlalchemy():
    import subprocess
    import sys

    code = (
        "import sys, millnet.store, millnet.cli.solve_cmd, millnet.cli.runs_cmd; "
        "print('sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_date_bounds_are_whole_days(store, mini_results):
    store.save(mini_results)
    today = datetime.now(UTC).date()
    assert len(store.list(until=today)) == 1
    assert len(store.list(since=date(today.year, today.month, today.day))) == 1
