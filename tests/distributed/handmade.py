"""Hand-made plans: Results with a few rows whose differences can be worked out by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from millnet.results.results import Results
from millnet.solve.status import SolveOutcome, Status

MakeResults = Callable[..., Results]

FLOW_COLUMNS = ("plant", "customer", "product", "period", "quantity", "distance")


def _states(rows: list[tuple[str, str, str]], history: list[tuple[str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "plant": [r[0] for r in history + rows],
            "period": [r[1] for r in history + rows],
            "state": [r[2] for r in history + rows],
            "planned": [False] * len(history) + [True] * len(rows),
        },
        schema={"plant": pl.String, "period": pl.String, "state": pl.String, "planned": pl.Boolean},
    )


def _flows(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    schema = {
        "plant": pl.String,
        "customer": pl.String,
        "product": pl.String,
        "period": pl.String,
        "quantity": pl.Float64,
        "distance": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _costs(rows: list[tuple[str, str | None, str, float]]) -> pl.DataFrame:
    schema = {"term": pl.String, "plant": pl.String, "period": pl.String, "amount": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _unmet(rows: list[tuple[str, str, str, float]]) -> pl.DataFrame:
    schema = {"customer": pl.String, "product": pl.String, "period": pl.String, "unmet": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _metal(rows: list[tuple[str, str, float, float]]) -> pl.DataFrame:
    schema = {"metal": pl.String, "period": pl.String, "mass": pl.Float64, "cost": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def make_results(
    *,
    states: list[tuple[str, str, str]] | None = None,
    history: list[tuple[str, str, str]] | None = None,
    flows: list[tuple[Any, ...]] | None = None,
    costs: list[tuple[str, str | None, str, float]] | None = None,
    unmet: list[tuple[str, str, str, float]] | None = None,
    metal: list[tuple[str, str, float, float]] | None = None,
    objective: float | None = None,
    reference: float | None = None,
    status: Status = Status.OPTIMAL,
    scenario: str | None = None,
) -> Results:
    """A plan from rows; a status without a plan gives no tables, as a real solve does."""
    tables: dict[str, pl.DataFrame] = {}
    if status.has_plan:
        tables = {
            "plant_states": _states(states or [], history or []),
            "flows": _flows(flows or []),
            "costs": _costs(costs or []),
            "unmet": _unmet(unmet or []),
            "metal": _metal(metal or []),
        }
        if objective is None:
            objective = float(tables["costs"]["amount"].sum())
    outcome = SolveOutcome(
        status=status,
        termination="Optimal" if status is Status.OPTIMAL else "Infeasible",
        objective=objective if status.has_plan else None,
        bound=objective if status.has_plan else None,
        gap=0.0 if status.has_plan else None,
        solver="highs",
        solve_s=0.5,
    )
    return Results(
        case_name="hand",
        case_fingerprint="f" * 64,
        options={"objective": "cost"},
        outcome=outcome,
        tables=tables,
        scenario=scenario,
        currency="USD",
        mass_unit="lb",
        reference_objective=reference,
    )
