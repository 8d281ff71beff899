"""Read a solution back into tidy tables keyed by the input ids."""

from __future__ import annotations

import numpy as np
import polars as pl

from millnet.model.build import BuiltModel
from millnet.model.data import STATES
from millnet.model.terms import labels
from millnet.solve.status import SolveOutcome

#: Flows and unmet quantities below this are solver noise.
EPS = 1e-6


def _value(outcome: SolveOutcome, label_array: np.ndarray) -> np.ndarray:
    if outcome.values.size == 0:
        return np.zeros(label_array.shape)
    values = np.where(label_array >= 0, outcome.values[np.maximum(label_array, 0)], 0.0)
    return np.nan_to_num(values)


def extract(built: BuiltModel, outcome: SolveOutcome) -> dict[str, pl.DataFrame]:
    data = built.data
    m = built.model
    T = data.n_periods
    plants = np.array(data.plants)
    periods = np.array(data.periods)
    grid = {s: np.rint(_value(outcome, labels(m[s]))) for s in STATES}
    state_index = np.argmax(np.stack([grid[s] for s in STATES]), axis=0)  # plant × period
    planned = pl.DataFrame(
        {
            "plant": np.repeat(plants, T),
            "period": np.tile(periods, data.n_plants),
            "state": np.array(STATES)[state_index.ravel()],
            "planned": True,
        }
    )
    history = pl.DataFrame(
        {
            "plant": np.repeat(plants, len(data.history)),
            "period": np.tile(np.array(data.history, dtype=object), data.n_plants).astype(str),
            "state": np.repeat(np.array(STATES)[data.initial_state], len(data.history)),
            "planned": False,
        }
    ).cast({"period": pl.String})
    plant_states = pl.concat([history, planned]) if len(data.history) else planned

    previous = np.concatenate([data.initial_state[:, None], state_index[:, :-1]], axis=1)
    changed = previous != state_index
    words = {
        (0, 1): "idle",
        (1, 0): "restart",
        (0, 2): "close",
        (1, 2): "close",
    }
    p_idx, t_idx = np.nonzero(changed)
    transitions = pl.DataFrame(
        {
            "plant": plants[p_idx],
            "period": periods[t_idx],
            "from_state": np.array(STATES)[previous[p_idx, t_idx]],
            "to_state": np.array(STATES)[state_index[p_idx, t_idx]],
            "transition": [
                words.get((int(a), int(b)), "change")
                for a, b in zip(previous[p_idx, t_idx], state_index[p_idx, t_idx], strict=True)
            ],
        },
        schema={
            "plant": pl.String,
            "period": pl.String,
            "from_state": pl.String,
            "to_state": pl.String,
            "transition": pl.String,
        },
    )

    lanes = data.lanes
    demand = data.demand
    # the model's flows and unmet demand are shares of their demand row; results are masses
    quantity = demand["quantity"].to_numpy()
    flow = _value(outcome, labels(m["flow"])) * quantity[lanes["demand"].to_numpy()]
    flows = (
        lanes.with_columns(quantity=pl.Series(flow))
        .filter(pl.col("quantity") > EPS)
        .join(demand.select("demand", "period_id", "revenue"), on="demand", how="left")
        .select(
            pl.col("plant_id").alias("plant"),
            pl.col("customer_id").alias("customer"),
            pl.col("product_id").alias("product"),
            pl.col("period_id").alias("period"),
            "quantity",
            "distance",
            "mode",
            "variable",
            "freight",
            "duty",
            "metal",
            "revenue",
            "demand",
            "lane",
        )
    )
    unmet_values = _value(outcome, labels(m["unmet"])) * quantity
    unmet = (
        demand.with_columns(unmet=pl.Series(unmet_values))
        .filter(pl.col("unmet") > EPS)
        .select(
            pl.col("customer_id").alias("customer"),
            pl.col("product_id").alias("product"),
            pl.col("period_id").alias("period"),
            "quantity",
            "unmet",
            "penalty",
            "row",
        )
    )

    period_names = dict(enumerate(data.periods))
    loads = data.loads.join(
        lanes.select("lane", "period"), on="lane", how="left", maintain_order="left"
    )
    used = (
        loads.with_columns(pl.Series("flow", flow[loads["lane"].to_numpy()]))
        .with_columns((pl.col("flow") * pl.col("coef")).alias("used"))
        .group_by("pr", "period")
        .agg(pl.col("used").sum())
    )
    utilisation = (
        data.resources.join(pl.DataFrame({"period": np.arange(T, dtype=np.int64)}), how="cross")
        .join(used, on=["pr", "period"], how="left")
        .select(
            pl.col("plant_id").alias("plant"),
            "resource",
            pl.col("period").replace_strict(period_names, return_dtype=pl.String),
            _clean(pl.col("used")),
            "capacity",
            "capacity_unit",
            (_clean(pl.col("used")) / pl.col("capacity")).alias("utilisation"),
        )
    )

    qualifications = _qualifications(built, outcome)
    costs = _costs(built, grid, flows, unmet, qualifications)
    if "moved" in m.variables:
        costs = pl.concat([costs, _move_costs(built, outcome, flows)], how="vertical_relaxed")
    return {
        "plant_states": plant_states,
        "transitions": transitions,
        "flows": flows,
        "unmet": unmet,
        "utilisation": utilisation,
        "costs": costs,
        "qualifications": qualifications,
        "metal": _metal(built, flow),
        "metal_billed": _billed(built, flows),
    }


def _clean(expr: pl.Expr) -> pl.Expr:
    """Solver noise (tiny negatives, 1e-11 leftovers) shown as zero."""
    return pl.when(expr.fill_null(0.0) > EPS).then(expr).otherwise(0.0)


def _costs(
    built: BuiltModel,
    grid: dict[str, np.ndarray],
    flows: pl.DataFrame,
    unmet: pl.DataFrame,
    qual: pl.DataFrame,
) -> pl.DataFrame:
    """Cost by term, plant and period (unmet penalty and qualification have no period split
    by plant where they do not apply: plant is null)."""
    data = built.data
    T = data.n_periods
    plants = np.repeat(np.array(data.plants), T)
    periods = np.tile(np.array(data.periods), data.n_plants)
    closed = grid["closed"]
    closed_prev = np.concatenate(
        [(data.initial_state == 2).astype(float)[:, None], closed[:, :-1]], axis=1
    )
    restart = np.clip(
        grid["running"]
        - np.concatenate(
            [(data.initial_state == 0).astype(float)[:, None], grid["running"][:, :-1]], axis=1
        ),
        0,
        1,
    )
    to_idle = np.clip(
        grid["idle"]
        - np.concatenate(
            [(data.initial_state == 1).astype(float)[:, None], grid["idle"][:, :-1]], axis=1
        ),
        0,
        1,
    )
    fixed_terms = {
        "fixed_running": data.fixed_running * grid["running"],
        "fixed_idle": data.fixed_idle * grid["idle"],
        "restart": data.cost_to_restart * restart,
        "idle": data.cost_to_idle * to_idle,
        "close": data.cost_to_close * (closed - closed_prev),
    }
    # one frame for the plant terms, one grouping for the lane terms (few polars calls)
    frames = [
        pl.DataFrame(
            {
                "term": np.repeat(np.array(list(fixed_terms)), plants.size),
                "plant": np.tile(plants, len(fixed_terms)),
                "period": np.tile(periods, len(fixed_terms)),
                "amount": np.concatenate([v.ravel() for v in fixed_terms.values()]),
            }
        ),
        flows.group_by("plant", "period")
        .agg(
            (pl.col(term) * pl.col("quantity")).sum()
            for term in ("variable", "freight", "duty", "metal")
        )
        .unpivot(index=["plant", "period"], variable_name="term", value_name="amount")
        .select("term", "plant", "period", "amount"),
    ]
    if qual.height:
        frames.append(
            qual.select(
                pl.lit("qualification").alias("term"),
                "plant",
                "period",
                pl.col("cost").alias("amount"),
            )
        )
    if data.options.objective == "cost" and unmet.height:
        frames.append(
            unmet.group_by("period")
            .agg((pl.col("unmet") * pl.col("penalty")).sum().alias("amount"))
            .select(
                pl.lit("unmet_penalty").alias("term"),
                pl.lit(None, pl.String).alias("plant"),
                "period",
                "amount",
            )
        )
    return pl.concat(frames, how="vertical_relaxed").filter(pl.col("amount").abs() > 1e-9)


def _move_costs(built: BuiltModel, outcome: SolveOutcome, flows: pl.DataFrame) -> pl.DataFrame:
    """Term ``move``: M_g moved_g, booked to the plant the pair leaves, in the first period it is
    served elsewhere."""
    data = built.data
    moved = _value(outcome, labels(built.model["moved"]))
    order = {period: i for i, period in enumerate(data.periods)}
    first_away = (
        data.moves.with_columns(
            pl.col("plant")
            .replace_strict(dict(enumerate(data.plants)), return_dtype=pl.String)
            .alias("home"),
            (pl.Series(moved) * pl.col("cost")).alias("amount"),
        )
        .filter(pl.col("amount") > 1e-9)
        .drop("plant")
        .join(
            flows.select("customer", "product", "plant", "period"),
            left_on=["customer_id", "product_id"],
            right_on=["customer", "product"],
            how="inner",
        )
        .filter(pl.col("plant") != pl.col("home"))
        .with_columns(pl.col("period").replace_strict(order, return_dtype=pl.Int64).alias("t"))
        .sort("t")
        .group_by("move", maintain_order=True)
        .first()
    )
    return first_away.select(
        pl.lit("move").alias("term"), pl.col("home").alias("plant"), "period", "amount"
    )


def _qualifications(built: BuiltModel, outcome: SolveOutcome) -> pl.DataFrame:
    data = built.data
    schema = {
        "plant": pl.String,
        "key": pl.String,
        "period": pl.String,
        "cost": pl.Float64,
        "lead": pl.Int64,
    }
    if data.qualifications.height == 0:
        return pl.DataFrame(schema=schema)
    bought = np.rint(_value(outcome, labels(built.model["qualify"])))
    g, t = np.nonzero(bought > 0.5)
    groups = data.qualifications
    return pl.DataFrame(
        {
            "plant": np.array(data.plants)[groups["plant"].to_numpy()[g]],
            "key": groups["key"].to_numpy()[g],
            "period": np.array(data.periods)[t],
            "cost": groups["cost"].to_numpy()[g],
            "lead": groups["lead"].to_numpy()[g],
        },
        schema=schema,
    )


def _metal(built: BuiltModel, flow: np.ndarray) -> pl.DataFrame:
    data = built.data
    metal = data.metal.with_columns(
        pl.Series("quantity", flow[data.metal["lane"].to_numpy()], dtype=pl.Float64)
    )
    return (
        metal.join(data.lanes.select("lane", "period"), on="lane", how="left")
        .group_by("metal", "period")
        .agg(
            (pl.col("mass") * pl.col("quantity")).sum().alias("mass"),
            (pl.col("cost") * pl.col("quantity")).sum().alias("cost"),
        )
        .with_columns(
            pl.col("period").replace_strict(dict(enumerate(data.periods)), return_dtype=pl.String)
        )
        .sort("metal", "period")
    )


def _billed(built: BuiltModel, flows: pl.DataFrame) -> pl.DataFrame:
    """Metal value billed to metal-indexed customers: served quantity × content × price."""
    served = flows.group_by("demand", "period").agg(pl.col("quantity").sum())
    return (
        built.data.billed.join(served, on="demand", how="inner")
        .group_by("metal", "period")
        .agg((pl.col("value") * pl.col("quantity")).sum().alias("value"))
        .sort("metal", "period")
    )
