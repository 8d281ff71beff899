"""A MIP start: a known plan's decisions handed to HiGHS before it solves a related case.

Scenarios of one case share its plants and periods, and their optimal plans mostly agree on
which plant runs when. A plan solved once (the base case, or a sweep's first scenario) is a
near-optimal incumbent for every other scenario, so branch-and-bound starts with a small gap
instead of searching for its first good plan.

A start holds decisions by name, never by solver column: plant states by (plant, period) and
qualifications bought by (plant, key, period). Lanes differ between scenarios (dropping a
customer drops its lanes), so flows are not part of a start: HiGHS completes a start that
fixes the integer columns by solving the LP left (or a small MIP, bounded by its
``mip_max_start_nodes``, where some integer columns are not named). A start that does not fit
the case (a plant it lacks, a state its bounds forbid) loses only the entries that do not fit;
a start the case makes infeasible is dropped by HiGHS, which then solves as from cold. Either
way the answer is the case's own optimum: a start changes only how fast it is found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from millnet.model.data import STATES

if TYPE_CHECKING:  # the model builder imports linopy: not needed to state a start
    from millnet.model.build import BuiltModel


@dataclass(frozen=True)
class MipStart:
    """Decisions of a known plan, by name (see the module docstring)."""

    #: (plant, period, state) with state ``running``, ``idle`` or ``closed``.
    states: tuple[tuple[str, str, str], ...] = ()
    #: (plant, key, period) of every qualification the plan buys.
    qualified: tuple[tuple[str, str, str], ...] = ()
    #: What the start was taken from (a case or scenario name), for logs.
    source: str = ""

    def __post_init__(self) -> None:
        for plant, period, state in self.states:
            if state not in STATES:
                raise ValueError(
                    f"start state of plant '{plant}' in '{period}' is '{state}'; "
                    f"expected one of {', '.join(STATES)}"
                )

    def __len__(self) -> int:
        return len(self.states) + len(self.qualified)


def start_from_tables(tables: Mapping[str, pl.DataFrame], source: str = "") -> MipStart:
    """The start of a solved plan, from its result tables ``plant_states`` (plant, period,
    state, planned) and ``qualifications`` (plant, key, period); history periods are left
    out, as a case fixes them itself."""
    states = tables.get("plant_states")
    if states is None or states.height == 0:
        return MipStart(source=source)
    if "planned" in states.columns:
        states = states.filter(pl.col("planned"))
    bought = tables.get("qualifications")
    qualified: tuple[tuple[str, str, str], ...] = ()
    if bought is not None and bought.height:
        qualified = tuple(bought.select("plant", "key", "period").iter_rows())
    return MipStart(
        states=tuple(states.select("plant", "period", "state").iter_rows()),
        qualified=qualified,
        source=source,
    )


def start_columns(built: BuiltModel, start: MipStart) -> tuple[np.ndarray, np.ndarray]:
    """Solver column positions and values of ``start`` in ``built`` (in the solver's units),
    for HiGHS's sparse ``setSolution``.

    Entries naming a plant, period or qualification the model lacks are left out, and so is
    every state of a (plant, period) cell whose start value a bound of the model forbids (a
    forced state, closures forbidden): a cell is given whole or not at all, so that the
    start never contradicts Plant-state-one on its own."""
    m = built.model
    data = built.data
    labels: list[np.ndarray] = []
    values: list[np.ndarray] = []
    plant_of = {name: p for p, name in enumerate(data.plants)}
    period_of = {name: t for t, name in enumerate(data.periods)}
    cells = [
        (plant_of[plant], period_of[period], state)
        for plant, period, state in start.states
        if plant in plant_of and period in period_of
    ]
    if cells and all(state in m.variables for state in STATES):
        p = np.array([c[0] for c in cells], dtype=np.int64)
        t = np.array([c[1] for c in cells], dtype=np.int64)
        chosen = np.array([c[2] for c in cells])
        grid_labels = [np.asarray(m.variables[s].labels.values)[p, t] for s in STATES]
        grid_values = [(chosen == s).astype(float) for s in STATES]
        fits = np.ones(len(cells), dtype=bool)
        for s, value in zip(STATES, grid_values, strict=True):
            lower = np.asarray(m.variables[s].lower.values)[p, t]
            upper = np.asarray(m.variables[s].upper.values)[p, t]
            fits &= (lower <= value) & (value <= upper)
        for lab, value in zip(grid_labels, grid_values, strict=True):
            keep = fits & (lab >= 0)
            labels.append(lab[keep])
            values.append(value[keep])
    if "qualify" in m.variables and data.qualifications.height:
        groups = data.qualifications
        group_of = {
            (data.plants[plant], key): g
            for g, plant, key in zip(
                groups["group"].to_list(),
                groups["plant"].to_list(),
                groups["key"].to_list(),
                strict=True,
            )
        }
        grid = np.asarray(m.variables["qualify"].labels.values)
        # a group the start does not buy in any period is not bought: give all its periods
        bought = np.zeros(grid.shape)
        named = np.zeros(grid.shape[0], dtype=bool)
        for plant, key, period in start.qualified:
            g = group_of.get((plant, key))
            if g is not None and period in period_of:
                bought[g, period_of[period]] = 1.0
                named[g] = True
        start_plants = {plant for plant, _, _ in start.states} | {q[0] for q in start.qualified}
        for (plant, _), g in group_of.items():
            named[g] |= plant in start_plants
        labels.append(grid[named].ravel())
        values.append(bought[named].ravel())
    if not labels:
        return np.empty(0, dtype=np.int32), np.empty(0)
    label = np.concatenate(labels).astype(np.int64)
    value = np.concatenate(values)
    if built.solver_scale is not None:
        value = value * built.solver_scale[label]
    position = m.variables.label_index.label_to_pos[label]
    return position.astype(np.int32), value


def set_start(h: object, built: BuiltModel, start: MipStart | None) -> int:
    """Hand ``start`` to the HiGHS object ``h`` holding ``built`` (before it runs); return the
    number of columns given (0: nothing of the start fits the model)."""
    if start is None:
        return 0
    index, value = start_columns(built, start)
    if index.size:
        h.setSolution(int(index.size), index, value)  # type: ignore[attr-defined]
    return int(index.size)


__all__ = ["MipStart", "set_start", "start_columns", "start_from_tables"]
