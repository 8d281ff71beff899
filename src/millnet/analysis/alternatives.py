"""Near-optimal plans: distinct plant-state plans ranked by cost, within a band of the best.

The optimum is one plan among several that cost about the same; a planner wants to see the
others before committing ("is there a plan within 1 % that keeps Littleton?"). The model is
solved, the plan's plant states are cut off by a no-good row, and the model is solved again,
until K plans are found or the next one costs more than the band allows.

With z_{p,t,s} the state binaries and s*(p,t) the found plan's state, the cut is

    Σ_{p,t} z_{p,t,s*(p,t)} ≤ N − 1,   N = plants × planned periods,

valid because every (p, t) has exactly one state: only the found plan meets every term, so
every other plant-state plan (whatever its flows) stays feasible.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from millnet.case import Case
from millnet.errors import MillnetError, UsageError
from millnet.model.build import BuiltModel, build
from millnet.model.data import STATES, ModelData, prepare
from millnet.model.options import ModelOptions
from millnet.model.terms import constrain, labels, pack
from millnet.solve.options import SolveOptions
from millnet.solve.run import run
from millnet.solve.status import SolveOutcome, Status
from millnet.validate import validate

CUT_NAME = "Plan-exclude-{}"


@dataclass(frozen=True, eq=False)
class RankedPlan:
    """One plant-state plan: its objective, how far it is from the best, how it differs."""

    rank: int
    objective: float
    #: How much worse than the best plan (more cost or less margin), absolute and relative.
    gap: float
    gap_pct: float | None
    status: str
    #: plant, period, state (planned periods)
    states: pl.DataFrame
    #: plant, period, best, state: where this plan's states differ from the best plan's
    differences: pl.DataFrame

    def to_json(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "objective": self.objective,
            "gap": self.gap,
            "gap_pct": self.gap_pct,
            "status": self.status,
            "differences": self.differences.to_dicts(),
            "states": self.states.to_dicts(),
        }


@dataclass(frozen=True, eq=False)
class NearOptimal:
    """Plans found, best first, and why the search stopped."""

    case_name: str
    currency: str
    count: int
    within_pct: float
    plans: tuple[RankedPlan, ...]
    stopped: str

    def to_json(self) -> dict[str, object]:
        return {
            "case": self.case_name,
            "currency": self.currency,
            "count": self.count,
            "within_pct": self.within_pct,
            "stopped": self.stopped,
            "plans": [p.to_json() for p in self.plans],
        }


def state_grid(built: BuiltModel, outcome: SolveOutcome) -> np.ndarray:
    """State index (of STATES) by plant × planned period in the outcome."""
    values = [
        np.rint(np.nan_to_num(outcome.values[labels(built.model[state])])) for state in STATES
    ]
    return np.argmax(np.stack(values), axis=0)


def exclude(built: BuiltModel, grid: np.ndarray, index: int) -> None:
    """Add the no-good row that cuts off the plant-state plan ``grid``."""
    m = built.model
    stacked = np.stack([labels(m[state]) for state in STATES])
    chosen = np.take_along_axis(stacked, grid[None, :, :], axis=0)[0].ravel()
    lhs = pack(m, f"plan_{index}", 1, np.zeros(chosen.size, dtype=np.int64), chosen, 1.0)
    constrain(m, CUT_NAME.format(index), lhs, "<=", float(chosen.size - 1))


def near_optimal_plans(
    case: Case,
    count: int,
    within_pct: float,
    model_options: ModelOptions | None = None,
    solve_options: SolveOptions | None = None,
    *,
    on_plan: Callable[[int, float], None] | None = None,
) -> NearOptimal:
    """Up to ``count`` distinct plant-state plans of ``case`` whose objective is within
    ``within_pct`` % of the best plan's, best first (one solve per plan, plus one to find that
    the next plan is out of the band or that none is left). ``on_plan(n, objective)`` is called
    as the n-th plan is found."""
    if count < 1:
        raise UsageError(f"--count must be at least 1; found {count}")
    if not np.isfinite(within_pct) or within_pct < 0:
        raise UsageError(f"--within must be a percentage ≥ 0; found {within_pct:g}")
    model_options = model_options or ModelOptions()
    solve_options = solve_options or SolveOptions()
    validate(case).raise_for_errors()
    data = prepare(case, model_options)
    built = build(data)
    sign = -1.0 if built.sense == "max" else 1.0  # the objective as a loss: cost, or −margin
    found: list[tuple[float, np.ndarray, SolveOutcome]] = []
    stopped = f"found the {count} plan{'s' if count > 1 else ''} asked for"
    while len(found) < count:
        outcome = run(built, solve_options)
        if not outcome.status.has_plan or outcome.objective is None:
            if not found:
                raise MillnetError(f"no plan for case {case.name}: {outcome.termination}")
            stopped = (
                "no other plant-state plan exists"
                if outcome.status is Status.INFEASIBLE
                else f"the next solve ended without a plan ({outcome.termination})"
            )
            break
        loss = sign * outcome.objective
        best = min(f[0] for f in found) if found else loss
        limit = best + abs(best) * within_pct / 100.0
        if found and loss > limit + 1e-9 * max(1.0, abs(best)):
            stopped = (
                f"the next plan is {_pct(loss - best, best)} worse than the best, beyond "
                f"{within_pct:g} %"
            )
            break
        grid = state_grid(built, outcome)
        found.append((loss, grid, outcome))
        if on_plan is not None:
            on_plan(len(found), outcome.objective)
        exclude(built, grid, len(found))
    # a MIP solved to a relative gap may find a slightly better plan after a worse one
    found.sort(key=lambda f: f[0])
    best_loss, best_grid, _ = found[0]
    plans = tuple(
        _ranked(rank, outcome, grid, best_grid, loss - best_loss, best_loss, data)
        for rank, (loss, grid, outcome) in enumerate(found, start=1)
    )
    assert case.meta is not None
    return NearOptimal(
        case_name=case.name,
        currency=case.meta.currency,
        count=count,
        within_pct=within_pct,
        plans=plans,
        stopped=stopped,
    )


def _pct(delta: float, base: float) -> str:
    return f"{100.0 * delta / abs(base):.2f} %" if base else f"{delta:,.0f}"


def _ranked(
    rank: int,
    outcome: SolveOutcome,
    grid: np.ndarray,
    best: np.ndarray,
    gap: float,
    best_loss: float,
    data: ModelData,
) -> RankedPlan:
    plants = np.array(data.plants)
    periods = np.array(data.periods)
    names = np.array(STATES)
    T = periods.size
    states = pl.DataFrame(
        {
            "plant": np.repeat(plants, T),
            "period": np.tile(periods, plants.size),
            "state": names[grid.ravel()],
        },
        schema={"plant": pl.String, "period": pl.String, "state": pl.String},
    )
    p, t = np.nonzero(grid != best)
    differences = pl.DataFrame(
        {
            "plant": plants[p],
            "period": periods[t],
            "best": names[best[p, t]],
            "state": names[grid[p, t]],
        },
        schema={"plant": pl.String, "period": pl.String, "best": pl.String, "state": pl.String},
    )
    assert outcome.objective is not None
    return RankedPlan(
        rank=rank,
        objective=outcome.objective,
        gap=gap,
        gap_pct=100.0 * gap / abs(best_loss) if best_loss else None,
        status=outcome.status.value,
        states=states,
        differences=differences,
    )
