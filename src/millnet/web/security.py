"""Request guards of the web app, as one ASGI middleware in front of every route.

In order: the Host header must name this server (a page of another site that makes its own
name resolve to 127.0.0.1 — DNS rebinding — is refused); with a token, every request must carry
it; a state-changing request must come from the app's own pages (same origin, by the
``Sec-Fetch-Site`` and ``Origin`` headers browsers attach to every such request, as Go's
CrossOriginProtection does); and request bodies are cut off at the upload limit, counted as they
arrive because ``Content-Length`` may be absent or false.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.exceptions import HTTPException

from millnet.web.settings import WebSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "millnet_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Scripts only from the app itself; data for charts travels in JSON script blocks.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", CSP.encode()),
]

TOKEN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>millnet: token needed</title><link rel="stylesheet" href="/static/app.css"></head>
<body class="token-page"><main class="narrow"><h1>millnet</h1>
<p>This server needs its access token. Ask whoever started <code>millnet serve</code> for it.</p>
<form method="get" action="/"><label>Token <input type="password" name="token"
autocomplete="off" autofocus></label> <button type="submit">Open</button></form>
<p class="muted">{reason}</p></main></body></html>"""


class BodyTooLarge(HTTPException):
    """Raised from inside the app's body reading, so the app's own handlers answer 413."""

    def __init__(self, detail: str) -> None:
        super().__init__(413, detail)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


async def _respond(
    send: Send, status: int, detail: str, *, html: str | None = None, extra: list | None = None
) -> None:
    if html is not None:
        body, kind = html.encode(), b"text/html; charset=utf-8"
    else:
        body, kind = json.dumps({"detail": detail}).encode(), b"application/json"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send(
        {"type": "http.response.start", "status": status, "headers": headers + (extra or [])}
    )
    await send({"type": "http.response.body", "body": body})


def _cookie_token(headers: dict[str, str]) -> str | None:
    for part in headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == COOKIE:
            return value
    return None


def _bearer(headers: dict[str, str]) -> str | None:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def same_origin(headers: dict[str, str], scheme: str) -> tuple[bool, str]:
    """Whether a state-changing request comes from this app's own pages, and why not."""
    host = headers.get("host", "").lower()
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False, f"a {site} request (Sec-Fetch-Site) may not change anything here"
    origin = headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        if origin == "null" or parts.netloc.lower() != host:
            return False, f"request from origin {origin!r}, not from this server ({host})"
        return True, ""
    referer = headers.get("referer")
    if referer is not None and urlsplit(referer).netloc.lower() != host:
        return False, "request from another site (Referer); only this server's pages may post"
    # No browser marks: a script or command-line client, which holds no ambient credentials.
    return True, ""


class Guard:
    """The middleware; see the module docstring for what it checks and why."""

    def __init__(self, app: ASGIApp, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        settings = self.settings
        if not settings.host_allowed(headers.get("host", "")):
            await _respond(
                send,
                400,
                f"host {headers.get('host', '')!r} is not this server; open it as "
                f"http://{settings.host}:{settings.port}/",
            )
            return
        if settings.token and not await self._authorised(scope, headers, send):
            return
        method = scope["method"].upper()
        if method in UNSAFE_METHODS:
            ok, reason = same_origin(headers, scope.get("scheme", "http"))
            if not ok:
                await _respond(send, 403, f"cross-site request refused: {reason}")
                return
        limit = settings.max_upload_bytes + 2**20  # room for the multipart framing
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _respond(send, 413, _too_large(settings))
            return
        await self._forward(scope, receive, send, limit)

    async def _authorised(self, scope: Scope, headers: dict[str, str], send: Send) -> bool:
        token = self.settings.token or ""
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        offered = query.get("token", [None])[0]
        if scope["path"] == "/" and offered is not None:
            if hmac.compare_digest(offered.encode(), token.encode()):
                cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
                await send(
                    {
                        "type": "http.response.start",
                        "status": 303,
                        "headers": [
                            (b"location", b"/"),
                            (b"set-cookie", cookie.encode()),
                            (b"content-length", b"0"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return False
            await self._refuse(send, headers, "wrong token")
            return False
        for candidate in (_bearer(headers), _cookie_token(headers)):
            if candidate and hmac.compare_digest(candidate.encode(), token.encode()):
                return True
        await self._refuse(send, headers, "this server needs a token")
        return False

    async def _refuse(self, send: Send, headers: dict[str, str], reason: str) -> None:
        detail = f"{reason}: send 'Authorization: Bearer TOKEN', or open /?token=TOKEN in a browser"
        if "text/html" in headers.get("accept", ""):
            await _respond(send, 401, detail, html=TOKEN_PAGE.format(reason=reason))
        else:
            await _respond(send, 401, detail, extra=[(b"www-authenticate", b"Bearer")])

    async def _forward(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(_too_large(self.settings))
            return message

        async def secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, counted, secured)
        except BodyTooLarge:
            if not started:
                await _respond(send, 413, _too_large(self.settings))


def _too_large(settings: WebSettings) -> str:
    return (
        f"request body larger than {settings.max_upload_bytes / 2**20:,.0f} MB; uploads are "
        "limited to that size"
    )
