"""Build the planning model: variables, constraint families and objective, in a fixed order.

Each ``define_*`` function adds one family under a stable name and states its equation in its
docstring. Symbols used throughout: plants p, planned periods t = 0 … T−1, lanes l (a demand row
d(l) served from plant p(l) in period t(l)), demand rows d with quantity q_d, capacity rows
(plant-resource pairs) r. The state before t = 0 is the plant's initial state (s⁰).

Flows are shares: x_l ∈ [0, 1] is the share of q_{d(l)} that lane l serves, so the mass shipped
on the lane is q_{d(l)} x_l (results report masses). Shares keep every demand row and linking
row on the scale of 1 whatever the order sizes, as a textbook facility-location model does.
Where only capacity rows link flows to plants (weak linking), the solver is given masses
instead: linopy scales the flow and unmet columns by q and the rows holding one share each
(Demand-balance, Qualification-lane, Single-source-lane) by q, so HiGHS solves
Σ_l x'_l + u'_d = q_d with x'_l = q_{d(l)} x_l, while the rows written here stay as stated.
"""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import numpy as np
import pandas as pd
import polars as pl
from linopy.csr import CSRLinearExpression

from millnet.errors import MillnetError
from millnet.model.data import STATE_CODE, STATES, ModelData
from millnet.model.terms import constrain, labels, linear_sum, pack, variables


@dataclass(frozen=True, eq=False)
class BuiltModel:
    """The linopy model and what is needed to read its solution back."""

    model: linopy.Model
    data: ModelData
    #: The planning objective's sense: ``min`` (cost) or ``max`` (margin).
    sense: str
    #: Whether any variable is binary or integer (a MIP: the solver reports a bound and gap).
    has_integers: bool = True
    #: The solver's column of a variable is its value × this, by variable label (None: 1).
    solver_scale: np.ndarray | None = None

    def to_lp(self, path: str) -> None:
        self.model.to_file(path, io_api="lp")


def _plant_period_coords(data: ModelData) -> list[pd.Index]:
    return [
        pd.RangeIndex(data.n_plants, name="plant"),
        pd.RangeIndex(data.n_periods, name="period"),
    ]


def _lagged(var_labels: np.ndarray, k: int, active: np.ndarray) -> np.ndarray:
    """Labels of v_{p,t−k} (−1 where t − k < 0 or the plant's window is shorter)."""
    shifted = np.roll(var_labels, k, axis=1)
    shifted[:, :k] = -1
    return np.where(active, shifted, -1)


def _rows(
    m: linopy.Model, data: ModelData, parts: list[tuple[np.ndarray, float | np.ndarray]]
) -> CSRLinearExpression:
    """Σ of plant × period label grids with coefficients, one row per (plant, period) cell."""
    n = data.n_plants * data.n_periods
    cell = np.arange(n)
    rows = [cell] * len(parts)
    lbl = [grid.ravel() for grid, _ in parts]
    cf = [
        np.broadcast_to(np.asarray(c, dtype=float), (data.n_plants, data.n_periods)).ravel()
        for _, c in parts
    ]
    return pack(m, "cell", n, np.concatenate(rows), np.concatenate(lbl), np.concatenate(cf))


def _initial(data: ModelData, state: str) -> np.ndarray:
    """s⁰_p at t = 0 and 0 elsewhere, as a flat cell vector (the constant of s_{p,t−1})."""
    grid = np.zeros((data.n_plants, data.n_periods))
    grid[:, 0] = (data.initial_state == STATE_CODE[state]).astype(float)
    return grid.ravel()


def _cells(data: ModelData, by_plant: np.ndarray) -> np.ndarray:
    """A per-plant flag on every (plant, period) cell, flat."""
    return np.repeat(np.asarray(by_plant, dtype=bool), data.n_periods)


def _later_or(data: ModelData, at_start: np.ndarray) -> np.ndarray:
    """Every cell with t > 0, and the t = 0 cells of the plants flagged in ``at_start`` (flat):
    the rows of a family comparing s_{p,t} with s_{p,t−1} that are not trivial, as at t = 0 the
    known s⁰ makes a row trivial for some initial states."""
    grid = np.ones((data.n_plants, data.n_periods), dtype=bool)
    grid[:, 0] = at_start
    return grid.ravel()


def needs_restart(data: ModelData) -> bool:
    """Whether the model needs restart variables: a plant pays for restarting, or has a
    restart lead."""
    return bool(np.any(data.cost_to_restart != 0) or np.any(data.restart_lead > 0))


def needs_to_idle(data: ModelData) -> bool:
    """Whether the model needs to_idle variables: a plant pays for idling, or has a minimum
    idle time."""
    return bool(np.any(data.cost_to_idle != 0) or np.any(data.min_idle > 1))


def solver_masses(data: ModelData) -> bool:
    """Whether the solver is given masses rather than shares (weak linking: measured faster
    where capacity rows alone link flows to plants; shares are where Lane-link rows do)."""
    return not strong_linking(data)


def _row_mass(data: ModelData, demand_rows: np.ndarray | None = None) -> np.ndarray | None:
    """q_d of the given demand rows (all by default) as a solver scale (1 where q_d = 0), or
    None when the solver is given shares."""
    if not solver_masses(data):
        return None
    quantity = data.demand["quantity"].to_numpy()
    if demand_rows is not None:
        quantity = quantity[demand_rows]
    return np.where(quantity > 0, quantity, 1.0)


def define_flows(m: linopy.Model, data: ModelData) -> None:
    """Flow and unmet variables, as shares of the demand row: x_l ≥ 0 on every lane (the share
    of q_{d(l)} served by lane l), u_d ≥ 0 for every demand row (the share unmet); Demand-balance
    bounds both by 1.
    """
    lane_demand = data.lanes["demand"].to_numpy()
    lanes = [pd.RangeIndex(data.lanes.height, name="lane")]
    variables(m, "flow", lanes, scaling=_row_mass(data, lane_demand))
    demand = [pd.RangeIndex(data.demand.height, name="demand")]
    variables(m, "unmet", demand, scaling=_row_mass(data))


def define_plant_states(m: linopy.Model, data: ModelData) -> None:
    """Plant-state: one state per plant and period.

    run_{p,t} + idle_{p,t} + closed_{p,t} = 1, all binary; closed_{p,t} = 0 when closures are
    forbidden (but for plants closed at the start); a forced state fixes its variable to 1.
    """
    shape = (data.n_plants, data.n_periods)
    lower = {state: np.zeros(shape) for state in STATES}
    for plant, period, state in data.options.force_states:
        p, t = _locate(data, plant, period)
        if state not in STATES:
            raise MillnetError(f"unknown state '{state}'; expected one of {', '.join(STATES)}")
        if state == "closed" and data.options.forbid_closures and data.initial_state[p] != 2:
            raise MillnetError(
                f"plant {plant} is forced closed in {period} while closures are forbidden"
            )
        lower[state][p, t] = 1.0
    # forbidding closures leaves a plant closed at the start closed (closure is final)
    closable = (data.initial_state == STATE_CODE["closed"]) | (not data.options.forbid_closures)
    for state in STATES:
        upper = np.ones(shape)
        if state == "closed":
            upper = np.broadcast_to(closable[:, None], shape).astype(float)
        variables(
            m,
            state,
            _plant_period_coords(data),
            lower[state],
            np.maximum(upper, lower[state]),
            binary=True,
        )
    lhs = _rows(m, data, [(labels(m[state]), 1.0) for state in STATES])
    constrain(m, "Plant-state-one", lhs, "=", 1.0)


def _locate(data: ModelData, plant: str, period: str) -> tuple[int, int]:
    if plant not in data.plants:
        raise MillnetError(f"unknown plant '{plant}' in a forced state")
    if period not in data.periods:
        raise MillnetError(f"period '{period}' of a forced state is not a planned period")
    return data.plants.index(plant), data.periods.index(period)


def define_plant_transitions(m: linopy.Model, data: ModelData) -> None:
    """Plant-transition: restarts, idlings and closures, and closed being final.

    restart_{p,t} ≥ run_{p,t} − run_{p,t−1};  to_idle_{p,t} ≥ idle_{p,t} − idle_{p,t−1};
    closed_{p,t} ≥ closed_{p,t−1} (closure is final, so close_{p,t} = closed_{p,t} −
    closed_{p,t−1} ≥ 0 needs no variable). restart, to_idle ∈ [0, 1] are continuous: at the
    optimum they equal the increase, since they only carry costs (where a restart lead makes
    restart also lower output, Plant-restart-exact pins it). s_{p,−1} is the initial state; rows
    at t = 0 that the initial state makes trivial (a plant running at the start cannot restart
    at t = 0, …) are left out. restart (to_idle) and its rows are left out of a model where no
    plant pays for a restart (idling) nor has a restart lead (minimum idle time): they would
    carry nothing (results derive transitions from the states).
    """
    every = np.ones((data.n_plants, data.n_periods), dtype=bool)
    for name, state, transition, needed in (
        ("Plant-restart", "running", "restart", needs_restart(data)),
        ("Plant-idle", "idle", "to_idle", needs_to_idle(data)),
    ):
        if not needed:
            continue
        variables(m, transition, _plant_period_coords(data), 0.0, 1.0)
        now = labels(m[state])
        lhs = _rows(
            m, data, [(labels(m[transition]), 1.0), (now, -1.0), (_lagged(now, 1, every), 1.0)]
        )
        rhs = -_initial(data, state)
        # restart_{p,0} ≥ run_{p,0} − 1 is trivial for a plant running at the start
        mask = _later_or(data, data.initial_state != STATE_CODE[state])
        constrain(m, name, lhs, ">=", rhs, mask=mask)
    closed = labels(m["closed"])
    lhs = _rows(m, data, [(closed, 1.0), (_lagged(closed, 1, every), -1.0)])
    rhs = _initial(data, "closed")
    # at t = 0 only a plant closed at the start has a row (closed_{p,0} ≥ 1)
    mask = _later_or(data, data.initial_state == STATE_CODE["closed"])
    constrain(m, "Plant-closed-final", lhs, ">=", rhs, mask=mask)


def _window(
    var_labels: np.ndarray, lengths: np.ndarray, data: ModelData, coeff: float
) -> list[tuple[np.ndarray, float]]:
    """Σ_{k < K_p} v_{p,t−k} as label grids (one per lag)."""
    parts = []
    for k in range(int(lengths.max(initial=0))):
        active = np.broadcast_to((lengths > k)[:, None], (data.n_plants, data.n_periods))
        parts.append((_lagged(var_labels, k, active), coeff))
    return parts


def define_plant_min_idle(m: linopy.Model, data: ModelData) -> None:
    """Plant-min-idle: a plant that goes idle stays idle (or closes) for M_p periods.

    Σ_{k < M_p} to_idle_{p,t−k} ≤ idle_{p,t} + closed_{p,t}. A plant idle at the start is taken
    to have been idle long enough.
    """
    if int(data.min_idle.max(initial=0)) <= 1:
        return
    parts = _window(labels(m["to_idle"]), data.min_idle, data, 1.0)
    parts += [(labels(m["idle"]), -1.0), (labels(m["closed"]), -1.0)]
    constrain(
        m, "Plant-min-idle", _rows(m, data, parts), "<=", 0.0, mask=_cells(data, data.min_idle > 1)
    )


@dataclass(frozen=True)
class Producing:
    """producing_{p,t} = run_{p,t} − Σ_{k < L_p} restart_{p,t−k}, as term arrays by (p, t)."""

    labels: np.ndarray  # plant × period × terms
    coeffs: np.ndarray

    def at(self, plant: np.ndarray, period: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.labels[plant, period], self.coeffs[plant, period]


def define_plant_restart_lead(m: linopy.Model, data: ModelData) -> Producing:
    """Plant-restart-lead: a restarted plant runs (and pays running cost) L_p periods before it
    produces, and does not idle again during them.

    Σ_{k < L_p} restart_{p,t−k} ≤ run_{p,t};  producing_{p,t} = run_{p,t} − Σ_{k < L_p}
    restart_{p,t−k} (= run_{p,t} when L_p = 0).

    Plant-restart-exact: restart_{p,t} + run_{p,t−1} ≤ 1 where L_p > 0. With the row above
    (k = 0) it makes restart exactly the increase of run: a restart lowers producing, so a free
    restart would otherwise let a plant run without output (and escape its minimum output).
    """
    run = labels(m["running"])
    width = int(data.restart_lead.max(initial=0))
    term_labels = np.full((data.n_plants, data.n_periods, 1 + width), -1, dtype=np.int64)
    term_coeffs = np.zeros((data.n_plants, data.n_periods, 1 + width))
    term_labels[:, :, 0] = run
    term_coeffs[:, :, 0] = 1.0
    if not width:
        return Producing(term_labels, term_coeffs)
    restart = labels(m["restart"])
    for k in range(width):
        active = np.broadcast_to((data.restart_lead > k)[:, None], run.shape)
        term_labels[:, :, 1 + k] = _lagged(restart, k, active)
        term_coeffs[:, :, 1 + k] = np.where(term_labels[:, :, 1 + k] >= 0, -1.0, 0.0)
    leads = _cells(data, data.restart_lead > 0)
    parts = [*_window(restart, data.restart_lead, data, 1.0), (run, -1.0)]
    constrain(m, "Plant-restart-lead", _rows(m, data, parts), "<=", 0.0, mask=leads)
    every = np.ones(run.shape, dtype=bool)
    lhs = _rows(m, data, [(restart, 1.0), (_lagged(run, 1, every), 1.0)])
    # at t = 0 only a plant running at the start has a row (restart_{p,0} ≤ 0)
    exact = leads & _later_or(data, data.initial_state == STATE_CODE["running"])
    rhs = 1 - _initial(data, "running")
    constrain(m, "Plant-restart-exact", lhs, "<=", rhs, mask=exact)
    return Producing(term_labels, term_coeffs)


def define_plant_counts(m: linopy.Model, data: ModelData) -> None:
    """Plant-count: at most k plants idle in any period, at most k plants closed by the plan.

    Σ_p idle_{p,t} ≤ k_idle;  Σ_p closed_{p,t} ≤ k_closed + |{p : s⁰_p = closed}| (plants
    closed before the plan do not count against the limit).
    """
    T = data.n_periods
    period = np.tile(np.arange(T), data.n_plants)
    limits = []
    if data.options.max_idle is not None:
        limits.append(("Plant-count-idle", "idle", data.options.max_idle))
    if data.options.max_closed is not None:
        already = int((data.initial_state == STATE_CODE["closed"]).sum())
        limits.append(("Plant-count-closed", "closed", data.options.max_closed + already))
    for name, state, limit in limits:
        state_labels = labels(m[state]).ravel()
        lhs = pack(m, "period", T, period, state_labels, np.ones(state_labels.size))
        constrain(m, name, lhs, "<=", float(limit))


def define_demand_balance(m: linopy.Model, data: ModelData) -> None:
    """Demand-balance: every demand row is served or reported unmet.

    Σ_{l: d(l) = d} x_l + u_d = 1.
    """
    n = data.demand.height
    lane_demand = data.lanes["demand"].to_numpy()
    row = np.concatenate([lane_demand, np.arange(n)])
    label = np.concatenate([labels(m["flow"]), labels(m["unmet"])])
    lhs = pack(m, "demand", n, row, label, np.ones(row.size))
    constrain(m, "Demand-balance", lhs, "=", 1.0, scaling=_row_mass(data))


def _flatten(
    row: np.ndarray, term_labels: np.ndarray, term_coeffs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of (row, terms) arrays as flat (row, label, coeff) lists."""
    width = term_labels.shape[1]
    return np.repeat(row, width), term_labels.ravel(), term_coeffs.ravel()


#: Up to this many lanes, ``linking="auto"`` adds the strong Lane-link rows.
STRONG_LINKING_MAX_LANES = 20_000


def strong_linking(data: ModelData) -> bool:
    mode = data.options.linking
    return mode == "strong" or (mode == "auto" and data.lanes.height <= STRONG_LINKING_MAX_LANES)


def define_lane_link(m: linopy.Model, data: ModelData, producing: Producing) -> None:
    """Lane-link: a lane carries flow only from a producing plant (the strong linking rows).

    x_l ≤ producing_{p(l), t(l)}. Implied by Resource-capacity for integer plant states, they
    tighten the LP relaxation; option ``linking`` leaves them out (weak) on large cases, where
    their LP costs more time than their bound saves.
    """
    n = data.lanes.height
    if n == 0 or not strong_linking(data):
        return
    p_labels, p_coeffs = producing.at(
        data.lanes["plant"].to_numpy(), data.lanes["period"].to_numpy()
    )
    rows, lbl, cf = _flatten(np.arange(n), p_labels, -p_coeffs)
    lhs = pack(
        m,
        "lane",
        n,
        np.concatenate([np.arange(n), rows]),
        np.concatenate([labels(m["flow"]), lbl]),
        np.concatenate([np.ones(n), cf]),
    )
    constrain(m, "Lane-link", lhs, "<=", 0.0)


def define_capacity(m: linopy.Model, data: ModelData, producing: Producing) -> None:
    """Resource-capacity: load within capacity, and none unless the plant produces.

    Σ_{l: p(l) = p(r), t(l) = t} a_{l,r} q_{d(l)} x_l ≤ C_r · producing_{p(r),t}, where a_{l,r}
    = usage ÷ yield of the product's routing step on resource r (per unit shipped).
    """
    n_pr = data.resources.height
    if n_pr == 0:
        return
    T = data.n_periods
    lane = data.loads["lane"].to_numpy()
    lane_period = data.lanes["period"].to_numpy()
    quantity = data.demand["quantity"].to_numpy()[data.lanes["demand"].to_numpy()]
    load_row = data.loads["pr"].to_numpy() * T + lane_period[lane]
    cells = np.arange(n_pr * T)
    pr_plant = np.repeat(data.resources["plant"].to_numpy(), T)
    cell_period = np.tile(np.arange(T), n_pr)
    capacity = np.repeat(data.resources["capacity"].to_numpy(), T)
    p_labels, p_coeffs = producing.at(pr_plant, cell_period)
    rows, lbl, cf = _flatten(cells, p_labels, -capacity[:, None] * p_coeffs)
    lhs = pack(
        m,
        "cell",
        n_pr * T,
        np.concatenate([load_row, rows]),
        np.concatenate([labels(m["flow"])[lane], lbl]),
        np.concatenate([data.loads["coef"].to_numpy() * quantity[lane], cf]),
    )
    constrain(m, "Resource-capacity", lhs, "<=", 0.0)


def define_min_output(m: linopy.Model, data: ModelData, producing: Producing) -> None:
    """Plant-min-output: a producing plant ships at least its minimum output.

    Σ_{l: p(l) = p, t(l) = t} q_{d(l)} x_l ≥ O_p · producing_{p,t}.
    """
    if float(data.min_output.max(initial=0)) <= 0:
        return
    T = data.n_periods
    n = data.n_plants * T
    lane_row = data.lanes["plant"].to_numpy() * T + data.lanes["period"].to_numpy()
    quantity = data.demand["quantity"].to_numpy()[data.lanes["demand"].to_numpy()]
    plant = np.repeat(np.arange(data.n_plants), T)
    period = np.tile(np.arange(T), data.n_plants)
    minimum = np.repeat(data.min_output, T)
    p_labels, p_coeffs = producing.at(plant, period)
    rows, lbl, cf = _flatten(np.arange(n), p_labels, -minimum[:, None] * p_coeffs)
    lhs = pack(
        m,
        "cell",
        n,
        np.concatenate([lane_row, rows]),
        np.concatenate([labels(m["flow"]), lbl]),
        np.concatenate([quantity, cf]),
    )
    constrain(m, "Plant-min-output", lhs, ">=", 0.0, mask=minimum > 0)


def define_qualification(m: linopy.Model, data: ModelData) -> None:
    """Qualification: a qualifiable lane carries flow only once its plant is qualified, which is
    bought once and takes effect after its lead time.

    Σ_t buy_{g,t} ≤ 1;  x_l ≤ Σ_{τ ≤ t(l) − λ_g} buy_{g,τ} for lanes l of group g.
    """
    groups = data.qualifications
    if groups.height == 0:
        return
    T = data.n_periods
    coords = [pd.RangeIndex(groups.height, name="group"), pd.RangeIndex(T, name="period")]
    buy = variables(m, "qualify", coords, 0.0, 1.0, binary=True)
    once = pack(m, "group", groups.height, np.repeat(np.arange(groups.height), T), buy.ravel(), 1.0)
    constrain(m, "Qualification-once", once, "<=", 1.0)
    lanes = data.lanes.filter(pl.col("group").is_not_null())
    n = lanes.height
    group = lanes["group"].to_numpy()
    effective = lanes["period"].to_numpy() - groups["lead"].to_numpy()[group]
    buy_labels = buy[group]  # qlane × period
    counts = np.arange(T)[None, :] <= effective[:, None]
    buy_labels = np.where(counts, buy_labels, -1)
    rows, lbl, cf = _flatten(np.arange(n), buy_labels, np.full((n, T), -1.0))
    lhs = pack(
        m,
        "qlane",
        n,
        np.concatenate([np.arange(n), rows]),
        np.concatenate([labels(m["flow"])[lanes["lane"].to_numpy()], lbl]),
        np.concatenate([np.ones(n), cf]),
    )
    scaling = _row_mass(data, lanes["demand"].to_numpy())
    constrain(m, "Qualification-lane", lhs, "<=", 0.0, scaling=scaling)


def define_single_source(m: linopy.Model, data: ModelData) -> None:
    """Single-sourcing: each demand row is served whole by one plant, or left unmet.

    x_l = a_{k(l)}, a binary (a lane serves all of its row or nothing);  Σ_{k ∈ π} a_k ≤ 1. In
    mode ``period`` a key k is a lane and a group π a demand row; in mode ``horizon`` k is
    (customer, product, plant) and π (customer, product), so one plant serves the pair in every
    period.
    """
    mode = data.options.single_source
    lanes = data.lanes
    if mode == "off" or lanes.height == 0:
        return
    n = lanes.height
    if mode == "period":
        key = np.arange(n)
        key_group = lanes["demand"].to_numpy()
    else:
        pair_id = lanes["customer_id"] + "\x1f" + lanes["product_id"]
        keys = pl.DataFrame({"pair": pair_id, "plant": lanes["plant"]})
        key = (
            keys.select(
                (pl.col("pair") + "\x1f" + pl.col("plant").cast(pl.String)).rank("dense") - 1
            )
            .to_series()
            .to_numpy()
            .astype(np.int64)
        )
        group_of_lane = keys["pair"].rank("dense").to_numpy().astype(np.int64) - 1
        key_group = np.zeros(int(key.max()) + 1, dtype=np.int64)
        key_group[key] = group_of_lane
    n_keys = int(key.max()) + 1
    assign = variables(m, "assign", [pd.RangeIndex(n_keys, name="key")], 0.0, 1.0, binary=True)
    lhs = pack(
        m,
        "lane",
        n,
        np.concatenate([np.arange(n), np.arange(n)]),
        np.concatenate([labels(m["flow"]), assign[key]]),
        np.concatenate([np.ones(n), np.full(n, -1.0)]),
    )
    scaling = _row_mass(data, lanes["demand"].to_numpy())
    constrain(m, "Single-source-lane", lhs, "=", 0.0, scaling=scaling)
    n_groups = int(key_group.max()) + 1
    lhs = pack(m, "group", n_groups, key_group, assign, 1.0)
    constrain(m, "Single-source-one", lhs, "<=", 1.0)


def define_moves(m: linopy.Model, data: ModelData) -> None:
    """Move-off: a customer and product moved off the plant that serves it today pays once.

    moved_g − Σ_{l ∈ L(d), p(l) ≠ p⁰_g} x_l ≥ 0 for every planned demand row d of pair g (a
    customer and product whose plant today p⁰_g is in the sourcing table), moved_g ∈ [0, 1] at
    cost M_g in the objective. moved_g is the largest share of any period's demand served
    elsewhere than p⁰_g: 1 for a moved pair under single sourcing; without it a partial move
    pays in proportion. Unmet demand is not a move (it pays its own penalty).
    """
    moves = data.moves
    if moves.height == 0:
        return
    rows = data.demand.select("demand", "customer_id", "product_id").join(
        moves.select("move", "customer_id", "product_id"),
        on=["customer_id", "product_id"],
        how="inner",
        validate="m:1",
    )
    if rows.height == 0:
        return
    moved = variables(m, "moved", [pd.RangeIndex(moves.height, name="move")], 0.0, 1.0)
    row_of_demand = np.full(data.demand.height, -1, dtype=np.int64)
    row_of_demand[rows["demand"].to_numpy()] = np.arange(rows.height)
    home = np.full(data.demand.height, -1, dtype=np.int64)
    home[rows["demand"].to_numpy()] = moves["plant"].to_numpy()[rows["move"].to_numpy()]
    lane_demand = data.lanes["demand"].to_numpy()
    lane_plant = data.lanes["plant"].to_numpy()
    away = (row_of_demand[lane_demand] >= 0) & (lane_plant != home[lane_demand])
    n = rows.height
    lhs = pack(
        m,
        "moved_row",
        n,
        np.concatenate([np.arange(n), row_of_demand[lane_demand[away]]]),
        np.concatenate([moved[rows["move"].to_numpy()], labels(m["flow"])[away]]),
        np.concatenate([np.ones(n), np.full(int(away.sum()), -1.0)]),
    )
    constrain(m, "Move-off", lhs, ">=", 0.0, scaling=_row_mass(data, rows["demand"].to_numpy()))


def define_objective(m: linopy.Model, data: ModelData) -> str:
    """Objective: total cost, or margin (revenue − cost) to maximise.

    cost = Σ_{p,t} (F^run_{p,t} run + F^idle_{p,t} idle + C^restart restart + C^idle to_idle +
    C^close (closed_{p,t} − closed_{p,t−1})) + Σ_l c_l q_{d(l)} x_l + Σ_g K_g Σ_t buy_{g,t} +
    Σ_d π_d q_d u_d + Σ_g M_g moved_g, with c_l = variable + freight + duty + metal cost per
    unit. margin =
    Σ_l ρ_{d(l)} q_{d(l)} x_l − cost without the unmet term; it is solved as min −margin.
    """
    every = np.ones((data.n_plants, data.n_periods), dtype=bool)
    closed = labels(m["closed"])
    # closed_{p,−1} = s⁰: a plant closed at the start has closed_{p,0} = 1 and pays nothing at
    # t = 0 (C·1 − C·s⁰ = 0), so its t = 0 term is dropped (linopy objectives hold no constant)
    close_now = data.cost_to_close.copy()
    close_now[data.initial_state == STATE_CODE["closed"], 0] = 0.0
    grids = [
        (labels(m["running"]), data.fixed_running),
        (labels(m["idle"]), data.fixed_idle),
        (closed, close_now),
        (_lagged(closed, 1, every), -data.cost_to_close),
    ]
    # without restart (to_idle) variables, no plant pays for a restart (idling)
    if "restart" in m.variables:
        grids.append((labels(m["restart"]), data.cost_to_restart))
    if "to_idle" in m.variables:
        grids.append((labels(m["to_idle"]), data.cost_to_idle))
    lbl = [g.ravel() for g, _ in grids]
    cf = [c.ravel() for _, c in grids]
    lanes = data.lanes
    unit = (lanes["variable"] + lanes["freight"] + lanes["duty"] + lanes["metal"]).to_numpy()
    margin = data.options.objective == "margin"
    lane_demand = lanes["demand"].to_numpy()
    if margin:
        unit = unit - data.demand["revenue"].to_numpy()[lane_demand]
    quantity = data.demand["quantity"].to_numpy()
    lbl.append(labels(m["flow"]))
    cf.append(unit * quantity[lane_demand])
    if data.qualifications.height:
        lbl.append(labels(m["qualify"]).ravel())
        cf.append(np.repeat(data.qualifications["cost"].to_numpy(), data.n_periods))
    if not margin:
        lbl.append(labels(m["unmet"]))
        cf.append(data.demand["penalty"].to_numpy() * quantity)
    if "moved" in m.variables:
        lbl.append(labels(m["moved"]))
        cf.append(data.moves["cost"].to_numpy())
    m.add_objective(linear_sum(m, np.concatenate(lbl), np.concatenate(cf)), sense="min")
    return "max" if margin else "min"


def build(data: ModelData) -> BuiltModel:
    """The model of ``data``: families in a fixed order, nothing solved."""
    m = linopy.Model(force_dim_names=True)
    define_flows(m, data)
    define_plant_states(m, data)
    define_plant_transitions(m, data)
    define_plant_min_idle(m, data)
    producing = define_plant_restart_lead(m, data)
    define_plant_counts(m, data)
    define_demand_balance(m, data)
    define_lane_link(m, data, producing)
    define_capacity(m, data, producing)
    define_min_output(m, data, producing)
    define_qualification(m, data)
    define_single_source(m, data)
    define_moves(m, data)
    sense = define_objective(m, data)
    has_integers = any(
        (var.attrs["binary"] or var.attrs["integer"]) and var.size for _, var in m.variables.items()
    )
    solver_scale = None
    if solver_masses(data):
        solver_scale = np.ones(m._xCounter)
        solver_scale[labels(m["flow"])] = _row_mass(data, data.lanes["demand"].to_numpy())
        solver_scale[labels(m["unmet"])] = _row_mass(data)
    return BuiltModel(
        model=m, data=data, sense=sense, has_integers=has_integers, solver_scale=solver_scale
    )
