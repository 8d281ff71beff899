"""The whole pipeline in explicit phases: read → validate → prepare → build → solve → extract.

Each phase is timed; a plan's results carry the case fingerprint and every option used.
"""

from __future__ import annotations

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
from millnet.results.results import Results
from millnet.solve.options import SolveOptions
from millnet.solve.run import run
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
    clock: _Clock | None = None,
) -> Results:
    """Validate, build, solve and extract one case; ``reference`` also solves the plan where
    every plant that can run keeps running (for savings and customer moves, timed as kpi_s)."""
    model_options = model_options or ModelOptions()
    solve_options = solve_options or SolveOptions()
    clock = clock or _Clock()
    t = time.perf_counter()
    report = validate(case)
    report.raise_for_errors()
    t = clock.phase("validate_s", t)
    data = prepare(case, model_options)
    built = build(data)
    t = clock.phase("build_s", t)
    outcome = run(built, solve_options)
    t = clock.phase("solve_s", t)
    tables = extract(built, outcome) if outcome.status.has_plan else {}
    t = clock.phase("extract_s", t)
    explanation: tuple[str, ...] = ()
    if outcome.status is Status.INFEASIBLE:
        from millnet.explain_infeasible import explain

        explanation = explain(data, solve_options)
    clock.timings["total_s"] = t - clock.start
    reference_objective = None
    if reference and outcome.status.has_plan:
        k = time.perf_counter()
        reference_objective, moves = _reference(data, solve_options, tables["flows"])
        tables["moves"] = moves
        clock.timings["kpi_s"] = time.perf_counter() - k
    return Results(
        case_name=case.name,
        case_fingerprint=case.fingerprint,
        options={**model_options.model_dump(), **solve_options.model_dump()},
        outcome=outcome,
        tables=tables,
        timings=clock.timings,
        currency=data.currency,
        mass_unit=data.mass_unit,
        reference_objective=reference_objective,
        explanation=explanation,
    )


def plan(
    path: str | Path,
    model_options: ModelOptions | None = None,
    solve_options: SolveOptions | None = None,
    *,
    reference: bool = True,
) -> Results:
    """Read the case at ``path`` and solve it (see :func:`solve_case`)."""
    clock = _Clock()
    case = read_case(path)
    clock.phase("read_s", clock.start)
    return solve_case(case, model_options, solve_options, reference=reference, clock=clock)


def all_running_states(data: ModelData) -> tuple[tuple[str, str, str], ...]:
    """Every plant that is not closed at the start kept running in every planned period."""
    return tuple(
        (plant, period, "running")
        for plant, state in zip(data.plants, data.initial_state, strict=True)
        if state != 2
        for period in data.periods
    )


def _reference(
    data: ModelData, solve_options: SolveOptions, flows: pl.DataFrame
) -> tuple[float | None, pl.DataFrame]:
    options = data.options.model_copy(update={"force_states": all_running_states(data)})
    reference_data = ModelData(**{**data.__dict__, "options": options})
    built = build(reference_data)
    outcome = run(built, solve_options)
    if not outcome.status.has_plan:
        return None, pl.DataFrame()
    reference_flows = extract(built, outcome)["flows"]
    return outcome.objective, customer_moves(reference_flows, flows)


def customer_moves(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Demand rows whose main plant (largest share) differs between two plans."""

    def main(flows: pl.DataFrame) -> pl.DataFrame:
        return (
            flows.sort("quantity", descending=True)
            .group_by("customer", "product", "period", maintain_order=True)
            .agg(pl.col("plant").first(), pl.col("quantity").sum())
        )

    joined = main(before).join(
        main(after), on=["customer", "product", "period"], how="inner", suffix="_plan"
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


__all__ = ["MillnetError", "plan", "solve_case"]
