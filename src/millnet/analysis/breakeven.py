"""Break-even: the value of a knob at which a plant's optimal state changes.

The plant's state in one period (the first planned one unless told) is a step function of the
knob's value as far as the planner cares: running below some demand, idle above some fixed
cost. The search checks that the states at both ends of [low, high] differ, then bisects,
keeping low's state on the left end of the bracket and another state on the right, until the
bracket is narrower than the tolerance. With more than one switch in the range, it finds one
of them; the states on both sides say which.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from millnet.analysis.knobs import BoundKnob, parse_knob
from millnet.analysis.words import check_name
from millnet.case import Case
from millnet.errors import MillnetError, UsageError
from millnet.model.options import ModelOptions
from millnet.plan import solve_case
from millnet.solve.options import SolveOptions

#: Without --tol, the search stops when the bracket is this share of [low, high].
DEFAULT_TOL_SHARE = 1e-3


@dataclass(frozen=True)
class Step:
    """One solve of the search: the knob's value, the plant's state, the plan's objective."""

    value: float
    state: str
    objective: float


@dataclass(frozen=True, eq=False)
class Breakeven:
    """The outcome of a search: ``value`` is None when the state is the same at both ends."""

    case_name: str
    plant: str
    period: str
    knob: str
    low: float
    high: float
    tol: float
    currency: str
    steps: tuple[Step, ...]
    #: The bracket [below, above]: the plant is ``state_below`` at below, ``state_above`` at
    #: above.
    below: float | None = None
    above: float | None = None
    state_below: str = ""
    state_above: str = ""

    @property
    def found(self) -> bool:
        return self.below is not None

    @property
    def value(self) -> float | None:
        if self.below is None or self.above is None:
            return None
        return 0.5 * (self.below + self.above)

    def sentence(self) -> str:
        if not self.found:
            return (
                f"{self.plant} is {self.steps[0].state} in {self.period} at both {self.knob} = "
                f"{self.low:g} and {self.high:g}: no break-even in that range"
            )
        assert self.value is not None
        return (
            f"{self.plant} switches from {self.state_below} to {self.state_above} in "
            f"{self.period} at {self.knob} ≈ {self.value:.6g} (between {self.below:.6g} and "
            f"{self.above:.6g})"
        )

    def to_json(self) -> dict[str, object]:
        return {
            "case": self.case_name,
            "plant": self.plant,
            "period": self.period,
            "knob": self.knob,
            "low": self.low,
            "high": self.high,
            "tol": self.tol,
            "currency": self.currency,
            "found": self.found,
            "breakeven": self.value,
            "below": self.below,
            "above": self.above,
            "state_below": self.state_below,
            "state_above": self.state_above,
            "message": self.sentence(),
            "steps": [
                {"value": s.value, "state": s.state, "objective": s.objective} for s in self.steps
            ],
        }


def breakeven(
    case: Case,
    plant: str,
    knob: str | BoundKnob,
    low: float,
    high: float,
    *,
    period: str | None = None,
    tol: float | None = None,
    model_options: ModelOptions | None = None,
    solve_options: SolveOptions | None = None,
    on_step: Callable[[Step], None] | None = None,
) -> Breakeven:
    """Bisect ``knob`` (a ``--vary`` spec) on [``low``, ``high``] for the value where
    ``plant``'s optimal state in ``period`` changes; stops when the bracket is narrower than
    ``tol`` (default: a thousandth of the range)."""
    model_options = model_options or ModelOptions()
    solve_options = solve_options or SolveOptions()
    if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        raise UsageError(f"--low must be below --high; found low {low:g}, high {high:g}")
    if low < 0:
        raise UsageError(f"a knob is a multiplier, so --low must be 0 or more; found {low:g}")
    width = high - low
    tol = width * DEFAULT_TOL_SHARE if tol is None else tol
    if not math.isfinite(tol) or tol <= 0:
        raise UsageError(f"--tol must be a positive number; found {tol:g}")
    check_name(plant, case["plants"]["id"].to_list(), "plant")
    bound = parse_knob(knob, case) if isinstance(knob, str) else knob
    planned = _planned(case, model_options)
    if period is None:
        period = planned[0]
    elif period not in planned:
        check_name(period, planned, "planned period")
    steps: list[Step] = []

    def state_at(value: float) -> Step:
        changed, options = bound.apply(case, model_options, value)
        results = solve_case(changed, options, solve_options, reference=False, duals=False)
        outcome = results.outcome
        if not outcome.status.has_plan or outcome.objective is None:
            reasons = "; ".join(results.explanation) or outcome.termination
            raise MillnetError(f"no plan at {bound.spec} = {value:g}: {reasons}")
        states = results["plant_states"].filter(
            (pl.col("plant") == plant) & (pl.col("period") == period)
        )
        step = Step(value=value, state=states["state"][0], objective=outcome.objective)
        steps.append(step)
        if on_step is not None:
            on_step(step)
        return step

    first, last = state_at(low), state_at(high)
    assert case.meta is not None
    result = Breakeven(
        case_name=case.name,
        plant=plant,
        period=period,
        knob=bound.spec,
        low=low,
        high=high,
        tol=tol,
        currency=case.meta.currency,
        steps=(),
    )
    if first.state == last.state:
        return _with(result, steps)
    left, right = first, last
    while right.value - left.value > tol:
        middle = state_at(0.5 * (left.value + right.value))
        if middle.state == first.state:
            left = middle
        else:
            right = middle
    return _with(
        result,
        steps,
        below=left.value,
        above=right.value,
        state_below=left.state,
        state_above=right.state,
    )


def _with(result: Breakeven, steps: list[Step], **found: object) -> Breakeven:
    return dataclasses.replace(result, steps=tuple(steps), **found)  # type: ignore[arg-type]


def _planned(case: Case, options: ModelOptions) -> list[str]:
    assert case.meta is not None
    periods = case["periods"].sort("order")["id"].to_list()
    start = options.plan_from or case.meta.plan_from or periods[0]
    check_name(start, periods, "period to plan from")
    return periods[periods.index(start) :]
