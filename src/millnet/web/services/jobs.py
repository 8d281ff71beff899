"""Queue solves and sweeps: resolve the names a request gives to files, then hand the job to
the runner. Nothing here waits for a solve."""

from __future__ import annotations

from typing import TYPE_CHECKING

from millnet.web.jobs import Job, new_job_id
from millnet.web.models import SolveRequest, SweepRequest
from millnet.web.work import solve_work

if TYPE_CHECKING:
    from millnet.web.app import Services


def submit_solve(app: Services, case_id: str, request: SolveRequest) -> Job:
    entry = app.workspace.case_entry(case_id)
    scenario_path = None
    if request.scenario:
        scenario_path = app.workspace.scenario_path(case_id, request.scenario)
    model_options = {
        "objective": request.objective,
        "single_source": request.single_source,
        "forbid_closures": request.forbid_closures,
        "max_idle": request.max_idle,
    }
    solve_options = {"time_limit": request.time_limit, "gap": request.gap}
    title = f"solve {entry.id}" + (f" · {request.scenario}" if request.scenario else "")
    job = Job(
        id=new_job_id(),
        kind="solve",
        title=title,
        case_id=entry.id,
        params={
            "case_path": str(entry.path),
            "scenario": request.scenario,
            "scenario_path": None if scenario_path is None else str(scenario_path),
            "model_options": model_options,
            "solve_options": solve_options,
            "store_url": app.settings.resolved_store_url,
        },
    )
    return app.runner.submit(job, solve_work, in_process=True)


def submit_sweep(app: Services, case_id: str, request: SweepRequest) -> Job:
    from millnet.web.work import sweep_work

    entry = app.workspace.case_entry(case_id)
    sweeps = app.workspace.sweep_files(case_id)
    if request.sweep not in sweeps:
        from millnet.web.workspace import NotFoundError

        known = ", ".join(sweeps) or "none"
        raise NotFoundError(f"case '{case_id}' has no sweep '{request.sweep}'; known: {known}")
    job = Job(
        id=new_job_id(),
        kind="sweep",
        title=f"sweep {entry.id} · {request.sweep}",
        case_id=entry.id,
        total=0,
        message="expanding the sweep",
        params={
            "case_path": str(entry.path),
            "sweep_path": str(sweeps[request.sweep]),
            "workers": request.workers,
            "time_limit": request.time_limit,
            "gap": request.gap,
            "store_url": app.settings.resolved_store_url,
        },
    )
    return app.runner.submit(job, sweep_work, in_process=False)
