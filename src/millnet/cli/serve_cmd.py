"""``millnet serve``: the web app on this machine (or, with a token, for others)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from millnet.cli._common import err_console


def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; other than loopback needs --token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    store: Annotated[
        str | None,
        typer.Option("--store", help="Run store URL (default: runs.db in the workspace)."),
    ] = None,
    workspace: Annotated[
        Path,
        typer.Option("--workspace", help="Folder for uploaded cases, scenarios, jobs and runs."),
    ] = Path(".millnet/web"),
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="Every request must carry it (Authorization: Bearer, or open /?token=…); "
            "default: $MILLNET_TOKEN.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the web app: cases, scenarios, solves and sweeps as jobs, runs, comparisons.

    Example: [bold]millnet serve --port 8000 --workspace ~/millnet-work[/]
    """
    import uvicorn

    from millnet.web import WebSettings, create_app
    from millnet.web.settings import token_from_env

    settings = WebSettings(
        workspace=workspace,
        host=host,
        port=port,
        store_url=store,
        token=token_from_env(token),
    ).check()
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    err_console.print(
        f"millnet serving on http://{shown}:{port}/ (workspace {settings.workspace}; "
        f"{'token required' if settings.token else 'loopback only'}); Ctrl-C stops it"
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
