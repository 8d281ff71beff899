"""``millnet explain``, ``millnet alternatives`` and ``millnet breakeven``: why the plan is what
it is, what else is nearly as good, and where a decision flips."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import polars as pl
import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from millnet.analysis.parallel import Progress as TaskProgress
from millnet.analysis.parallel import Runner
from millnet.cli._common import console, err_console, print_json
from millnet.errors import MillnetError, UsageError
from millnet.model.options import ModelOptions
from millnet.solve.options import SolveOptions

if TYPE_CHECKING:
    from millnet.analysis.explain import PlantExplanation
    from millnet.case import Case

CasePath = Annotated[Path, typer.Argument(help="A case folder or workbook.", show_default=False)]
ScenarioOption = Annotated[
    Path | None, typer.Option("--scenario", help="A scenario file applied to the case first.")
]
ObjectiveOption = Annotated[
    Literal["cost", "margin"], typer.Option("--objective", help="cost or margin.")
]
FromOption = Annotated[
    str | None, typer.Option("--from", help="First period to plan (default: case.toml).")
]
SingleSourceOption = Annotated[
    bool, typer.Option("--single-source", help="One plant per customer and product.")
]
ForbidClosuresOption = Annotated[
    bool, typer.Option("--forbid-closures", help="No plant may close.")
]
TimeLimitOption = Annotated[
    float | None, typer.Option("--time-limit", help="Seconds per solve; kept even if overrun.")
]
GapOption = Annotated[float | None, typer.Option("--gap", help="Relative MIP gap, e.g. 0.001.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def _prepare(
    case_path: Path,
    scenario: Path | None,
    objective: str,
    plan_from: str | None,
    single_source: bool,
    forbid_closures: bool,
    time_limit: float | None,
    gap: float | None,
) -> tuple[Case, ModelOptions, SolveOptions]:
    """The case (with the scenario applied) and the options to plan it with."""
    from millnet.case import read_case
    from millnet.model.warm import warm_imports

    warm_imports()
    case = read_case(case_path)
    options = ModelOptions(
        objective=objective,  # type: ignore[arg-type]
        plan_from=plan_from,
        single_source="horizon" if single_source else "off",
        forbid_closures=forbid_closures,
    )
    if scenario is not None:
        from millnet.scenario import apply

        applied = apply(case, scenario, options)
        case, options = applied.case, applied.options
    return case, options, SolveOptions(time_limit=time_limit, gap=gap)


def _signed(value: float | None, currency: str) -> str:
    if value is None:
        return "—"
    return f"{'+' if value >= 0 else '−'}{abs(value):,.0f} {currency}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:+.2f} %"


def explain(
    case: CasePath,
    plant: Annotated[
        str | None, typer.Option("--plant", help="The plant to explain (an id of plants.csv).")
    ] = None,
    state: Annotated[
        list[str] | None,
        typer.Option("--state", help="Try only this state (running, idle or closed); repeatable."),
    ] = None,
    all_plants: Annotated[
        bool, typer.Option("--all-plants", help="Every plant's alternatives, in parallel.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option("--workers", help="Worker processes for --all-plants (0: in this process)."),
    ] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="A Dask scheduler address for --all-plants."),
    ] = None,
    scenario: ScenarioOption = None,
    objective: ObjectiveOption = "cost",
    plan_from: FromOption = None,
    single_source: SingleSourceOption = False,
    forbid_closures: ForbidClosuresOption = False,
    time_limit: TimeLimitOption = None,
    gap: GapOption = None,
    json: JsonOption = False,
) -> None:
    """Why a plant runs, idles or closes: what each other state would cost, and why.

    Solves the case, then forces the plant into each other state over the whole planned
    horizon and compares cost terms, other plants' states, customers served from elsewhere,
    requalifications, unmet demand and utilisation.

    Example: [bold]millnet explain cases/iwg2009 --plant littleton-nh[/]
    """
    if (plant is None) == (not all_plants):
        raise UsageError("give --plant ID or --all-plants (one of them)")
    loaded, options, solve_options = _prepare(
        case, scenario, objective, plan_from, single_source, forbid_closures, time_limit, gap
    )
    if all_plants:
        _explain_all(loaded, options, solve_options, state, workers, scheduler, json)
        return
    assert plant is not None
    from millnet.analysis.explain import explain_plant

    err_console.print(f"solving {escape(str(case))} …")
    explanation = explain_plant(
        loaded,
        plant,
        options,
        solve_options,
        states=state,
        on_solve=lambda state: err_console.print(f"solving with {escape(plant)} {state} …"),
    )
    if json:
        print_json(explanation.to_json())
        return
    _render_plant(explanation)


def _render_plant(explanation: PlantExplanation) -> None:
    cur = explanation.currency
    objective = "—" if explanation.objective is None else f"{explanation.objective:,.0f} {cur}"
    console.print(
        f"[bold]{escape(explanation.plant)}[/] in the optimal plan: "
        f"{escape(explanation.optimal_summary)} (objective {objective}, {explanation.status})"
    )
    if explanation.alternatives:
        table = Table(title="Alternatives", title_justify="left")
        for column in ("state", "against the optimum", "%", "plants changed", "rows moved"):
            table.add_column(column, justify="left" if column == "state" else "right")
        for alt in explanation.alternatives:
            if not alt.feasible:
                table.add_row(alt.state, "no plan", "", "", "")
                continue
            table.add_row(
                alt.state,
                _signed(alt.delta, cur),
                _pct(alt.delta_pct),
                str(alt.state_changes["plant"].n_unique()) if alt.state_changes.height else "0",
                str(alt.moves.height),
            )
        console.print(table)
    for alt in explanation.alternatives:
        console.print(f"• {escape(alt.reason)}")
    for state, why in explanation.skipped:
        console.print(f"[dim]{state}: not tried ({escape(why)})[/]")
    for state, message in explanation.failures:
        console.print(f"[red]{state}: failed ({escape(message)})[/]")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[red]{task.fields[failures]} failed[/]"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
    )


def dask_runner(workers: int, scheduler: str | None) -> Runner:
    """A runner of analysis tasks on Dask: a local cluster of ``workers`` processes, or the
    cluster at ``scheduler`` (see :func:`millnet.distributed.open_client`)."""

    def run(
        function: Callable[..., Any],
        shared: object,
        tasks: Sequence[tuple[Any, ...]],
        on_progress: TaskProgress | None,
    ) -> list[Any]:
        from dask.distributed import as_completed

        from millnet.analysis.parallel import Failure
        from millnet.distributed import open_client

        with open_client(workers, scheduler) as client:
            [shared_future] = client.scatter([shared], broadcast=True, hash=False)
            futures = {
                client.submit(function, shared_future, *task, pure=False): index
                for index, task in enumerate(tasks)
            }
            results: list[Any] = [None] * len(tasks)
            failures = 0
            for done, future in enumerate(as_completed(futures), start=1):
                index = futures[future]
                try:
                    results[index] = future.result()
                except MillnetError as exc:
                    results[index], failures = Failure(tasks[index], exc.message), failures + 1
                except Exception as exc:  # a lost worker ends its task, not the others
                    results[index], failures = Failure(tasks[index], repr(exc)), failures + 1
                future.release()
                if on_progress is not None:
                    on_progress(done, len(tasks), failures)
            return results

    return run


def _explain_all(
    case: Case,
    options: ModelOptions,
    solve_options: SolveOptions,
    states: list[str] | None,
    workers: int,
    scheduler: str | None,
    json: bool,
) -> None:
    from millnet.analysis.explain import explain_all_plants
    from millnet.analysis.parallel import run_serial

    if workers < 0:
        raise UsageError(f"--workers {workers}: expected 0 or more worker processes")
    parallel = scheduler is not None or workers > 0
    if parallel and solve_options.threads is None:
        # one solver thread per worker process: the workers already fill the cores
        solve_options = solve_options.model_copy(update={"threads": 1})
    runner = dask_runner(workers, scheduler) if parallel else run_serial
    err_console.print(f"solving {escape(case.name)} …")
    with _progress() as progress:
        task: list[TaskID] = []

        def start(total: int) -> None:
            task.append(progress.add_task("alternatives", total=total, failures=0))

        def advance(done: int, total: int, failures: int) -> None:
            progress.update(task[0], completed=done, failures=failures)

        result = explain_all_plants(
            case,
            options,
            solve_options,
            states=states,
            runner=runner,
            on_start=start,
            on_progress=advance,
        )
    if json:
        print_json(result.to_json())
        return
    cur = result.currency
    objective = "—" if result.objective is None else f"{result.objective:,.0f} {cur}"
    console.print(f"{escape(result.case_name)}: optimal plan {objective} ({result.status})")
    table = Table(title=f"Cost of each alternative against the optimum ({cur})")
    table.add_column("plant")
    table.add_column("optimal state")
    for state in ("running", "idle", "closed"):
        table.add_column(state, justify="right")
    for plant in result.plants:
        cells = []
        failed = dict(plant.failures)
        skipped = dict(plant.skipped)
        for state in ("running", "idle", "closed"):
            alt = plant.alternative(state)
            if alt is not None and alt.feasible:
                cells.append(
                    f"{_signed(alt.delta, '')} ({_pct(alt.delta_pct)})".replace(" (", "  (")
                )
            elif alt is not None:
                cells.append("no plan")
            elif state in failed:
                cells.append("[red]failed[/]")
            elif state in skipped and "already" in skipped[state]:
                cells.append("optimal")
            else:
                cells.append("—")
        table.add_row(escape(plant.plant), escape(plant.optimal_summary), *cells)
    console.print(table)
    if result.failures:
        err_console.print(f"[red]{result.failures} forced solve(s) failed[/]")


def alternatives(
    case: CasePath,
    count: Annotated[int, typer.Option("--count", help="How many plans at most.")] = 3,
    within: Annotated[
        float, typer.Option("--within", help="Percent above the best plan's cost allowed.")
    ] = 1.0,
    scenario: ScenarioOption = None,
    objective: ObjectiveOption = "cost",
    plan_from: FromOption = None,
    single_source: SingleSourceOption = False,
    forbid_closures: ForbidClosuresOption = False,
    time_limit: TimeLimitOption = None,
    gap: GapOption = None,
    json: JsonOption = False,
) -> None:
    """Distinct plant-state plans within a percentage of the best plan's cost.

    Each plan found is cut off and the case solved again, until --count plans are found or
    the next one costs more than --within percent above the best.

    Example: [bold]millnet alternatives cases/iwg2009 --count 5 --within 1[/]
    """
    from millnet.analysis.alternatives import near_optimal_plans

    if count < 1:
        raise UsageError(f"--count must be at least 1; found {count}")
    if within < 0:
        raise UsageError(f"--within must be a percentage ≥ 0; found {within:g}")
    loaded, options, solve_options = _prepare(
        case, scenario, objective, plan_from, single_source, forbid_closures, time_limit, gap
    )
    err_console.print(f"searching plans of {escape(loaded.name)} within {within:g} % …")
    result = near_optimal_plans(
        loaded,
        count,
        within,
        options,
        solve_options,
        on_plan=lambda n, value: err_console.print(f"plan {n}: {value:,.0f}"),
    )
    if json:
        print_json(result.to_json())
        return
    cur = result.currency
    table = Table(title=f"Plans within {within:g} % of the best ({cur})", title_justify="left")
    for column in ("rank", "objective", "gap to best", "%", "differs from the best in"):
        table.add_column(column, justify="left" if column.startswith("differs") else "right")
    for plan in result.plans:
        table.add_row(
            str(plan.rank),
            f"{plan.objective:,.0f}",
            f"{plan.gap:,.0f}",
            "" if plan.gap_pct is None else f"{plan.gap_pct:.3f} %",
            escape(_differences(plan.differences)) or "(the best plan)",
        )
    console.print(table)
    console.print(f"stopped: {escape(result.stopped)}")


def _differences(frame: pl.DataFrame) -> str:
    """Where a plan's states differ from the best plan's, in words."""
    parts = []
    for (plant, best, state), rows in frame.group_by("plant", "best", "state", maintain_order=True):
        periods = rows["period"].to_list()
        span = periods[0] if len(periods) == 1 else f"{periods[0]}–{periods[-1]}"
        parts.append(f"{plant} {state} (not {best}) {span}")
    return "; ".join(parts)


def breakeven(
    case: CasePath,
    plant: Annotated[str, typer.Option("--plant", help="The plant whose state is watched.")],
    vary: Annotated[
        str,
        typer.Option(
            "--vary",
            help="The knob: demand:SEGMENT, metal:METAL, fixed-cost:PLANT, capacity:PLANT, "
            'freight:MODE, or an override mapping such as "{kind: costs, column: '
            'cost_to_restart, plants: [camden-ny]}" (its factor is varied).',
        ),
    ],
    low: Annotated[float, typer.Option("--low", help="Lowest value of the knob.")],
    high: Annotated[float, typer.Option("--high", help="Highest value of the knob.")],
    tol: Annotated[
        float | None,
        typer.Option("--tol", help="Width of the final bracket (default: range ÷ 1000)."),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period", help="The period whose state counts (default: the first planned)."
        ),
    ] = None,
    scenario: ScenarioOption = None,
    objective: ObjectiveOption = "cost",
    plan_from: FromOption = None,
    single_source: SingleSourceOption = False,
    forbid_closures: ForbidClosuresOption = False,
    time_limit: TimeLimitOption = None,
    gap: GapOption = None,
    json: JsonOption = False,
) -> None:
    """The value of a knob at which a plant's optimal state changes (bisection).

    Knob values are multipliers (1 = the case as it is). Both ends are solved first; when the
    plant's state is the same at both, there is no break-even in the range and the command
    says so.

    Example: [bold]millnet breakeven cases/iwg2009 --plant littleton-nh \\
    --vary demand:aerospace --low 0.5 --high 2[/]
    """
    from millnet.analysis.breakeven import breakeven as search

    if low >= high:
        raise UsageError(f"--low must be below --high; found low {low:g}, high {high:g}")
    loaded, options, solve_options = _prepare(
        case, scenario, objective, plan_from, single_source, forbid_closures, time_limit, gap
    )
    result = search(
        loaded,
        plant,
        vary,
        low,
        high,
        period=period,
        tol=tol,
        model_options=options,
        solve_options=solve_options,
        on_step=lambda step: err_console.print(
            f"{escape(vary)} = {step.value:.6g}: {escape(plant)} {step.state} "
            f"(objective {step.objective:,.0f})"
        ),
    )
    if json:
        print_json(result.to_json())
        return
    console.print(escape(result.sentence()))
    console.print(f"{len(result.steps)} solves; tolerance {result.tol:g}")
