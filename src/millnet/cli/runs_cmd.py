"""``millnet runs``: the run store — list, show, export and delete saved runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.markup import escape

from millnet.cli._common import console, err_console, print_json
from millnet.errors import UsageError

if TYPE_CHECKING:
    from millnet.results.results import Results
    from millnet.store import RunInfo, Store

runs_app = typer.Typer(
    name="runs",
    help="The run store: every `millnet solve` is saved there; list, show, export and delete "
    "runs. RUN is a run id or a unique start of one.\n\n"
    "Example: [bold]millnet runs list --limit 5[/]",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store URL (sqlite:///runs.db, postgresql+psycopg://user@host/db) or a SQLite "
        "file; default: $MILLNET_STORE, else .millnet/runs.db here.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
RunArgument = Annotated[
    str, typer.Argument(help="A run id or a unique start of one.", show_default=False)
]
StatusName = Literal["optimal", "feasible", "infeasible", "timeout", "error"]


def _store(url: str | None) -> Store:
    from millnet.store import Store

    return Store(url)


def _moment(option: str, text: str | None) -> date | datetime | None:
    from millnet.store import StoreError, parse_moment

    if text is None:
        return None
    try:
        return parse_moment(text)
    except StoreError as exc:
        raise UsageError(f"{option}: {exc.message}") from None


def _number(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _gap(value: float | None) -> str:
    return "—" if value is None else f"{value:.2%}"


def _created(info: RunInfo, *, seconds: bool = True) -> str:
    return info.created_at.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


@runs_app.command("list")
def list_runs(
    store: StoreOption = None,
    case: Annotated[
        str | None, typer.Option("--case", help="Case name or fingerprint.", show_default=False)
    ] = None,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="Scenario name.", show_default=False)
    ] = None,
    sweep: Annotated[
        str | None, typer.Option("--sweep", help="Sweep name.", show_default=False)
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Saved on or after: YYYY-MM-DD or an ISO time (UTC).",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="Saved on or before: YYYY-MM-DD (the whole day) or an ISO time (UTC).",
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        StatusName | None,
        typer.Option("--status", help="optimal, feasible, infeasible, timeout or error."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=0, help="Only the N newest runs.", show_default=False),
    ] = None,
    json: JsonOption = False,
) -> None:
    """List saved runs, newest first (all that match unless --limit).

    Example: [bold]millnet runs list --case iwg2009 --since 2025-03-01 --status optimal[/]
    """
    with _store(store) as run_store:
        runs = run_store.list(
            case=case,
            scenario=scenario,
            sweep=sweep,
            since=_moment("--since", since),
            until=_moment("--until", until),
            status=status,
            limit=limit,
        )
    if json:
        print_json([info.to_json() for info in runs])
        return
    if not runs:
        where = escape(run_store.display)
        if not run_store.exists():
            err_console.print(f"[yellow]warning:[/] no store at {where} yet", soft_wrap=True)
        console.print(f"no runs match in {where}", soft_wrap=True)
        return
    # scenario and sweep columns only when some run has one: room for the rest on 80 columns
    columns: list[tuple[str, Callable[[RunInfo], str]]] = [
        ("id", lambda r: r.id),
        ("saved (UTC)", lambda r: _created(r, seconds=False)),
        ("case", lambda r: r.case),
    ]
    if any(r.scenario for r in runs):
        columns.append(("scenario", lambda r: r.scenario or "—"))
    if any(r.sweep for r in runs):
        columns.append(("sweep", lambda r: r.sweep or "—"))
    columns += [
        ("status", lambda r: r.status),
        ("objective", lambda r: _number(r.objective)),
        ("gap", lambda r: _gap(r.gap)),
    ]
    # plain aligned columns, never cut short or wrapped: ids stay whole and lines greppable
    right = {"objective", "gap"}
    cells = [[name for name, _ in columns]]
    cells += [[cell(info) for _, cell in columns] for info in runs]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    for row in cells:
        parts = [
            text.rjust(width) if name in right else text.ljust(width)
            for (name, _), text, width in zip(columns, row, widths, strict=True)
        ]
        console.print("  ".join(parts).rstrip(), markup=False, soft_wrap=True)
    err_console.print(f"{len(runs)} run(s) in {escape(run_store.display)}", soft_wrap=True)


def _options_changed(options: dict[str, Any]) -> dict[str, Any]:
    """The options that differ from their defaults: what makes this run unlike a plain solve."""
    from millnet.model.options import ModelOptions
    from millnet.solve.options import SolveOptions

    defaults = {**ModelOptions().model_dump(), **SolveOptions().model_dump()}
    changed = {}
    for key, value in options.items():
        default = defaults.get(key)
        if isinstance(default, tuple):
            default = [list(v) if isinstance(v, tuple) else v for v in default]
        if isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        if key not in defaults or value != default:
            changed[key] = value
    return changed


def _show_document(info: RunInfo, results: Results) -> dict[str, Any]:
    from millnet.cli.solve_cmd import results_json

    return {
        "id": info.id,
        "created_at": info.created_at.isoformat(),
        "scenario": info.scenario,
        "sweep": info.sweep,
        "run_key": info.run_key,
        "millnet_version": info.millnet_version,
        **results_json(results),
    }


@runs_app.command("show")
def show(run: RunArgument, store: StoreOption = None, json: JsonOption = False) -> None:
    """Show a run: what was solved, how it ended, plant states, decisions and costs by term.

    Example: [bold]millnet runs show 1m885nvb[/]
    """
    from millnet.cli.solve_cmd import render

    with _store(store) as run_store:
        info = run_store.info(run)
        results = run_store.load(info.id)
    if json:
        print_json(_show_document(info, results))
        return
    console.print(f"[bold]run {info.id}[/] saved {_created(info)} UTC")
    console.print(f"store {escape(run_store.display)}", soft_wrap=True)
    console.print(f"case {escape(info.case)} ({info.case_fingerprint[:12]})")
    if info.scenario or info.sweep:
        console.print(f"scenario {escape(info.scenario or '—')}; sweep {escape(info.sweep or '—')}")
    changed = _options_changed(dict(results.options))
    options = ", ".join(f"{k}={v}" for k, v in changed.items()) or "defaults"
    console.print(f"options: {escape(options)}")
    total = results.timings.get("total_s")
    console.print(
        f"solver {escape(info.solver)}; "
        f"{'—' if total is None else f'{total:.1f} s'} in total; millnet {info.millnet_version}"
    )
    if results.tables:
        render(results)
        return
    outcome = results.outcome
    console.print(f"[yellow]{outcome.status.value}[/] ({escape(outcome.termination)}): no plan")
    for line in results.explanation:
        console.print(f"  {escape(line)}")


@runs_app.command("export")
def export(
    run: RunArgument,
    out: Annotated[
        Path, typer.Argument(help="Folder to write (created if needed).", show_default=False)
    ],
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Write a run as a results folder, the same as [bold]millnet solve --out[/] writes.

    It holds every table as Parquet, meta.json (what was solved, how it ended) and results.json.

    [bold]millnet report[/] and [bold]millnet compare[/] read such a folder.

    Example: [bold]millnet runs export 1m885nvb out/run-1m885nvb[/]
    """
    from millnet.cli.solve_cmd import results_json, write_json
    from millnet.results.io import write_results

    with _store(store) as run_store:
        results = run_store.load(run)
    write_results(results, out)
    write_json(out / "results.json", results_json(results))
    if json:
        print_json({"id": results.run_id, "out": str(out)})
    else:
        console.print(f"wrote run {results.run_id} to {escape(str(out))}")


@runs_app.command("delete")
def delete(
    runs: Annotated[
        list[str],
        typer.Argument(help="Run ids or unique starts of them.", show_default=False),
    ],
    store: StoreOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    json: JsonOption = False,
) -> None:
    """Delete runs from the store (asks first unless --yes). One unknown id deletes nothing.

    Example: [bold]millnet runs delete 1m885nvb 1m886a2q --yes[/]
    """
    with _store(store) as run_store:
        # every name is resolved before asking, so a typo is reported before anything else
        infos = list({i.id: i for i in (run_store.info(ref) for ref in runs)}.values())
        if not yes:
            for info in infos:
                err_console.print(
                    f"  {info.id}  {_created(info)}  {escape(info.case)}  "
                    f"{escape(info.scenario or '—')}  {info.status}"
                )
            if not typer.confirm(f"Delete {len(infos)} run(s)?", default=False, err=True):
                err_console.print("nothing deleted")
                raise typer.Exit(1)
        deleted = run_store.delete([info.id for info in infos])
    if json:
        print_json({"deleted": deleted})
    else:
        console.print(f"deleted {len(deleted)} run(s): {', '.join(deleted)}")
