"""Many plans of one sweep as one set of tables with a ``scenario`` column, and what they say
together: how often each plant state is chosen, how total cost spreads, and which scenarios
change which decision.

Pure functions over :class:`Results` (or over the stacked tables), so the CLI, the reports and
the web app summarise a sweep the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from millnet.errors import MillnetError
from millnet.model.data import STATES
from millnet.results.results import Results

#: Percentiles of total cost in :func:`cost_distribution` (linear interpolation between the
#: order statistics, numpy's default: p50 of 1, 2, 3, 4 is 2.5).
PERCENTILES = (10, 50, 90)

RUNS_SCHEMA = {
    "scenario": pl.String,
    "case_fingerprint": pl.String,
    "status": pl.String,
    "termination": pl.String,
    "objective": pl.Float64,
    "bound": pl.Float64,
    "gap": pl.Float64,
    "total_cost": pl.Float64,
    "all_running": pl.Float64,
    "solve_s": pl.Float64,
}
SHARES_SCHEMA = {
    "plant": pl.String,
    "period": pl.String,
    "state": pl.String,
    "runs": pl.Int64,
    "share": pl.Float64,
}
FLIPS_SCHEMA = {
    "plant": pl.String,
    "period": pl.String,
    "usual_state": pl.String,
    "usual_share": pl.Float64,
    "scenario": pl.String,
    "state": pl.String,
}
COST_SCHEMA = {
    "runs": pl.Int64,
    "min": pl.Float64,
    **{f"p{p}": pl.Float64 for p in PERCENTILES},
    "max": pl.Float64,
    "mean": pl.Float64,
}


def run_names(results: Sequence[Results], names: Sequence[str] | None = None) -> list[str]:
    """The scenario name of every run: ``names`` when given, else each run's ``scenario``,
    else ``run <n>``. Names must be unique: they key the stacked tables."""
    if names is not None and len(names) != len(results):
        raise MillnetError(f"{len(names)} names given for {len(results)} runs")
    chosen = (
        list(names)
        if names is not None
        else [r.scenario or f"run {i + 1}" for i, r in enumerate(results)]
    )
    seen: set[str] = set()
    for name in chosen:
        if name in seen:
            raise MillnetError(f"two runs are named '{name}'; scenario names must be unique")
        seen.add(name)
    return chosen


def _total_cost(results: Results) -> float | None:
    costs = results.tables.get("costs")
    if not results.outcome.status.has_plan or costs is None:
        return None
    return float(costs["amount"].sum())


def runs_table(results: Sequence[Results], names: Sequence[str] | None = None) -> pl.DataFrame:
    """One row per run: ``scenario``, the outcome (status, termination, objective, bound, gap),
    ``total_cost`` (Σ of the costs table; null without a plan), ``all_running`` (objective of
    the plan keeping every plant running, when solved) and ``solve_s``."""
    rows = [
        {
            "scenario": name,
            "case_fingerprint": r.case_fingerprint,
            "status": r.outcome.status.value,
            "termination": r.outcome.termination,
            "objective": r.outcome.objective,
            "bound": r.outcome.bound,
            "gap": r.outcome.gap,
            "total_cost": _total_cost(r),
            "all_running": r.reference_objective,
            "solve_s": float(r.outcome.solve_s),
        }
        for name, r in zip(run_names(results, names), results, strict=True)
    ]
    return pl.DataFrame(rows, schema=RUNS_SCHEMA)


def stack(
    results: Sequence[Results], names: Sequence[str] | None = None
) -> dict[str, pl.DataFrame]:
    """Every table of every run, one frame per table name with ``scenario`` as first column
    (runs in the given order), plus ``runs`` (see :func:`runs_table`). A table a run does not
    have (a run without a plan has none) contributes no rows; columns one run lacks are null."""
    chosen = run_names(results, names)
    by_table: dict[str, list[pl.DataFrame]] = {}
    for name, r in zip(chosen, results, strict=True):
        for table, frame in r.tables.items():
            by_table.setdefault(table, []).append(
                frame.select(pl.lit(name, pl.String).alias("scenario"), pl.all())
            )
    stacked = {
        table: pl.concat(frames, how="diagonal_relaxed") for table, frames in by_table.items()
    }
    stacked["runs"] = runs_table(results, chosen)
    return stacked


def _planned_states(stacked: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Planned plant states of the runs with a plan: ``scenario, plant, period, state``."""
    states = stacked.get("plant_states")
    if states is None or states.height == 0:
        return pl.DataFrame(
            schema={
                "scenario": pl.String,
                "plant": pl.String,
                "period": pl.String,
                "state": pl.String,
            }
        )
    if "planned" in states.columns:
        states = states.filter(pl.col("planned"))
    with_plan = stacked["runs"].filter(pl.col("status").is_in(["optimal", "feasible"]))
    return states.join(with_plan.select("scenario"), on="scenario", how="semi").select(
        "scenario",
        pl.col("plant").cast(pl.String),
        pl.col("period").cast(pl.String),
        pl.col("state").cast(pl.String),
    )


def _order(states: pl.DataFrame) -> pl.DataFrame:
    """Plants and periods in the order the first run lists them; states as in the model."""
    plants = {p: i for i, p in enumerate(states["plant"].unique(maintain_order=True))}
    periods = {p: i for i, p in enumerate(states["period"].unique(maintain_order=True))}
    state_rank = {s: i for i, s in enumerate(STATES)}
    return states.with_columns(
        _plant=pl.col("plant").replace_strict(plants, return_dtype=pl.Int64),
        _period=pl.col("period").replace_strict(periods, return_dtype=pl.Int64),
        _state=pl.col("state").replace_strict(
            state_rank, default=len(STATES), return_dtype=pl.Int64
        ),
    )


def state_shares(stacked: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """For each plant and planned period, each state chosen by at least one run: ``plant,
    period, state, runs`` (how many runs chose it) and ``share`` (runs ÷ runs with a plan).
    Runs without a plan are left out."""
    states = _planned_states(stacked)
    if states.height == 0:
        return pl.DataFrame(schema=SHARES_SCHEMA)
    total = states["scenario"].n_unique()
    return (
        _order(states)
        .group_by("plant", "period", "state", "_plant", "_period", "_state")
        .agg(pl.len().cast(pl.Int64).alias("runs"))
        .sort("_plant", "_period", "_state")
        .select("plant", "period", "state", "runs", (pl.col("runs") / total).alias("share"))
        .cast(SHARES_SCHEMA)  # type: ignore[arg-type]
    )


def usual_plan(stacked: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """The sweep's most common plan: for each plant and planned period the state most runs
    chose (a tie goes to the first of running, idle, closed): ``plant, period, state, runs,
    share``."""
    shares = state_shares(stacked)
    if shares.height == 0:
        return shares
    return (
        _order(shares)
        .sort("_plant", "_period", pl.col("runs"), "_state", descending=[False, False, True, False])
        .group_by("plant", "period", maintain_order=True)
        .first()
        .select(*SHARES_SCHEMA)
    )


def flips(stacked: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Which scenarios flip which decision: for each plant-period that not every run decides
    the same way, the runs whose state differs from the usual plan (:func:`usual_plan`):
    ``plant, period, usual_state, usual_share, scenario, state``, by plant, period and the runs'
    order."""
    usual = usual_plan(stacked)
    if usual.height == 0:
        return pl.DataFrame(schema=FLIPS_SCHEMA)
    states = _planned_states(stacked)
    run_order = {s: i for i, s in enumerate(stacked["runs"]["scenario"])}
    usual = _order(usual).select(
        "plant",
        "period",
        "_plant",
        "_period",
        pl.col("state").alias("usual_state"),
        pl.col("share").alias("usual_share"),
    )
    return (
        states.join(usual, on=["plant", "period"], how="inner")
        .filter(pl.col("state") != pl.col("usual_state"))
        .with_columns(_run=pl.col("scenario").replace_strict(run_order, return_dtype=pl.Int64))
        .sort("_plant", "_period", "_run")
        .select(*FLIPS_SCHEMA)
        .cast(FLIPS_SCHEMA)  # type: ignore[arg-type]
    )


def cost_distribution(runs: pl.DataFrame) -> pl.DataFrame:
    """Total cost across the runs with a plan, as one row: ``runs``, ``min``, ``p10``, ``p50``,
    ``p90``, ``max``, ``mean`` (nulls when no run has a plan). See :data:`PERCENTILES`."""
    costs = runs["total_cost"].drop_nulls().to_numpy()
    if costs.size == 0:
        row: dict[str, float | int | None] = dict.fromkeys(COST_SCHEMA)
        row["runs"] = 0
        return pl.DataFrame([row], schema=COST_SCHEMA)
    row = {
        "runs": int(costs.size),
        "min": float(costs.min()),
        **{f"p{p}": float(np.percentile(costs, p)) for p in PERCENTILES},
        "max": float(costs.max()),
        "mean": float(costs.mean()),
    }
    return pl.DataFrame([row], schema=COST_SCHEMA)


@dataclass(frozen=True, eq=False)
class SweepSummary:
    """What a sweep's runs say together (see the functions of this module)."""

    runs: pl.DataFrame
    states: pl.DataFrame
    usual: pl.DataFrame
    flips: pl.DataFrame
    cost: pl.DataFrame


def summarize_stacked(stacked: Mapping[str, pl.DataFrame]) -> SweepSummary:
    return SweepSummary(
        runs=stacked["runs"],
        states=state_shares(stacked),
        usual=usual_plan(stacked),
        flips=flips(stacked),
        cost=cost_distribution(stacked["runs"]),
    )


def summarize(results: Sequence[Results], names: Sequence[str] | None = None) -> SweepSummary:
    """Summary of a sweep's runs (see :class:`SweepSummary`)."""
    return summarize_stacked(stack(results, names))
