"""Several processes saving to one store at once, and a process killed while saving."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from results_equal import assert_same_results
from sqlalchemy import func, select

from millnet.results.io import write_results
from millnet.store import Store, UnknownRunError
from millnet.store.schema import Run, RunTable

#: Waits for the go file, so every writer starts saving at the same moment.
SAVER = """
import os, sys, time
from pathlib import Path
from millnet.results.io import read_results
from millnet.store import Store

folder, url, go, count = sys.argv[1:5]
results = read_results(folder)
with Store(url) as store:
    store.check()
    Path(f"{go}.{os.getpid()}").touch()
    while not Path(go).exists():
        time.sleep(0.005)
    for _ in range(int(count)):
        print(store.save(results, sweep="together"), flush=True)
"""

#: Saves one run but stops inside the transaction, after every row is written, until killed.
STUCK_SAVER = """
import os, sys, time
from pathlib import Path
from millnet.results.io import read_results
from millnet.store import Store
import millnet.store.store as store_module

folder, url, ready = sys.argv[1:4]
results = read_results(folder)
insert = store_module._insert

def insert_and_hang(session, run, tables):
    insert(session, run, tables)
    Path(ready).write_text(run.id)
    time.sleep(600)

store_module._insert = insert_and_hang
Store(url).save(results, sweep="killed")
"""

WRITERS = 3
SAVES_EACH = 4


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def counts(store: Store) -> tuple[int, int]:
    with store.engine.connect() as connection:
        runs = connection.execute(select(func.count()).select_from(Run)).scalar_one()
        tables = connection.execute(select(func.count()).select_from(RunTable)).scalar_one()
    return runs, tables


@pytest.mark.slow
def test_concurrent_writers_all_land(tmp_path, store_url, mini_results):
    folder = write_results(mini_results, tmp_path / "results")
    go = tmp_path / "go"
    Store(store_url).check().close()  # the tables exist before the race, as after any solve
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", SAVER, str(folder), store_url, str(go), str(SAVES_EACH)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WRITERS)
    ]
    try:
        wait_for(
            lambda: (
                len(list(tmp_path.glob("go.*"))) == WRITERS
                or any(w.poll() is not None for w in writers)
            ),
            120,
            "the writers to start",
        )
        go.touch()
        outputs = [w.communicate(timeout=120) for w in writers]
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
                w.wait()
    for w, (_, err) in zip(writers, outputs, strict=True):
        assert w.returncode == 0, err
    saved = [line for out, _ in outputs for line in out.split()]
    assert len(saved) == len(set(saved)) == WRITERS * SAVES_EACH
    with Store(store_url) as store:
        listed = store.list(sweep="together")
        assert sorted(info.id for info in listed) == sorted(saved)
        assert counts(store) == (len(saved), len(saved) * len(mini_results.tables))
        assert_same_results(mini_results, store.load(saved[-1]))


@pytest.mark.slow
def test_a_process_killed_while_saving_leaves_no_partial_run(tmp_path, store_url, mini_results):
    folder = write_results(mini_results, tmp_path / "results")
    ready = tmp_path / "ready"
    with Store(store_url) as store:
        before = store.save(mini_results)
    saver = subprocess.Popen(
        [sys.executable, "-c", STUCK_SAVER, str(folder), store_url, str(ready)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: ready.exists() or saver.poll() is not None, 120, "the save to start")
        assert saver.poll() is None, saver.stderr.read() if saver.stderr else ""
        half_written = ready.read_text()
        os.kill(saver.pid, signal.SIGKILL)
        saver.wait(timeout=30)
    finally:
        if saver.poll() is None:
            saver.kill()
            saver.wait()
        if saver.stderr:
            saver.stderr.close()
    assert saver.returncode == -signal.SIGKILL
    with Store(store_url) as store:
        # the killed transaction held the write lock; the next writer must not wait for it
        started = time.monotonic()
        after = store.save(mini_results)
        assert time.monotonic() - started < 10
        assert [info.id for info in store.list()] == [after, before]
        assert counts(store) == (2, 2 * len(mini_results.tables))
        with pytest.raises(UnknownRunError, match=f"no run '{half_written}'"):
            store.load(half_written)
        assert store.list(sweep="killed") == []
