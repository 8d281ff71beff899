"""``millnet sweep``, ``millnet compare`` and ``millnet sweep-summary``: many scenarios solved on
Dask and saved as they finish; two plans side by side; what a sweep's runs say together."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from millnet.cli._common import console, err_console, print_json
from millnet.errors import UsageError

if TYPE_CHECKING:
    import polars as pl

    from millnet.distributed import Done, SweepReport
    from millnet.results.collection import SweepSummary
    from millnet.results.compare import Comparison
    from millnet.results.results import Results
    from millnet.store import Store

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
#: Exit code of a sweep stopped with Ctrl-C (the shell's 128 + SIGINT).
INTERRUPTED = 130
#: Rows of a long difference table shown on screen (--json has them all).
SHOWN_ROWS = 25


def _store(url: str | None) -> Store:
    from millnet.store import Store

    return Store(url)


# --- sweep ---------------------------------------------------------------------------------


def sweep(
    case: Annotated[Path, typer.Argument(help="A case folder or workbook.", show_default=False)],
    sweep_file: Annotated[
        Path, typer.Argument(metavar="SWEEP", help="The sweep YAML file.", show_default=False)
    ],
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes of the local cluster.")
    ] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Address of a running Dask scheduler (tcp://host:8786) instead of a local "
            "cluster.",
            show_default=False,
        ),
    ] = None,
    store: StoreOption = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip scenarios already solved in the store.")
    ] = False,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit",
            help="Seconds per solve (default: the sweep file's); kept even if the solver overruns.",
        ),
    ] = None,
    gap: Annotated[
        float | None,
        typer.Option("--gap", help="Relative MIP gap, e.g. 0.01 (default: the sweep file's)."),
    ] = None,
    reference: Annotated[
        bool,
        typer.Option(
            "--reference",
            help="Also solve every scenario with all plants running (savings and customer "
            "moves); about doubles the time per scenario.",
        ),
    ] = False,
    duals: Annotated[
        bool,
        typer.Option("--duals", help="Also price capacity (shadow prices) in every scenario."),
    ] = False,
    warm_start: Annotated[
        bool,
        typer.Option(
            "--warm-start/--no-warm-start",
            help="Start every scenario's solve from the first scenario's plan.",
        ),
    ] = True,
    json: JsonOption = False,
) -> None:
    """Solve every scenario of a sweep on a Dask cluster; save each run as it finishes.

    Each run is saved whole as soon as it finishes, so a stopped sweep keeps its finished runs.
    [bold]--resume[/] then solves only the rest.

    Example: [bold]millnet sweep cases/iwg2009 cases/iwg2009/sweeps/aerospace-x-copper.yaml[/]
    """
    from millnet.case import read_case
    from millnet.distributed import SweepProgress, Task, run_sweep
    from millnet.model.options import ModelOptions
    from millnet.scenario.sweep import expand, load_sweep
    from millnet.solve.options import SolveOptions
    from millnet.validate import validate

    if scheduler is None and workers < 1:
        raise UsageError(f"--workers {workers}: expected 1 or more worker processes")
    if time_limit is not None and time_limit <= 0:
        raise UsageError(f"--time-limit {time_limit}: expected a positive number of seconds")
    if gap is not None and gap < 0:
        raise UsageError(f"--gap {gap}: expected 0 or more, e.g. 0.001")
    if not sweep_file.is_file():
        raise UsageError(f"{sweep_file}: no such sweep file")
    start = time.perf_counter()
    base = read_case(case)
    validate(base).raise_for_errors()
    loaded = load_sweep(sweep_file)
    tasks = [Task(s.name, s) for s in expand(loaded)]
    # the sweep file's solver settings, unless the command line says otherwise; one core per
    # worker: HiGHS's own threads would only compete with the other workers
    settings = loaded.solve
    solve_options = SolveOptions(
        time_limit=time_limit if time_limit is not None else settings.time_limit,
        gap=gap if gap is not None else settings.gap,
        threads=1,
    )
    run_store = _store(store).check()
    # a sweep resumes its own runs: a run stored under another sweep's name would be missing
    # from this sweep's summary
    stored = run_store.keys(sweep=loaded.name) if resume else set()
    saved: list[str] = []

    def save(done: Done) -> str:
        run_id = run_store.save(done.results, sweep=loaded.name)
        saved.append(run_id)
        return run_id

    where = f"the scheduler at {scheduler}" if scheduler else f"{workers} local worker(s)"
    limits = [
        f"time limit {solve_options.time_limit:g} s" if solve_options.time_limit else "",
        f"gap {solve_options.gap:g}" if solve_options.gap is not None else "",
    ]
    limit_text = f" ({', '.join(x for x in limits if x)})" if any(limits) else ""
    err_console.print(
        f"sweep {escape(loaded.name)}: {len(tasks)} scenario(s) of {escape(base.name)}"
        f"{limit_text} on {escape(where)}; runs saved to {escape(run_store.display)}",
        soft_wrap=True,
    )
    try:
        with run_store:
            report = run_sweep(
                base,
                tasks,
                model_options=ModelOptions(),
                solve_options=solve_options,
                workers=workers,
                scheduler=scheduler,
                stored_keys=stored,
                reference=reference,
                duals=duals,
                on_done=save,
                progress=SweepProgress(len(tasks)),
                warm_start=warm_start,
            )
    except KeyboardInterrupt:
        err_console.print(
            f"\n[yellow]interrupted:[/] {len(saved)} finished run(s) are in "
            f"{escape(run_store.display)}; run the same command with --resume to solve the rest",
            soft_wrap=True,
        )
        raise typer.Exit(INTERRUPTED) from None
    seconds = time.perf_counter() - start
    if json:
        print_json(_sweep_json(loaded.name, base.name, run_store.display, report, seconds))
    else:
        _render_sweep(loaded.name, report, seconds, run_store.display, store)
    if report.failed:
        raise typer.Exit(1)


def _sweep_json(
    name: str, case: str, store: str, report: SweepReport, seconds: float
) -> dict[str, Any]:
    return {
        "sweep": name,
        "case": case,
        "store": store,
        "workers": report.workers,
        "seconds": round(seconds, 3),
        "counts": {
            "total": report.total,
            "done": len(report.finished),
            "failed": len(report.failed),
            "skipped": len(report.skipped),
        },
        "runs": [
            {
                "scenario": f.name,
                "run_id": f.saved_as,
                "status": f.status,
                "objective": f.objective,
                "seconds": round(f.seconds, 3),
            }
            for f in report.finished
        ],
        "failed": [
            {"scenario": f.name, "kind": f.kind, "message": f.message} for f in report.failed
        ],
        "skipped": [{"scenario": s.name, "run_key": s.key} for s in report.skipped],
    }


def _render_sweep(
    name: str, report: SweepReport, seconds: float, display: str, store: str | None
) -> None:
    without_plan = [f for f in report.finished if f.status not in ("optimal", "feasible")]
    console.print(
        f"sweep {escape(name)}: {len(report.finished)} run(s) done, {len(report.failed)} "
        f"failed, {len(report.skipped)} skipped (already stored) in {seconds:.1f} s"
    )
    for finished in without_plan:
        console.print(f"  no plan for {escape(finished.name)}: {finished.status}")
    for failed in report.failed:
        console.print(
            f"  [red]failed[/] {escape(failed.name)}: {escape(failed.message)}", soft_wrap=True
        )
    console.print(f"runs saved to {escape(display)}", soft_wrap=True)
    flag = f" --store {store}" if store else ""
    console.print(
        f"next: [bold]millnet sweep-summary {_quoted(name)}{escape(flag)}[/]", soft_wrap=True
    )


def _quoted(text: str) -> str:
    import shlex

    return escape(shlex.quote(text))


# --- compare -------------------------------------------------------------------------------


def compare(
    run_a: Annotated[
        str,
        typer.Argument(
            metavar="RUN_A",
            help="The baseline: a run id (or unique start) in the store, or a results folder.",
            show_default=False,
        ),
    ],
    run_b: Annotated[
        str,
        typer.Argument(
            metavar="RUN_B", help="The plan compared with it (same forms).", show_default=False
        ),
    ],
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Compare two plans: plant states and sourcing that differ, and every headline KPI with
    A, B, B − A and %.

    Example: [bold]millnet compare 1m8860qf 1m8860rf[/] or [bold]millnet compare out/base out/low[/]
    """
    from millnet.results.compare import compare as compare_plans
    from millnet.store import open_results

    a = open_results(run_a, store)
    b = open_results(run_b, store)
    if a.case_name != b.case_name:
        err_console.print(
            f"[yellow]note:[/] comparing plans of two cases ({escape(a.case_name)} and "
            f"{escape(b.case_name)})",
            soft_wrap=True,
        )
    comparison = compare_plans(a, b)
    if json:
        print_json(
            {
                "a": _run_json(run_a, a),
                "b": _run_json(run_b, b),
                "same_decisions": comparison.same_decisions,
                "states": comparison.states.to_dicts(),
                "sourcing": comparison.sourcing.to_dicts(),
                "kpis": _finite(comparison.kpis.to_dicts()),
            }
        )
        return
    _render_comparison(run_a, a, run_b, b, comparison)


def _run_json(ref: str, results: Results) -> dict[str, Any]:
    outcome = results.outcome
    return {
        "ref": ref,
        "run_id": results.run_id,
        "case": results.case_name,
        "scenario": results.scenario,
        "status": outcome.status.value,
        "objective": outcome.objective,
        "currency": results.currency,
    }


def _finite(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """JSON has no NaN: a value that is not a number is shown as null."""
    return [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        for row in rows
    ]


def _label(ref: str, results: Results) -> str:
    what = results.scenario or results.case_name
    return f"{ref} ({what})" if what and what != ref else ref


def _amount(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _render_comparison(
    ref_a: str, a: Results, ref_b: str, b: Results, comparison: Comparison
) -> None:
    console.print(
        f"A = {escape(_label(ref_a, a))}: {a.outcome.status.value}, objective "
        f"{_amount(a.outcome.objective)} {escape(a.currency)}",
        soft_wrap=True,
    )
    console.print(
        f"B = {escape(_label(ref_b, b))}: {b.outcome.status.value}, objective "
        f"{_amount(b.outcome.objective)} {escape(b.currency)}",
        soft_wrap=True,
    )
    states = comparison.states
    if states.height:
        table = Table(title="Plant states that differ", title_justify="left", box=box.SIMPLE_HEAD)
        for column in ("plant", "period", "A", "B"):
            table.add_column(column)
        for row in states.head(SHOWN_ROWS).iter_rows(named=True):
            table.add_row(
                escape(row["plant"]),
                row["period"],
                row["state_a"] or "—",
                row["state_b"] or "—",
            )
        console.print(table)
        _more(states.height)
    else:
        console.print("Plant states: the same in every period.")
    sourcing = comparison.sourcing
    if sourcing.height:
        table = Table(
            title=f"Demand rows served from another plant ({sourcing.height})",
            title_justify="left",
            box=box.SIMPLE_HEAD,
        )
        for column in ("customer", "product", "period", "A", "qty A", "B", "qty B"):
            justify = "right" if column.startswith("qty") else "left"
            table.add_column(column, justify=justify)
        for row in sourcing.head(SHOWN_ROWS).iter_rows(named=True):
            table.add_row(
                escape(row["customer"]),
                escape(row["product"]),
                row["period"],
                escape(row["plant_a"] or "unserved"),
                _amount(row["quantity_a"]),
                escape(row["plant_b"] or "unserved"),
                _amount(row["quantity_b"]),
            )
        console.print(table)
        _more(sourcing.height)
    else:
        console.print("Sourcing: every demand row keeps its main plant.")
    console.print(_kpi_table(comparison.kpis, a.currency))


def _more(height: int) -> None:
    if height > SHOWN_ROWS:
        console.print(f"  … and {height - SHOWN_ROWS} more (all of them with --json)")


def _kpi_table(kpis: pl.DataFrame, currency: str) -> Table:
    """One section per KPI; an item is named by its key, its measure, or both where the KPI
    has several measures."""
    table = Table(title=f"KPIs ({currency})", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("kpi / item")
    for column in ("A", "B", "B − A", "%"):
        table.add_column(column, justify="right")
    for (kpi,), group in kpis.group_by("kpi", maintain_order=True):
        table.add_row(f"[bold]{escape(str(kpi))}[/]")
        several = group["measure"].n_unique() > 1
        for row in group.iter_rows(named=True):
            digits = 2 if row["measure"] in ("share", "distance") else 0
            parts = [row["key"], row["measure"] if several or not row["key"] else ""]
            pct = "—" if row["pct"] is None else f"{row['pct']:+.1f} %"
            table.add_row(
                "  " + escape(" ".join(p for p in parts if p)),
                _amount(row["a"], digits),
                _amount(row["b"], digits),
                _amount(row["delta"], digits),
                pct,
            )
    return table


# --- sweep-summary -------------------------------------------------------------------------


def sweep_summary(
    name: Annotated[
        str, typer.Argument(metavar="SWEEP", help="The sweep's name.", show_default=False)
    ],
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Summarise a sweep's runs: how often each plant state is chosen, the spread of total
    cost, and which scenarios flip which decision.

    Example: [bold]millnet sweep-summary aerospace-x-copper[/]
    """
    from millnet.distributed.runs import sweep_results
    from millnet.results.collection import summarize

    with _store(store) as run_store:
        results = sweep_results(run_store, name)
    summary = summarize(results, [r.scenario or r.run_id or "?" for r in results])
    if json:
        print_json(_summary_json(name, run_store.display, summary))
        return
    _render_summary(name, summary, results[0].currency if results else "")


def _summary_json(name: str, store: str, summary: SweepSummary) -> dict[str, Any]:
    cost = summary.cost.to_dicts()[0]
    return {
        "sweep": name,
        "store": store,
        "runs": summary.runs.drop("case_fingerprint").to_dicts(),
        "cost": cost,
        "states": summary.states.to_dicts(),
        "usual": summary.usual.to_dicts(),
        "flips": summary.flips.to_dicts(),
    }


def _render_summary(name: str, summary: SweepSummary, currency: str) -> None:
    runs = summary.runs
    with_plan = int(runs["status"].is_in(["optimal", "feasible"]).sum())
    console.print(
        f"sweep {escape(name)}: {runs.height} scenario(s), {with_plan} with a plan", soft_wrap=True
    )
    for row in runs.filter(~runs["status"].is_in(["optimal", "feasible"])).iter_rows(named=True):
        console.print(f"  no plan for {escape(row['scenario'])}: {row['status']}")
    cost = summary.cost.row(0, named=True)
    if cost["runs"]:
        table = Table(
            title=f"Total cost across scenarios ({currency})",
            title_justify="left",
            box=box.SIMPLE_HEAD,
        )
        columns = ["min", "p10", "p50", "p90", "max", "mean"]
        for column in columns:
            table.add_column(column, justify="right")
        table.add_row(*(_amount(cost[c]) for c in columns))
        console.print(table)
    console.print(_shares_table(summary))
    flips = summary.flips
    if flips.height == 0:
        console.print("Every scenario makes the same plant decisions.")
        return
    console.print("Decisions that change (against the most common plan):")
    for (plant, period), group in flips.group_by("plant", "period", maintain_order=True):
        first = group.row(0, named=True)
        by_state: dict[str, list[str]] = {}
        for row in group.iter_rows(named=True):
            by_state.setdefault(row["state"], []).append(row["scenario"])
        parts = "; ".join(
            f"{state} in {', '.join(escape(s) for s in scenarios)}"
            for state, scenarios in by_state.items()
        )
        console.print(
            f"  {escape(str(plant))} {period}: usually {first['usual_state']} "
            f"({first['usual_share']:.0%}); {parts}",
            soft_wrap=True,
        )


def _shares_table(summary: SweepSummary) -> Table:
    """Plants × periods; each cell the states chosen, most common first, with their shares."""
    states = summary.states
    periods = states["period"].unique(maintain_order=True).to_list()
    table = Table(title="Plant states across scenarios", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("plant")
    for period in periods:
        table.add_column(period, justify="center")
    style = {"running": "green", "idle": "yellow", "closed": "red"}
    for (plant,), group in states.group_by("plant", maintain_order=True):
        cells = []
        for period in periods:
            rows = group.filter(group["period"] == period).sort("runs", descending=True)
            if rows.height == 1:
                state = rows["state"][0]
                cells.append(f"[{style.get(state, 'white')}]{state}[/]")
            else:
                cells.append(
                    " ".join(
                        f"[{style.get(r['state'], 'white')}]{r['state']} {r['share']:.0%}[/]"
                        for r in rows.iter_rows(named=True)
                    )
                )
        table.add_row(escape(str(plant)), *cells)
    return table
