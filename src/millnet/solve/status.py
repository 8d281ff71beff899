"""Normalised solver outcomes: a status/termination pair and a frozen outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np


class Status(StrEnum):
    #: Proven optimal within the requested gap.
    OPTIMAL = "optimal"
    #: Stopped (time limit) with a plan; the gap says how far from proven.
    FEASIBLE = "feasible"
    #: No plan exists.
    INFEASIBLE = "infeasible"
    #: Stopped with no plan.
    TIMEOUT = "timeout"
    #: The solver failed.
    ERROR = "error"

    @property
    def has_plan(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass(frozen=True, eq=False)
class SolveOutcome:
    status: Status
    #: The solver's own word for why it stopped (e.g. "Optimal", "Time limit reached").
    termination: str
    #: Objective in the model's own sense (cost, or margin for the margin objective).
    objective: float | None
    bound: float | None
    gap: float | None
    solver: str
    solve_s: float
    #: Primal value of every variable label (NaN where absent); empty without a plan.
    values: np.ndarray = field(repr=False, default_factory=lambda: np.empty(0))
    log: str = field(repr=False, default="")
    #: True when the watchdog stopped a solver that overran its time limit.
    stopped_by_watchdog: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status.value,
            "termination": self.termination,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "solver": self.solver,
        }
