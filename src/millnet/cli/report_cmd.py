"""``millnet report``: a solved plan as an offline HTML report and an Excel workbook."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from millnet.cli._common import console, err_console, print_json
from millnet.errors import MillnetError, UsageError

if TYPE_CHECKING:
    from millnet.results.results import Results


def _store_in_use(store: str | None) -> bool:
    """Whether a store is meant: named by --store or $MILLNET_STORE, or the default one exists.
    A mistyped folder should not create an empty default store as a side effect."""
    from millnet.store.engine import DEFAULT_PATH, ENV_VAR

    return bool(store or os.environ.get(ENV_VAR)) or (Path.cwd() / DEFAULT_PATH).exists()


def load_run(ref: str, store: str | None = None) -> Results:
    """The Results named by ``ref``: a results folder (``millnet solve --out``), else a run id
    or unique start of one in the run store.

    A folder that exists but holds no results is a user error (exit 1); a name that is neither
    an existing path nor a stored run is a path that does not exist (exit 2).
    """
    from millnet.results.io import NotResultsError, read_results

    path = Path(ref)
    if path.exists():
        try:
            return read_results(path)
        except NotResultsError as exc:
            raise MillnetError(exc.message) from None
    from millnet.store.ids import is_id_prefix

    if not is_id_prefix(ref) or not _store_in_use(store):
        raise UsageError(
            f"{ref}: no such results folder (write one with `millnet solve CASE --out DIR`)"
        )
    from millnet.store import Store, UnknownRunError

    target = Store(store)
    try:
        return target.load(ref)
    except UnknownRunError:
        raise UsageError(
            f"{ref}: no such results folder, and no run with this id in store {target.display}"
        ) from None


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def report(
    run: Annotated[
        str,
        typer.Argument(
            help="A results folder (millnet solve --out DIR), or a run id or unique start of "
            "one in the run store.",
            show_default=False,
        ),
    ],
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write the offline HTML report here.", show_default=False),
    ] = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx", help="Write every result table to this workbook.", show_default=False
        ),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Store URL or SQLite file to find RUN in; default: $MILLNET_STORE, else "
            ".millnet/runs.db here.",
            show_default=False,
        ),
    ] = None,
    top_flows: Annotated[
        int,
        typer.Option("--top-flows", min=1, help="Largest flows drawn on the map per period."),
    ] = 250,
    json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document on stdout.")
    ] = False,
) -> None:
    """Report a solved plan: one self-contained HTML file (decisions in words, map, timeline,
    utilisation, cost bridge, customer moves, unmet demand, metal exposure) that works offline,
    and an Excel workbook with every result table.

    Example: [bold]millnet report out/iwg --html out/iwg/report.html --xlsx out/iwg/plan.xlsx[/]
    """
    if html is None and xlsx is None:
        raise UsageError("nothing to write: give --html FILE, --xlsx FILE or both")
    for option, path in (("--html", html), ("--xlsx", xlsx)):
        if path is not None and path.is_dir():
            raise UsageError(f"{option} {path}: is a folder; expected a file name")
    if xlsx is not None and xlsx.suffix.lower() != ".xlsx":
        raise UsageError(f"--xlsx {xlsx}: a workbook needs the .xlsx extension")
    results = load_run(run, store)
    document: dict[str, object] = {"run": run, "case": results.case_name}
    if html is not None:
        from millnet.report.html import write_html

        start = time.perf_counter()
        write_html(results, html, top_flows=top_flows)
        document["html"] = {
            "path": str(html),
            "bytes": html.stat().st_size,
            "seconds": round(time.perf_counter() - start, 3),
        }
    if xlsx is not None:
        from millnet.report.workbook import write_workbook

        start = time.perf_counter()
        write_workbook(results, xlsx)
        document["xlsx"] = {
            "path": str(xlsx),
            "bytes": xlsx.stat().st_size,
            "seconds": round(time.perf_counter() - start, 3),
        }
    if json:
        print_json(document)
        return
    if not results.tables:
        err_console.print("[yellow]the run has no plan; the report says why[/]")
    for key in ("html", "xlsx"):
        written = document.get(key)
        if isinstance(written, dict):
            console.print(
                f"wrote {escape(str(written['path']))} ({_size(int(written['bytes']))}, "
                f"{written['seconds']:.1f} s)",
                soft_wrap=True,
            )
