"""The value of capacity: shadow prices of the capacity rows at the plan's decisions.

With every plant state, qualification and single-source choice held at the plan's values, the
dual of Resource-capacity row r (plant p, period t) says how much one more unit of C_r would
save. The row reads Σ a q x ≤ C_r · producing_{p,t}, so one more unit of capacity raises its
right-hand side by producing_{p,t}: the value is −y_r · producing_{p,t}, zero at a plant that
does not produce (more capacity there saves nothing while it stays idle).

Under single sourcing the choice of plant for each demand row is a decision held too, so no
flow can move to use more capacity and every shadow price is zero: the value of capacity is
then a question for a re-plan (``millnet breakeven --vary capacity:PLANT``).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from millnet.model.build import BuiltModel
from millnet.model.data import STATE_CODE, ModelData
from millnet.model.terms import labels
from millnet.solve.duals import fixed_lp_duals
from millnet.solve.options import SolveOptions
from millnet.solve.status import SolveOutcome

CAPACITY_ROWS = "Resource-capacity"
#: Shadow prices smaller than this (per unit) are solver noise.
EPS = 1e-9

SCHEMA = {
    "plant": pl.String,
    "resource": pl.String,
    "period": pl.String,
    "capacity": pl.Float64,
    "used": pl.Float64,
    "shadow_price": pl.Float64,
}


def producing(data: ModelData, running: np.ndarray) -> np.ndarray:
    """producing_{p,t} = run_{p,t} − Σ_{k < L_p} restart_{p,t−k} from a 0/1 running grid
    (plant × period), restart_{p,t} = max(0, run_{p,t} − run_{p,t−1}) with run_{p,−1} the
    initial state."""
    before = (data.initial_state == STATE_CODE["running"]).astype(float)[:, None]
    restart = np.clip(running - np.concatenate([before, running[:, :-1]], axis=1), 0.0, 1.0)
    result = running.astype(float).copy()
    for k in range(int(data.restart_lead.max(initial=0))):
        lagged = np.zeros_like(restart)
        lagged[:, k:] = restart[:, : restart.shape[1] - k]
        result -= np.where((data.restart_lead > k)[:, None], lagged, 0.0)
    return np.clip(result, 0.0, 1.0)


def capacity_value(
    built: BuiltModel,
    outcome: SolveOutcome,
    utilisation: pl.DataFrame,
    options: SolveOptions | None = None,
) -> pl.DataFrame:
    """One row per capacity row (plant, resource, planned period): ``capacity``, ``used`` (from
    the plan's ``utilisation`` table) and ``shadow_price``, the saving (or margin gained) per
    extra unit of capacity in the case currency; null when the fixed LP did not solve."""
    data = built.data
    T = data.n_periods
    resources = data.resources
    if resources.height == 0 or outcome.values.size == 0:
        return pl.DataFrame(schema=SCHEMA)
    duals = fixed_lp_duals(built, outcome, (CAPACITY_ROWS,), options)
    running = np.rint(np.nan_to_num(outcome.values[labels(built.model["running"])]))
    on = producing(data, running)
    pr_plant = resources["plant"].to_numpy()
    if duals.optimal:
        y = duals.duals[CAPACITY_ROWS].reshape(resources.height, T)
        price = -y * on[pr_plant]
        price = np.where(np.abs(price) > EPS, price, 0.0)
    else:
        price = np.full((resources.height, T), np.nan)
    frame = pl.DataFrame(
        {
            "plant": np.repeat(resources["plant_id"].to_numpy(), T),
            "resource": np.repeat(resources["resource"].to_numpy(), T),
            "period": np.tile(np.array(data.periods), resources.height),
            "capacity": np.repeat(resources["capacity"].to_numpy(), T).astype(float),
            "shadow_price": price.ravel(),
        }
    ).with_columns(pl.col("shadow_price").fill_nan(None))
    used = utilisation.select("plant", "resource", "period", "used")
    return (
        frame.join(used, on=["plant", "resource", "period"], how="left", validate="1:1")
        .with_columns(pl.col("used").fill_null(0.0))
        .select(list(SCHEMA))
        .cast(SCHEMA)
    )
