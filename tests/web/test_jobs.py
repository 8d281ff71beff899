"""Jobs: records that survive a restart, and real solves in the process pool."""

from __future__ import annotations

import time

import pytest

from millnet.web.jobs import Job, JobBook, new_job_id


def test_a_restart_marks_unfinished_jobs_failed_in_words(make_client, tmp_path):
    book = JobBook(tmp_path / "workspace" / "jobs")
    running = book.add(Job(id=new_job_id(), kind="solve", title="solve mini", case_id="mini"))
    book.update(running.id, state="running", started_at=time.time())
    queued = book.add(Job(id=new_job_id(), kind="sweep", title="sweep x", case_id="mini"))
    done = book.add(Job(id=new_job_id(), kind="solve", title="done", case_id="mini"))
    book.update(done.id, state="done", finished_at=time.time(), message="optimal")
    client = make_client(held=True)
    jobs = {j["id"]: j for j in client.get("/api/jobs").json()}
    assert jobs[running.id]["state"] == "failed"
    assert jobs[running.id]["error"] == (
        "interrupted: the server stopped while this job was running; start it again"
    )
    assert jobs[queued.id]["error"] == (
        "interrupted: the server stopped while this job was waiting in the queue; start it again"
    )
    assert jobs[done.id]["state"] == "done"
    page = client.get(f"/jobs/{running.id}")
    assert "interrupted: the server stopped while this job was running" in page.text


def test_a_finished_record_is_never_revived(tmp_path):
    book = JobBook(tmp_path)
    job = book.add(Job(id=new_job_id(), kind="solve", title="t", case_id="mini"))
    book.update(job.id, state="failed", error="stopped", finished_at=1.0)
    assert book.update(job.id, message="late progress").message == "waiting for a free worker"
    assert book.update(job.id, state="running").state == "failed"
    assert book.get(job.id).error == "stopped"


def test_held_jobs_cannot_be_cancelled_once_unknown_to_the_runner(client):
    job = client.post("/api/cases/mini/solve", json={"time_limit": None}).json()
    answer = client.post(f"/api/jobs/{job['id']}/cancel")
    assert answer.status_code == 422
    assert answer.json()["detail"] == f"job '{job['id']}' is already queued and cannot be cancelled"


def wait(client, job_id: str, seconds: float = 240.0) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish in {seconds} s: {job}")


@pytest.mark.slow
def test_a_solve_job_runs_in_the_pool_and_saves_its_run(make_client):
    client = make_client()
    first = client.post("/api/cases/mini/solve", json={"time_limit": None}).json()
    second = client.post("/api/cases/mini/solve", json={"time_limit": None}).json()
    cancelled = client.post(f"/api/jobs/{second['id']}/cancel").json()
    assert cancelled["state"] == "cancelled"
    panel = client.get(f"/jobs/{first['id']}/panel")
    assert 'hx-trigger="every 1s"' in panel.text  # still polling while it runs
    job = wait(client, first["id"])
    assert job["state"] == "done", job
    assert job["message"] == "optimal, gap 0.00%"
    (run_id,) = job["run_ids"]
    run = client.get(f"/api/runs/{run_id}").json()
    assert run["status"] == "optimal"
    assert run["objective"] == pytest.approx(13142943.500182966, rel=1e-9)
    states = {(s["plant"], s["period"]): s["state"] for s in run["plant_states"]}
    assert states[("camden-ny", "2009Q1")] == "idle"
    assert states[("mons-be", "2009Q2")] == "idle"
    assert states[("littleton-nh", "2009Q1")] == "running"
    panel = client.get(f"/jobs/{first['id']}/panel")
    assert "every 1s" not in panel.text
    assert f'href="/runs/{run_id}" data-run-link' in panel.text
    assert client.post(f"/api/jobs/{first['id']}/cancel").json()["state"] == "done"
    assert client.get(f"/api/jobs/{second['id']}").json()["state"] == "cancelled"
