"""Row duals of a solved plan: the LP left once every integer decision is fixed.

A MIP has no duals; a plan does once its decisions (plant states, qualifications bought,
single-source choices) are taken as given. The remaining LP (who ships what, within capacity)
is solved by HiGHS with every integer column fixed at the plan's value, and the dual of a row
is then the marginal change of the objective per unit of the row's right-hand side, with the
plan's decisions held. That is the question a planner asks of a capacity row: with this plant
running, what is one more unit of this resource worth?
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import linopy
import numpy as np

from millnet.errors import MillnetError
from millnet.model.build import BuiltModel
from millnet.solve._stdout import stdout_to_stderr
from millnet.solve.options import SolveOptions
from millnet.solve.status import SolveOutcome


@dataclass(frozen=True, eq=False)
class RowDuals:
    """Duals of some constraint families of the fixed-decision LP.

    ``duals[name]`` has one value per row of the family, in the order of the family's labels
    (NaN for masked rows): ∂(objective as minimised)/∂(right-hand side), in the case currency
    per unit of the row. The model minimises cost, or −margin for the margin objective, so a
    negative dual on a ``≤`` row means relaxing the row improves the plan.
    """

    #: HiGHS's word for how the LP ended ("Optimal" when the duals are meaningful).
    termination: str
    #: Objective of the LP (the plan's objective when the fixed decisions are the plan's).
    objective: float | None
    duals: Mapping[str, np.ndarray] = field(default_factory=dict)
    solve_s: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "duals", MappingProxyType(dict(self.duals)))

    @property
    def optimal(self) -> bool:
        return self.termination == "Optimal"


def integer_columns(m: linopy.Model) -> np.ndarray:
    """Variable labels of every binary or integer variable of the model."""
    parts = [np.empty(0, dtype=np.int64)]
    for _, var in m.variables.items():
        if var.attrs["binary"] or var.attrs["integer"]:
            lab = np.asarray(var.labels.values).ravel()
            parts.append(lab[lab >= 0].astype(np.int64))
    return np.concatenate(parts)


def fixed_lp_duals(
    built: BuiltModel,
    outcome: SolveOutcome,
    names: Sequence[str] = ("Resource-capacity",),
    options: SolveOptions | None = None,
) -> RowDuals:
    """Fix every integer variable of ``built`` at its value in ``outcome``, solve the LP left
    with HiGHS and return the row duals of the families ``names`` (absent families: empty).

    Raise :class:`MillnetError` when ``outcome`` holds no plan to fix.
    """
    options = options or SolveOptions()
    if outcome.values.size == 0:
        raise MillnetError("there is no plan to price: the solve found none")
    m = built.model
    start = time.perf_counter()
    with stdout_to_stderr(show=options.log):
        h = linopy.io.to_highspy(m)
        h.setOptionValue("output_flag", options.log)
        if options.threads is not None:
            # the same thread count as the plan's solve: HiGHS keeps one pool per process
            h.setOptionValue("threads", int(options.threads))
        if options.time_limit is not None:
            h.setOptionValue("time_limit", float(options.time_limit))
        position = m.variables.label_index.label_to_pos
        fixed = integer_columns(m)
        if fixed.size:
            value = np.rint(np.nan_to_num(outcome.values[fixed]))
            columns = position[fixed].astype(np.int32)
            # binaries are never scaled, so the solver's column is the value itself
            h.changeColsBounds(columns.size, columns, value, value)
            h.changeColsIntegrality(columns.size, columns, np.zeros(columns.size, dtype=np.uint8))
        h.run()
        word = h.modelStatusToString(h.getModelStatus())
        solution = h.getSolution()
        row_dual = np.asarray(solution.row_dual, dtype=float)
        objective = float(h.getInfo().objective_function_value)
    seconds = time.perf_counter() - start
    if word != "Optimal" or not solution.dual_valid:
        return RowDuals(termination=word, objective=None, solve_s=seconds)
    scale = float(m.objective.scaling)
    row_position = m.constraints.label_index.label_to_pos
    duals: dict[str, np.ndarray] = {}
    for name in names:
        if name not in m.constraints:
            duals[name] = np.empty(0)
            continue
        con = m.constraints[name]
        lab = np.asarray(con.labels.values).ravel()
        row_scale = np.asarray(con.scaling.values, dtype=float).ravel()
        values = np.full(lab.shape, np.nan)
        active = lab >= 0
        # the solver's row is the model's row × its scaling, its objective the model's × scale
        values[active] = row_dual[row_position[lab[active]]] * row_scale[active] / scale
        duals[name] = values
    return RowDuals(termination=word, objective=objective / scale, duals=duals, solve_s=seconds)
