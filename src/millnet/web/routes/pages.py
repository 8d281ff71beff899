"""HTML pages and the htmx fragments their forms post to. Each action calls the same service
as its JSON endpoint in :mod:`millnet.web.routes.api`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError as PydanticError

from millnet.errors import UsageError
from millnet.validate import validate
from millnet.web.app import Services, services
from millnet.web.models import ScenarioForm, SolveRequest, SweepRequest
from millnet.web.services import cases as case_service
from millnet.web.services import jobs as job_service
from millnet.web.services import runs as run_service
from millnet.web.services import scenarios as scenario_service
from millnet.web.templating import page

router = APIRouter(include_in_schema=False)
App = Annotated[Services, Depends(services)]

#: Rows the scenario editor offers for each kind of change.
EDITOR_ROWS = {"demand": 4, "metal": 2, "force": 4}


def form_error(exc: PydanticError) -> UsageError:
    """A form's validation error in words (field and problem), as the API gives it."""
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"{where or 'form'}: {error.get('msg', 'invalid')}")
    return UsageError("; ".join(parts))


@router.get("/", response_class=HTMLResponse)
def index(request: Request, app: App) -> Response:
    return page(
        request,
        "cases.html",
        cases=app.workspace.cases(),
        max_mb=app.settings.max_upload_bytes // 2**20,
    )


@router.post("/cases/upload", response_class=HTMLResponse)
def upload(request: Request, app: App, file: Annotated[UploadFile, File()]) -> Response:
    entry, report = case_service.upload_case(app.workspace, app.settings, file.file, file.filename)
    return page(request, "upload_result.html", case=entry, issues=report.to_json())


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, app: App, case_id: str) -> Response:
    entry = app.workspace.case_entry(case_id)
    case = app.workspace.read(case_id)
    ov = case_service.overview(case)
    states = [p["initial_state"] for p in ov["plant_list"]]
    return page(
        request,
        "case.html",
        nav="case",
        entry=entry,
        ov=ov,
        running=states.count("running"),
        idle=states.count("idle"),
        closed=states.count("closed"),
        scenarios=scenario_service.listing(app.workspace, case_id),
        sweeps=sorted(app.workspace.sweep_files(case_id)),
        jobs=app.jobs.list(limit=8, case_id=case_id),
        issues=validate(case).to_json(),
    )


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}


@router.post("/cases/{case_id}/solve", response_class=HTMLResponse)
async def solve(request: Request, app: App, case_id: str) -> Response:
    fields = await _form(request)
    try:
        solve_request = SolveRequest(
            scenario=fields.get("scenario") or None,
            objective=fields.get("objective") or "cost",
            time_limit=float(fields.get("time_limit") or 300),
            single_source=fields.get("single_source") or "off",
            forbid_closures=fields.get("forbid_closures") == "true",
        )
    except PydanticError as exc:
        raise form_error(exc) from None
    except ValueError as exc:
        raise UsageError(f"time_limit: expected a number of seconds ({exc})") from None
    job = job_service.submit_solve(app, case_id, solve_request)
    return page(request, "job_panel.html", job=job)


@router.post("/cases/{case_id}/sweep", response_class=HTMLResponse)
async def sweep(request: Request, app: App, case_id: str) -> Response:
    fields = await _form(request)
    try:
        sweep_request = SweepRequest(
            sweep=fields.get("sweep", ""), workers=int(fields.get("workers") or 2)
        )
    except PydanticError as exc:
        raise form_error(exc) from None
    except ValueError as exc:
        raise UsageError(f"workers: expected a whole number ({exc})") from None
    job = job_service.submit_sweep(app, case_id, sweep_request)
    return page(request, "job_panel.html", job=job)


@router.get("/cases/{case_id}/scenario", response_class=HTMLResponse)
def scenario_editor(request: Request, app: App, case_id: str) -> Response:
    entry = app.workspace.case_entry(case_id)
    case = app.workspace.read(case_id)
    return page(
        request,
        "scenario.html",
        nav="scenario",
        entry=entry,
        choices=case_service.choices(case),
        rows=EDITOR_ROWS,
        scenarios=scenario_service.listing(app.workspace, case_id),
    )


def editor_form(fields: list[tuple[str, str]]) -> ScenarioForm:
    """The editor's flat form fields (``demand-0-segment`` …) as a :class:`ScenarioForm`;
    rows left blank are skipped."""
    values: dict[str, list[str]] = {}
    for key, value in fields:
        values.setdefault(key, []).append(value)

    def one(key: str) -> str:
        return (values.get(key) or [""])[0].strip()

    demand, metal, force = [], [], []
    for i in range(EDITOR_ROWS["demand"]):
        if one(f"demand-{i}-segment") and one(f"demand-{i}-change"):
            demand.append(
                {
                    "segment": one(f"demand-{i}-segment"),
                    "change_pct": one(f"demand-{i}-change"),
                    "periods": [p for p in values.get(f"demand-{i}-periods", []) if p],
                }
            )
    for i in range(EDITOR_ROWS["metal"]):
        if one(f"metal-{i}-metal") and one(f"metal-{i}-factor"):
            metal.append(
                {
                    "metal": one(f"metal-{i}-metal"),
                    "factor": one(f"metal-{i}-factor"),
                    "from_period": one(f"metal-{i}-from") or None,
                }
            )
    for i in range(EDITOR_ROWS["force"]):
        if one(f"force-{i}-plant") and one(f"force-{i}-state"):
            force.append(
                {
                    "plant": one(f"force-{i}-plant"),
                    "state": one(f"force-{i}-state"),
                    "periods": [p for p in values.get(f"force-{i}-periods", []) if p],
                }
            )
    options: dict[str, Any] = {}
    for key in ("objective", "single_source"):
        if one(f"option-{key}"):
            options[key] = one(f"option-{key}")
    if one("option-forbid_closures"):
        options["forbid_closures"] = one("option-forbid_closures") == "true"
    for key in ("max_idle", "max_closed"):
        if one(f"option-{key}"):
            options[key] = one(f"option-{key}")
    try:
        return ScenarioForm.model_validate(
            {
                "name": one("name"),
                "description": one("description"),
                "demand": demand,
                "metal": metal,
                "force": force,
                "options": options,
            }
        )
    except PydanticError as exc:
        raise form_error(exc) from None


@router.post("/cases/{case_id}/scenario", response_class=HTMLResponse)
async def save_scenario(request: Request, app: App, case_id: str) -> Response:
    form = await request.form()
    fields = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    saved = scenario_service.save(app.workspace, case_id, editor_form(fields))
    return page(request, "scenario_saved.html", case_id=case_id, saved=saved)


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, app: App) -> Response:
    return page(request, "jobs.html", jobs=app.jobs.list(limit=200))


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, app: App, job_id: str) -> Response:
    return page(request, "job.html", nav="job", job=app.jobs.get(job_id))


@router.get("/jobs/{job_id}/panel", response_class=HTMLResponse)
def job_panel(request: Request, app: App, job_id: str) -> Response:
    return page(request, "job_panel.html", job=app.jobs.get(job_id))


@router.post("/jobs/{job_id}/cancel", response_class=HTMLResponse)
def cancel(request: Request, app: App, job_id: str) -> Response:
    return page(request, "job_panel.html", job=app.runner.cancel(job_id))


@router.get("/runs", response_class=HTMLResponse)
def runs_page(
    request: Request,
    app: App,
    case: Annotated[str | None, Query(max_length=200)] = None,
    sweep: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    runs = run_service.listing(app, case=case or None, sweep=sweep or None, limit=500)
    return page(request, "runs.html", runs=runs, case=case, sweep=sweep)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, app: App, run_id: str) -> Response:
    return page(request, "run.html", nav="run", **run_service.dashboard(app, run_id))


@router.get("/runs/{run_id}/report", response_class=HTMLResponse)
def run_report(app: App, run_id: str) -> Response:
    """The self-contained report of a run (the same file ``millnet report`` writes)."""
    from millnet.report.html import render_html

    html = render_html(run_service.load(app, run_id))
    # The report inlines its scripts: sandboxed, so they run but cannot use this origin.
    return HTMLResponse(
        html,
        headers={
            "content-security-policy": "sandbox allow-scripts allow-popups; default-src 'none'; "
            "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:",
            "content-disposition": f'inline; filename="report-{run_id}.html"',
        },
    )


@router.post("/runs/{run_id}/delete", response_class=HTMLResponse)
def delete_run(app: App, run_id: str) -> Response:
    run_service.delete(app, run_id)
    return Response(status_code=200, headers={"HX-Redirect": "/runs"})


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    app: App,
    a: Annotated[str | None, Query(max_length=80)] = None,
    b: Annotated[str | None, Query(max_length=80)] = None,
) -> Response:
    runs = run_service.listing(app, limit=500)
    comparison = run_service.compare_view(app, a, b) if a and b else None
    return page(request, "compare.html", runs=runs, a=a, b=b, comparison=comparison)


@router.get("/sweeps", response_class=HTMLResponse)
def sweeps_page(request: Request, app: App) -> Response:
    return page(request, "sweeps.html", sweeps=run_service.sweeps(app))


@router.get("/sweeps/{name}", response_class=HTMLResponse)
def sweep_page(request: Request, app: App, name: str) -> Response:
    return page(request, "sweep.html", nav="sweep", **run_service.sweep_view(app, name))


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg")
