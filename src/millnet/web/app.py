"""The app factory: settings in, a FastAPI app out (routes → jobs → services → public API)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

import millnet
from millnet.web import errors
from millnet.web.jobs import JobBook, JobRunner
from millnet.web.security import Guard
from millnet.web.settings import WebSettings
from millnet.web.workspace import Workspace

STATIC = Path(str(resources.files("millnet.web") / "static"))
REPORT_ASSETS = Path(str(resources.files("millnet.report") / "assets"))

DOCS_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>millnet API</title><link rel="icon" href="/static/vendor/swagger-ui/favicon-32x32.png">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css"></head><body>
<div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>"""


@dataclass(frozen=True)
class Services:
    """Everything a route needs, made once per app."""

    settings: WebSettings
    workspace: Workspace
    jobs: JobBook
    runner: JobRunner


def services(request: Request) -> Services:
    return request.app.state.services


def create_app(settings: WebSettings) -> FastAPI:
    """The web app for ``settings`` (checked: a non-loopback host needs a token)."""
    settings.check()
    workspace = Workspace(settings.workspace)
    book = JobBook(workspace.jobs_dir)
    runner = JobRunner(book, solve_workers=settings.solve_workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        book.recover()
        try:
            yield
        finally:
            runner.shutdown()

    app = FastAPI(
        title="millnet",
        version=millnet.__version__,
        description=(
            "Plan a manufacturing network: upload cases, edit scenarios, run solves and sweeps "
            "as background jobs, read and compare runs. Every page action of the web app has an "
            'endpoint here. User mistakes answer 4xx with `{"detail": message}` naming the '
            "file, row and column where there is one."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = Services(settings, workspace, book, runner)
    errors.install(app)
    app.add_middleware(Guard, settings=settings)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if REPORT_ASSETS.is_dir():
        app.mount("/assets", StaticFiles(directory=REPORT_ASSETS), name="assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    from millnet.web.routes import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    return app
