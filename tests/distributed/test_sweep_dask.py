"""Sweeps on a real local Dask cluster, through the installed command in a child process: two
workers end to end with a failing scenario, --resume, Ctrl-C and SIGKILL of the client.

Each test starts a cluster (seconds), so they are few and marked slow.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import millnet
from millnet.plan import solve_case
from millnet.scenario import apply, parse_scenario
from millnet.store import Store

MILLNET = str(Path(sys.executable).with_name("millnet"))
pytestmark = pytest.mark.slow

MIXED = """\
name: mixed
grid:
  demand:
    levels:
      base: []
      ghost: [{kind: scale_demand, customers: [no-such-customer], factor: 0.5}]
      low: [{kind: scale_demand, factor: 0.7}]
"""
#: The level "low" of MIXED as a scenario of its own.
LOW = "name: demand=low\noverrides:\n  - {kind: scale_demand, factor: 0.7}\n"


def long_sweep(n: int = 30) -> str:
    values = ", ".join(f"{0.5 + 0.02 * i:.2f}" for i in range(n))
    return (
        "name: long\ngrid:\n  demand:\n    template: {kind: scale_demand, factor: $value}\n"
        f"    values: [{values}]\n"
    )


def children(pid: int) -> set[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()}


def alive(pids: set[int]) -> set[int]:
    """The processes still running (a zombie has exited: it only waits to be reaped)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            continue
        if state != "Z":
            running.add(pid)
    return running


def wait_gone(pids: set[int], seconds: float = 20.0) -> set[int]:
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive(pids)


class Watched:
    """A command in a child process, with every process it starts recorded while it runs."""

    def __init__(self, *argv: str, cwd: Path) -> None:
        env = {**os.environ, "COLUMNS": "200"}
        self.process = subprocess.Popen(
            [MILLNET, *argv],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.seen: set[int] = set()
        self._watch = threading.Thread(target=self._record, daemon=True)
        self._watch.start()

    def _record(self) -> None:
        while self.process.poll() is None:
            self.seen |= children(self.process.pid)
            time.sleep(0.2)

    def finish(self, timeout: float = 300.0) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=timeout)
        self._watch.join()
        return self.process.returncode, out, err


def stored_runs(url: str) -> int:
    path = Path(url)
    if not path.exists():
        return 0
    try:
        return len(Store(url).list())
    except Exception:  # the store is being created by the sweep
        return 0


def wait_for_runs(url: str, count: int, process: subprocess.Popen, seconds: float = 240.0) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        n = stored_runs(url)
        if n >= count:
            return n
        time.sleep(0.3)
    raise AssertionError(f"fewer than {count} runs stored before the sweep ended or timed out")


def test_two_workers_solve_report_the_failure_and_resume_skips_stored_runs(
    mini_folder: Path, tmp_path: Path
):
    sweep = tmp_path / "mixed.yaml"
    sweep.write_text(MIXED)
    store = str(tmp_path / "runs.db")
    argv = ("sweep", str(mini_folder), str(sweep), "--store", store, "--json")
    first = Watched(*argv, "--workers", "2", "--reference", cwd=tmp_path)
    code, out, err = first.finish()
    assert code == 1, err  # a scenario failed; the others were solved and stored
    document = json.loads(out)
    assert document["counts"] == {"total": 3, "done": 2, "failed": 1, "skipped": 0}
    assert document["workers"] == 2
    assert document["failed"] == [
        {
            "scenario": "demand=ghost",
            "kind": "scenario",
            "message": document["failed"][0]["message"],
        }
    ]
    assert "unknown customer 'no-such-customer'" in document["failed"][0]["message"]
    assert "failed: scenario demand=ghost" in err
    assert "Traceback" not in err
    # the workers (and everything they started) are gone with the sweep
    assert len(first.seen) >= 2
    assert wait_gone(first.seen) == set()

    runs = {r["scenario"]: r for r in document["runs"]}
    assert set(runs) == {"demand=base", "demand=low"}
    case = millnet.load_example("mini")
    low = apply(case, parse_scenario(LOW))
    expected = solve_case(low.case, low.options, reference=False).outcome.objective
    assert runs["demand=low"]["objective"] == pytest.approx(expected, rel=1e-9)
    with Store(store) as opened:
        listed = opened.list(sweep="mixed")
        assert sorted(i.scenario for i in listed) == ["demand=base", "demand=low"]
        saved = opened.load(runs["demand=low"]["run_id"])
    assert saved.scenario == "demand=low"
    assert saved.outcome.objective == pytest.approx(expected, rel=1e-9)
    # --reference: the all-running plan was solved too, so the run knows its savings
    assert saved.reference_objective is not None
    assert "moves" in saved.tables

    again = Watched(*argv, "--resume", "--workers", "1", cwd=tmp_path)
    code, out, err = again.finish()
    assert code == 1, err
    document = json.loads(out)
    assert document["counts"] == {"total": 3, "done": 0, "failed": 1, "skipped": 2}
    assert sorted(s["scenario"] for s in document["skipped"]) == ["demand=base", "demand=low"]
    assert len(Store(store).list()) == 2


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "sigkill"])
def test_a_stopped_sweep_keeps_only_whole_runs_and_leaves_no_process(
    mini_folder: Path, tmp_path: Path, stop: signal.Signals
):
    sweep = tmp_path / "long.yaml"
    sweep.write_text(long_sweep())
    store = str(tmp_path / "runs.db")
    watched = Watched("sweep", str(mini_folder), str(sweep), "--store", store, cwd=tmp_path)
    wait_for_runs(store, 2, watched.process)
    watched.process.send_signal(stop)
    code, _, err = watched.finish(timeout=60)
    if stop is signal.SIGINT:
        assert code == 130
        assert "interrupted:" in err
        assert "--resume" in err
        assert "Traceback" not in err
    else:
        assert code == -signal.SIGKILL
    assert wait_gone(watched.seen) == set()
    with Store(store) as opened:
        infos = opened.list()
        assert 2 <= len(infos) < 30
        plain = solve_case(millnet.load_example("mini"), reference=False, duals=False)
        expected = set(plain.tables)
        for info in infos:
            results = opened.load(info.id)
            assert set(results.tables) == expected, info.scenario
            assert results.outcome.status.value == "optimal"
