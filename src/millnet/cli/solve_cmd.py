"""``millnet solve``: plan a case and show or save the decision."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.markup import escape
from rich.table import Table

from millnet.cli._common import console, err_console, print_json
from millnet.errors import MillnetError
from millnet.model.options import ModelOptions
from millnet.results.kpis import compute
from millnet.results.results import Results
from millnet.solve.options import SolveOptions

if TYPE_CHECKING:
    from millnet.store import Store

STATE_STYLE = {"running": "green", "idle": "yellow", "closed": "red"}


def solve(
    case: Annotated[Path, typer.Argument(help="A case folder or workbook.", show_default=False)],
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", help="Seconds; kept even if the solver overruns."),
    ] = None,
    gap: Annotated[
        float | None, typer.Option("--gap", help="Relative MIP gap, e.g. 0.001.")
    ] = None,
    solver: Annotated[str, typer.Option("--solver", help="Solver name (linopy).")] = "highs",
    threads: Annotated[int | None, typer.Option("--threads", help="Solver threads.")] = None,
    objective: Annotated[
        Literal["cost", "margin"], typer.Option("--objective", help="cost or margin.")
    ] = "cost",
    single_source: Annotated[
        bool,
        typer.Option("--single-source", help="One plant per customer and product."),
    ] = False,
    plan_from: Annotated[
        str | None, typer.Option("--from", help="First period to plan (default: case.toml).")
    ] = None,
    forbid_closures: Annotated[
        bool, typer.Option("--forbid-closures", help="No plant may close.")
    ] = False,
    max_idle: Annotated[
        int | None, typer.Option("--max-idle", help="At most this many plants idle at once.")
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="A scenario YAML file applied to the case first; its model options win over "
            "these flags.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write every result table (Parquet) and the JSON.")
    ] = None,
    no_reference: Annotated[
        bool,
        typer.Option("--no-reference", help="Skip the all-plants-running comparison solve."),
    ] = False,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Run store URL or SQLite file; default: $MILLNET_STORE, else .millnet/runs.db.",
            show_default=False,
        ),
    ] = None,
    save: Annotated[
        bool, typer.Option("--save/--no-save", help="Record the run in the run store.")
    ] = True,
    log: Annotated[bool, typer.Option("--log", help="Show the solver log on stderr.")] = False,
    json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document on stdout.")
    ] = False,
) -> None:
    """Plan a case: which plants run, idle, restart or close, and who serves whom.

    Example: [bold]millnet solve cases/iwg2009 --time-limit 60 --out out/iwg2009[/]

    With a scenario: [bold]millnet solve cases/iwg2009 --scenario
    cases/iwg2009/scenarios/copper-doubles.yaml[/]
    """
    from millnet.model.warm import warm_imports
    from millnet.plan import plan
    from millnet.scenario import load_scenario

    # a scenario with a mistake fails before the solve, naming file, line and key
    spec = load_scenario(scenario) if scenario is not None else None
    warm_imports()
    model_options = ModelOptions(
        objective=objective,
        plan_from=plan_from,
        single_source="horizon" if single_source else "off",
        forbid_closures=forbid_closures,
        max_idle=max_idle,
    )
    solve_options = SolveOptions(
        solver=solver, time_limit=time_limit, gap=gap, threads=threads, log=log
    )
    start = time.perf_counter()
    # a store that cannot be opened fails before the solve, not after it
    run_store = _open_store(store) if save else None
    if not json:
        err_console.print(f"solving {escape(str(case))} …")
    results = plan(case, model_options, solve_options, reference=not no_reference, scenario=spec)
    if run_store is not None:
        with run_store:
            results = dataclasses.replace(results, run_id=run_store.save(results))
        err_console.print(
            f"saved as run {results.run_id} in {escape(run_store.display)}", soft_wrap=True
        )
    document = results_json(results)
    if out is not None:
        results.write(out)
        write_json(out / "results.json", document)
    if json:
        print_json(document)
    else:
        render(results)
        err_console.print(f"done in {time.perf_counter() - start:.1f} s")
    if not results.outcome.status.has_plan:
        raise typer.Exit(1)


def _open_store(url: str | None) -> Store:
    from millnet.store import Store

    return Store(url).check()


def write_json(path: Path, document: object) -> None:
    import json as json_module

    text = json_module.dumps(document, indent=2, default=str, allow_nan=False) + "\n"
    path.write_text(text, encoding="utf-8")


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)


def results_json(results: Results) -> dict[str, object]:
    outcome = results.outcome
    states = results.tables.get("plant_states")
    document: dict[str, object] = {
        **outcome.to_json(),
        "case": results.case_name,
        "scenario": results.scenario,
        "case_fingerprint": results.case_fingerprint,
        "run_id": results.run_id,
        "currency": results.currency,
        "plant_states": []
        if states is None
        else states.select("plant", "period", "state").to_dicts(),
        "timings": {k: round(v, 6) for k, v in results.timings.items()},
        "options": dict(results.options),
    }
    if results.explanation:
        document["explanation"] = list(results.explanation)
    if results.tables:
        document["transitions"] = results["transitions"].to_dicts()
        document["costs_by_term"] = compute(results, "cost_by_term").to_dicts()
        document["unmet"] = (
            results["unmet"].select("customer", "product", "period", "unmet").to_dicts()
        )
        savings = compute(results, "savings")
        document["all_running_objective"] = _number(results.reference_objective)
        document["savings"] = savings["savings"][0] if savings.height else None
        if "moves" in results.tables:
            document["moves"] = results["moves"].to_dicts()
    return document


def render(results: Results) -> None:
    outcome = results.outcome
    style = "green" if outcome.status.value == "optimal" else "yellow"
    objective = "—" if outcome.objective is None else f"{outcome.objective:,.0f}"
    gap = "—" if outcome.gap is None else f"{outcome.gap:.4%}"
    console.print(
        f"[{style}]{outcome.status.value}[/] ({escape(outcome.termination)}); objective "
        f"{objective} {results.currency}; gap {gap}"
    )
    if not results.tables:
        reasons = "; ".join(results.explanation) or outcome.termination
        raise MillnetError(f"no feasible plan: {reasons}")
    console.print(_timeline(results))
    transitions = results["transitions"]
    if transitions.height:
        console.print("Decisions:")
        for r in transitions.iter_rows(named=True):
            console.print(
                f"  {r['period']}: {escape(r['plant'])} {r['from_state']} → {r['to_state']}"
            )
    else:
        console.print("Decisions: every plant keeps its state.")
    costs = compute(results, "cost_by_term")
    table = Table(title=f"Cost by term ({results.currency})", title_justify="left")
    table.add_column("term")
    table.add_column("amount", justify="right")
    for r in costs.iter_rows(named=True):
        table.add_row(r["term"], f"{r['amount']:,.0f}")
    console.print(table)
    savings = compute(results, "savings")
    if savings.height:
        console.print(
            f"Against keeping every plant running: {savings['savings'][0]:,.0f} "
            f"{results.currency} saved"
        )
    moves = results.tables.get("moves")
    if moves is not None and moves.height:
        console.print(f"Customer moves: {moves.height} demand rows change plant")
    unmet = results["unmet"]
    if unmet.height:
        console.print(f"[red]Unmet demand: {unmet['unmet'].sum():,.0f} {results.mass_unit}[/]")


def _timeline(results: Results) -> Table:
    states = results["plant_states"]
    periods = states["period"].unique(maintain_order=True).to_list()
    table = Table(title="Plant states", title_justify="left")
    table.add_column("plant")
    for period in periods:
        table.add_column(period, justify="center")
    for plant, group in states.group_by("plant", maintain_order=True):
        by_period = dict(zip(group["period"], group["state"], strict=True))
        planned = dict(zip(group["period"], group["planned"], strict=True))
        cells = []
        for period in periods:
            state = by_period.get(period, "")
            mark = {"running": "run"}.get(state, state)
            color = STATE_STYLE.get(state, "white") if planned.get(period) else "dim"
            cells.append(f"[{color}]{mark}[/]")
        table.add_row(escape(str(plant[0])), *cells)
    return table
