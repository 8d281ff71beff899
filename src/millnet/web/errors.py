"""User mistakes become 4xx answers carrying the CLI's message: JSON ``{"detail": message}`` for
the API, a small HTML fragment for the app's own pages (htmx requests)."""

from __future__ import annotations

import logging
from html import escape

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from millnet.errors import CaseError, MillnetError, UsageError, ValidationError
from millnet.store.errors import AmbiguousRunError, UnknownRunError
from millnet.web.uploads import UploadError
from millnet.web.workspace import NotFoundError

log = logging.getLogger("millnet.web")


def status_of(exc: MillnetError) -> int:
    if isinstance(exc, NotFoundError | UnknownRunError):
        return 404
    if isinstance(exc, AmbiguousRunError):
        return 400
    if isinstance(exc, UploadError):
        return 413 if exc.too_large else 400
    if isinstance(exc, ValidationError):
        return 422
    if isinstance(exc, CaseError | UsageError):
        return 400
    return 422


def _issues(exc: MillnetError) -> list[dict[str, object]]:
    report = getattr(exc, "report", None)
    to_json = getattr(report, "to_json", None)
    return list(to_json()) if callable(to_json) else []


def wants_html(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def error_fragment(message: str, issues: list[dict[str, object]] | None = None) -> str:
    lines = "<br>".join(escape(line) for line in message.splitlines()[:1])
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape('' if i.get(k) is None else str(i.get(k)))}</td>"
            for k in ("severity", "file", "row", "column", "message")
        )
        + "</tr>"
        for i in (issues or [])
    )
    table = (
        '<table class="data issues"><thead><tr><th>severity</th><th>file</th><th>row</th>'
        f"<th>column</th><th>message</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else ""
    )
    return f'<div class="alert error" role="alert"><strong>Error:</strong> {lines}</div>{table}'


def _answer(request: Request, status: int, message: str, issues: list | None = None) -> Response:
    if wants_html(request):
        return HTMLResponse(error_fragment(message, issues), status_code=status)
    body: dict[str, object] = {"detail": message}
    if issues:
        body["issues"] = issues
    return JSONResponse(body, status_code=status)


def _field(loc: tuple | list) -> str:
    parts = [str(p) for p in loc]
    where = {"query": "query parameter", "path": "path parameter", "body": "form field"}
    if parts and parts[0] in where:
        rest = ".".join(parts[1:])
        return f"{where[parts[0]]} '{rest}'" if rest else "request body"
    return ".".join(parts) or "request"


def install(app: FastAPI) -> None:
    @app.exception_handler(MillnetError)
    async def millnet_error(request: Request, exc: MillnetError) -> Response:
        return _answer(request, status_of(exc), exc.message, _issues(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        messages = []
        for error in exc.errors()[:5]:
            messages.append(f"{_field(error.get('loc', ()))}: {error.get('msg', 'invalid')}")
        return _answer(request, 422, "; ".join(messages) or "invalid request")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        response = _answer(request, exc.status_code, detail)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return _answer(
            request,
            500,
            f"internal error ({type(exc).__name__}); this is a bug in millnet, not in your input",
        )
