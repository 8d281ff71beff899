"""The JSON API. Each function is a thin shell: parse, call a service, return plain data."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import PlainTextResponse

from millnet.validate import validate
from millnet.web.app import Services, services
from millnet.web.models import (
    CaseDetail,
    CaseInfo,
    JobInfo,
    ScenarioForm,
    SolveRequest,
    SweepRequest,
    UploadAnswer,
)
from millnet.web.services import cases as case_service
from millnet.web.services import jobs as job_service
from millnet.web.services import runs as run_service
from millnet.web.services import scenarios as scenario_service

router = APIRouter(prefix="/api", tags=["api"])
App = Annotated[Services, Depends(services)]
Id = Annotated[str, Query(min_length=1, max_length=80)]


@router.get("/cases", summary="Cases: shipped examples, reference cases and uploads")
def list_cases(app: App) -> list[CaseInfo]:
    return [CaseInfo(**e.to_json()) for e in app.workspace.cases()]


@router.post(
    "/cases",
    status_code=201,
    summary="Upload a case (zip of a case folder, or an .xlsx workbook)",
    responses={
        400: {"description": "Not a case, a bad archive, or a refused member"},
        413: {"description": "Too large (upload, uncompressed size, rows, members)"},
        422: {"description": "The case has errors; `issues` lists file, row and column"},
    },
)
def upload_case(app: App, file: Annotated[UploadFile, File()]) -> UploadAnswer:
    entry, report = case_service.upload_case(app.workspace, app.settings, file.file, file.filename)
    return UploadAnswer(case=CaseInfo(**entry.to_json()), issues=report.to_json())


@router.get("/cases/{case_id}", summary="A case's overview: plants, demand, metal prices")
def get_case(app: App, case_id: str) -> CaseDetail:
    entry = app.workspace.case_entry(case_id)
    case = app.workspace.read(case_id)
    return CaseDetail(
        case=CaseInfo(**entry.to_json()),
        overview=case_service.overview(case),
        choices=case_service.choices(case),
    )


@router.get("/cases/{case_id}/issues", summary="Validation issues of a case")
def case_issues(app: App, case_id: str) -> list[dict[str, Any]]:
    return validate(app.workspace.read(case_id)).to_json()


@router.delete("/cases/{case_id}", status_code=204, summary="Delete an uploaded case")
def delete_case(app: App, case_id: str) -> None:
    app.workspace.delete_case(case_id)


@router.get("/cases/{case_id}/scenarios", summary="Scenario files of a case (shipped and saved)")
def list_scenarios(app: App, case_id: str) -> list[dict[str, Any]]:
    return scenario_service.listing(app.workspace, case_id)


@router.get(
    "/cases/{case_id}/scenarios/{name}",
    summary="A scenario file as YAML",
    response_class=PlainTextResponse,
)
def get_scenario(app: App, case_id: str, name: str) -> str:
    return app.workspace.scenario_path(case_id, name).read_text(encoding="utf-8")


@router.post(
    "/cases/{case_id}/scenarios",
    status_code=201,
    summary="Save a scenario from the editor's fields (validated against the case)",
)
def save_scenario(app: App, case_id: str, form: ScenarioForm) -> dict[str, Any]:
    return scenario_service.save(app.workspace, case_id, form)


@router.post("/cases/{case_id}/solve", status_code=202, summary="Queue a solve of a case")
def solve(app: App, case_id: str, request: SolveRequest) -> JobInfo:
    return JobInfo(**job_service.submit_solve(app, case_id, request).to_json())


@router.get("/cases/{case_id}/sweeps", summary="Sweep files shipped with a case")
def list_sweeps(app: App, case_id: str) -> list[str]:
    return sorted(app.workspace.sweep_files(case_id))


@router.post("/cases/{case_id}/sweep", status_code=202, summary="Queue a sweep of a case")
def sweep(app: App, case_id: str, request: SweepRequest) -> JobInfo:
    return JobInfo(**job_service.submit_sweep(app, case_id, request).to_json())


@router.get("/jobs", summary="Jobs, newest first")
def list_jobs(app: App, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[JobInfo]:
    return [JobInfo(**j.to_json()) for j in app.jobs.list(limit=limit)]


@router.get("/jobs/{job_id}", summary="A job: state, progress, run ids, failure in words")
def get_job(app: App, job_id: str) -> JobInfo:
    return JobInfo(**app.jobs.get(job_id).to_json())


@router.post("/jobs/{job_id}/cancel", summary="Cancel a job that has not started")
def cancel_job(app: App, job_id: str) -> JobInfo:
    app.jobs.get(job_id)
    return JobInfo(**app.runner.cancel(job_id).to_json())


@router.get("/runs", summary="Runs in the store, newest first")
def list_runs(
    app: App,
    case: Annotated[str | None, Query(max_length=200)] = None,
    scenario: Annotated[str | None, Query(max_length=200)] = None,
    sweep: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 200,
) -> list[dict[str, Any]]:
    return run_service.listing(app, case=case, scenario=scenario, sweep=sweep, limit=limit)


@router.get("/runs/{run_id}", summary="A run: outcome, decisions, costs, KPIs, the story")
def get_run(app: App, run_id: str) -> dict[str, Any]:
    return run_service.summary(app, run_id)


@router.get("/runs/{run_id}/tables/{table}", summary="One result table of a run")
def run_table(
    app: App,
    run_id: str,
    table: str,
    limit: Annotated[int, Query(ge=1, le=100000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    return run_service.table(app, run_id, table, limit=limit, offset=offset)


@router.delete("/runs/{run_id}", status_code=204, summary="Delete a run from the store")
def delete_run(app: App, run_id: str) -> None:
    run_service.delete(app, run_id)


@router.get("/compare", summary="Compare two runs: decisions and KPIs, A against B")
def compare(app: App, a: Id, b: Id) -> dict[str, Any]:
    return run_service.compare(app, a, b)


@router.get("/sweeps/{sweep}", summary="How often each plant-state decision holds in a sweep")
def sweep_summary(app: App, sweep: str) -> dict[str, Any]:
    return run_service.sweep_summary(app, sweep)
