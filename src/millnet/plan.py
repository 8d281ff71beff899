"""The whole pipeline in explicit phases: read → validate → prepare → build → solve → extract.

Each phase is timed; a plan's results carry the case fingerprint and every option used.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from millnet.case import Case, read_case
from millnet.errors import MillnetError
from millnet.model.build import build
from millnet.model.data import ModelData, prepare
from millnet.model.options import ModelOptions
from millnet.results.extract import extract
from millnet.results.places import places_table
from millnet.results.results import Results
from millnet.scenario import Scenario, load_scenario
from millnet.scenario import apply as apply_scenario
from millnet.solve.options import SolveOptions
from millnet.solve.run import run
from millnet.solve.start import MipStart
from millnet.solve.status import Status
from millnet.validate import validate


@dataclass
class _Clock:
    timings: dict[str, float] = field(default_factory=dict)
    start: float = field(default_factory=time.perf_counter)

    def phase(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + (now - since)
        return now


def solve_case(
    case: Case,
    model_options: ModelOptions | None = None,
    solve_options: SolveOptions | None = None,
    *,
    reference: bool = True,
    duals: bool = True,
    clock: _Clock | None = None,
    scenario: Scenario | None = None,
    start: MipStart | None = None,
) -> Results:
    """Validate, build, solve and extract one case; ``reference`` also solves the plan where
    every plant that can run keeps running (for savings and customer moves, timed as kpi_s);
    ``duals`` prices capacity at the plan's decisions (``capacity_value``, timed as kpi_s).
    A ``scenario`` is applied to the case first, its option overrides going over
    ``model_options``, and names the results. A ``start`` (a known plan's decisions) is handed
    to the solver for the plan's solve, which it only speeds up."""
    model_options = model_options or ModelOptions()
    solve_options = solve_options or SolveOptions()
    clock = clock or _Clock()
    t = time.perf_counter()
    if scenario is not None:
        applied = apply_scenario(case, scenario, model_options)
        case, model_options = applied.case, applied.options
        t = clock.phase("scenario_s", t)
    report = validate(case)
    report.raise_for_errors()
    t = clock.phase("validate_s", t)
    data = prepare(case, model_options)
    built = build(data)
    t = clock.phase("build_s", t)
    plan_options = solve_options
    if start is not None:
        plan_options = solve_options.model_copy(update={"start": start})
    outcome = run(built, plan_options)
    t = clock.phase("solve_s", t)
    tables = (
        {**extract(built, outcome), "places": places_table(case)} if outcome.status.has_plan else {}
    )
    t = clock.phase("extract_s", t)
    explanation: tuple[str, ...] = ()
    if outcome.status is Status.INFEASIBLE:
        from millnet.explain_infeasible import explain

        explanation = explain(data, solve_options)
    clock.timings["total_s"] = t - clock.start
    reference_objective = None
    if reference and outcome.status.has_plan:
        k = time.perf_counter()
        reference_objective, reference_costs = _reference(data, solve_options)
        if reference_costs is not None:
            tables["reference_costs"] = reference_costs
        before = initial_sourcing(case, data, solve_options)
        tables["initial_sourcing"] = before
        tables["moves"] = customer_moves(before, tables["flows"])
        clock.timings["kpi_s"] = time.perf_counter() - k
    if duals and outcome.status.has_plan:
        from millnet.analysis.capacity import capacity_value

        k = time.perf_counter()
        tables["capacity_value"] = capacity_value(
            built, outcome, tables["utilisation"], solve_options
        )
        clock.phase("kpi_s", k)
    return Results(
        case_name=case.name,
        case_fingerprint=case.fingerprint,
        options={**model_options.model_dump(), **solve_options.model_dump()},
        outcome=outcome,
        tables=tables,
        timings=clock.timings,
        scenario=None if scenario is None else scenario.name,
        currency=data.currency,
        mass_unit=data.mass_unit,
        distance_unit=case.meta.distance_unit if case.meta is not None else "",
        reference_objective=reference_objective,
        explanation=explanation,
    )


def plan(
    path: str | Path,
    model_options: ModelOptions | None = None,
    solve_options: SolveOptions | None = None,
    *,
    reference: bool = True,
    duals: bool = True,
    scenario: Scenario | str | Path | None = None,
) -> Results:
    """Read the case at ``path`` and solve it, with ``scenario`` (a Scenario or a scenario
    file) applied when given (see :func:`solve_case`)."""
    clock = _Clock()
    if scenario is not None and not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    case = read_case(path)
    clock.phase("read_s", clock.start)
    return solve_case(
        case,
        model_options,
        solve_options,
        reference=reference,
        duals=duals,
        clock=clock,
        scenario=scenario,
    )


def all_running_states(data: ModelData) -> tuple[tuple[str, str, str], ...]:
    """Every plant that is not closed at the start kept running in every planned period."""
    return tuple(
        (plant, period, "running")
        for plant, state in zip(data.plants, data.initial_state, strict=True)
        if state != 2
        for period in data.periods
    )


def _reference(
    data: ModelData, solve_options: SolveOptions
) -> tuple[float | None, pl.DataFrame | None]:
    """Objective and costs (term, plant, period, amount) of the plan where every plant that can
    run keeps running."""
    options = data.options.model_copy(update={"force_states": all_running_states(data)})
    built = build(dataclasses.replace(data, options=options))
    outcome = run(built, solve_options)
    if not outcome.status.has_plan:
        return None, None
    return outcome.objective, extract(built, outcome)["costs"]


def initial_sourcing(case: Case, data: ModelData, solve_options: SolveOptions) -> pl.DataFrame:
    """Who served whom before the plan: the case's ``sourcing`` table where it names a plant,
    else the history periods solved with every plant in its initial state (with no history, the
    first planned period with every plant that can run running). Columns as ``flows``."""
    stated = case["sourcing"].select(
        pl.col("customer_id").alias("customer"),
        pl.col("product_id").alias("product"),
        pl.col("plant_id").alias("plant"),
        pl.lit(1.0).alias("quantity"),
    )
    unstated = (
        data.demand.select(
            pl.col("customer_id").alias("customer"), pl.col("product_id").alias("product")
        )
        .unique()
        .join(stated, on=["customer", "product"], how="anti")
    )
    if unstated.height == 0:
        return stated
    solved = _solved_sourcing(case, data, solve_options)
    if stated.height == 0:
        return solved
    return pl.concat(
        [stated, solved.join(stated, on=["customer", "product"], how="anti")],
        how="diagonal_relaxed",
    )


def _solved_sourcing(case: Case, data: ModelData, solve_options: SolveOptions) -> pl.DataFrame:
    periods = list(data.history) or [data.periods[0]]
    sub = case.with_tables(
        periods=case["periods"].filter(pl.col("id").is_in(periods)),
        demand=case["demand"].filter(pl.col("period_id").is_in(periods)),
    )
    options = data.options.model_copy(update={"plan_from": periods[0], "force_states": ()})
    sub_data = prepare(sub, options)
    states = tuple(
        (plant, period, ("running", "idle", "closed")[int(code)])
        for plant, code in zip(sub_data.plants, sub_data.initial_state, strict=True)
        for period in sub_data.periods
    )
    sub_data = dataclasses.replace(
        sub_data, options=options.model_copy(update={"force_states": states})
    )
    built = build(sub_data)
    outcome = run(built, solve_options)
    if not outcome.status.has_plan:
        return pl.DataFrame(
            schema={
                "customer": pl.String,
                "product": pl.String,
                "plant": pl.String,
                "quantity": pl.Float64,
            }
        )
    return extract(built, outcome)["flows"]


def customer_moves(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Demand rows of the plan whose main plant (largest quantity) differs from the main plant
    that served the same customer and product before (``before``, summed over its periods)."""

    def main(flows: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
        return (
            flows.group_by([*keys, "plant"])
            .agg(pl.col("quantity").sum())
            .sort("quantity", "plant", descending=[True, False])
            .group_by(keys, maintain_order=True)
            .agg(pl.col("plant").first(), pl.col("quantity").first())
        )

    joined = main(before, ["customer", "product"]).join(
        main(after, ["customer", "product", "period"]),
        on=["customer", "product"],
        how="inner",
        suffix="_plan",
    )
    return (
        joined.filter(pl.col("plant") != pl.col("plant_plan"))
        .select(
            "customer",
            "product",
            "period",
            pl.col("plant").alias("from_plant"),
            pl.col("plant_plan").alias("to_plant"),
            pl.col("quantity_plan").alias("quantity"),
        )
        .sort("period", "customer", "product")
    )


__all__ = ["MillnetError", "ModelOptions", "SolveOptions", "plan", "solve_case"]
