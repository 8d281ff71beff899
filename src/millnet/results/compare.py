"""Two plans side by side: what was decided differently, and what it does to the KPIs.

Pure functions of two :class:`Results` returning tidy tables, so the CLI, the reports and the
web app show the same comparison. "A" is the plan compared against (the baseline), "B" the
other one; every difference is B − A.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from millnet.results.kpis import KPIS, compute
from millnet.results.results import Results

#: KPI tables keyed by one of these columns are per-plant detail (utilisation, cost by plant):
#: the decision diff already says what changed at each plant, so they are not compared.
DETAIL_KEYS = frozenset({"plant", "customer", "resource", "lane"})
#: A KPI table longer than this is detail rather than a headline figure, whatever its keys.
SMALL_TABLE_ROWS = 200

STATE_DIFF_SCHEMA = {
    "plant": pl.String,
    "period": pl.String,
    "state_a": pl.String,
    "state_b": pl.String,
}
SOURCING_DIFF_SCHEMA = {
    "customer": pl.String,
    "product": pl.String,
    "period": pl.String,
    "plant_a": pl.String,
    "quantity_a": pl.Float64,
    "plant_b": pl.String,
    "quantity_b": pl.Float64,
}
KPI_DIFF_SCHEMA = {
    "kpi": pl.String,
    "key": pl.String,
    "measure": pl.String,
    "a": pl.Float64,
    "b": pl.Float64,
    "delta": pl.Float64,
    "pct": pl.Float64,
}


@dataclass(frozen=True, eq=False)
class Comparison:
    """Plan B against plan A: plant states that differ, demand rows served from another plant,
    and every headline KPI with A, B, B − A and the change in percent of A."""

    states: pl.DataFrame
    sourcing: pl.DataFrame
    kpis: pl.DataFrame

    @property
    def same_decisions(self) -> bool:
        return self.states.height == 0 and self.sourcing.height == 0


def compare(a: Results, b: Results) -> Comparison:
    """Compare plan ``b`` with plan ``a`` (see :class:`Comparison`)."""
    return Comparison(states=state_diff(a, b), sourcing=sourcing_diff(a, b), kpis=kpi_diff(a, b))


def _states(results: Results) -> pl.DataFrame:
    table = results.tables.get("plant_states")
    if table is None:
        return pl.DataFrame(schema={"plant": pl.String, "period": pl.String, "state": pl.String})
    return table.select(
        pl.col("plant").cast(pl.String), pl.col("period").cast(pl.String), pl.col("state")
    )


def state_diff(a: Results, b: Results) -> pl.DataFrame:
    """Plant-periods whose state differs: ``plant, period, state_a, state_b`` (null where the
    plan has no such plant-period, e.g. a plan without a solution), by plant then period in A's
    order."""
    left = _states(a).with_row_index("_order")
    right = _states(b).with_row_index("_order_b")
    joined = left.join(right, on=["plant", "period"], how="full", coalesce=True, suffix="_b")
    return (
        joined.filter(pl.col("state").ne_missing(pl.col("state_b")))
        .sort(pl.col("_order").is_null(), pl.col("_order"), pl.col("_order_b"))
        .select(
            "plant",
            "period",
            pl.col("state").alias("state_a"),
            pl.col("state_b"),
        )
        .cast(STATE_DIFF_SCHEMA)  # type: ignore[arg-type]
    )


def main_plants(results: Results) -> pl.DataFrame:
    """The plant serving most of each demand row: ``customer, product, period, plant,
    quantity`` (the quantity that plant ships; ties go to the first plant id)."""
    flows = results.tables.get("flows")
    if flows is None or flows.height == 0:
        return pl.DataFrame(
            schema={
                "customer": pl.String,
                "product": pl.String,
                "period": pl.String,
                "plant": pl.String,
                "quantity": pl.Float64,
            }
        )
    keys = ["customer", "product", "period"]
    return (
        flows.group_by([*keys, "plant"])
        .agg(pl.col("quantity").sum())
        .sort("quantity", "plant", descending=[True, False])
        .group_by(keys, maintain_order=True)
        .agg(pl.col("plant").first(), pl.col("quantity").first())
        .select(
            *(pl.col(k).cast(pl.String) for k in keys),
            pl.col("plant").cast(pl.String),
            pl.col("quantity").cast(pl.Float64),
        )
    )


def sourcing_diff(a: Results, b: Results) -> pl.DataFrame:
    """Demand rows whose main plant differs (see :func:`main_plants`): ``customer, product,
    period, plant_a, quantity_a, plant_b, quantity_b``; a plant is null where the plan leaves
    the row unserved (or does not have it). Sorted by period, customer, product."""
    keys = ["customer", "product", "period"]
    joined = main_plants(a).join(main_plants(b), on=keys, how="full", coalesce=True, suffix="_b")
    return (
        joined.filter(pl.col("plant").ne_missing(pl.col("plant_b")))
        .select(
            *keys,
            pl.col("plant").alias("plant_a"),
            pl.col("quantity").alias("quantity_a"),
            "plant_b",
            pl.col("quantity_b"),
        )
        .sort("period", "customer", "product")
        .cast(SOURCING_DIFF_SCHEMA)  # type: ignore[arg-type]
    )


def _numeric(dtype: pl.DataType) -> bool:
    return dtype.is_numeric() and dtype != pl.Boolean


def kpi_items(results: Results, name: str) -> pl.DataFrame | None:
    """A KPI as ``key, measure, value`` rows: ``key`` joins the table's text columns (empty for
    a one-row table without any), one row per numeric column. None when the KPI is per-plant
    detail, too long to be a headline, or cannot be computed on these results."""
    try:
        table = compute(results, name)
    except (KeyError, pl.exceptions.ColumnNotFoundError):
        # a plan without a solution has no tables to compute from
        return None
    keys = [c for c in table.columns if not _numeric(table.schema[c])]
    if DETAIL_KEYS & set(keys) or table.height > SMALL_TABLE_ROWS:
        return None
    measures = [c for c in table.columns if c not in keys]
    key = (
        pl.concat_str([pl.col(k).cast(pl.String).fill_null("—") for k in keys], separator=" / ")
        if keys
        else pl.lit("")
    )
    rows = table.select(key.alias("key"), *(pl.col(m).cast(pl.Float64) for m in measures))
    # item by item (every measure of a key together), in the KPI table's own row order
    order = {m: i for i, m in enumerate(measures)}
    return (
        rows.with_row_index("_row")
        .unpivot(index=["_row", "key"], variable_name="measure", value_name="value")
        .sort(pl.col("_row"), pl.col("measure").replace_strict(order, return_dtype=pl.Int64))
        .select("key", "measure", "value")
    )


def _headline_items(results: Results) -> pl.DataFrame:
    """The objective and the total cost (the sum of every cost term; with objective margin the
    two differ)."""
    costs = results.tables.get("costs")
    total = None if costs is None else float(costs["amount"].sum())
    return pl.DataFrame(
        {
            "key": ["", ""],
            "measure": ["objective", "total_cost"],
            "value": [results.outcome.objective, total],
        },
        schema={"key": pl.String, "measure": pl.String, "value": pl.Float64},
    )


def kpi_diff(a: Results, b: Results) -> pl.DataFrame:
    """Every headline KPI of the registry (not per-plant detail): ``kpi, key, measure, a, b,
    delta, pct``, with ``delta`` = b − a and ``pct`` = 100 · delta ÷ |a| (null where a is 0 or
    missing). First comes KPI ``plan``: the objective and the total cost.

    An item missing from a KPI table that has rows counts as zero (a cost term a plan does not
    pay is zero); a KPI with no rows at all on one side (no reference plan, no solution) gives
    nulls there, not zeros.
    """
    frames = []
    for name in ["plan", *KPIS]:
        if name == "plan":
            left, right = _headline_items(a), _headline_items(b)
        else:
            left, right = kpi_items(a, name), kpi_items(b, name)
            if left is None and right is None:
                continue
        left = _or_empty(left).with_columns(_in=pl.lit(True)).with_row_index("_pos")
        right = _or_empty(right).with_columns(_in=pl.lit(True)).with_row_index("_pos")
        joined = left.join(right, on=["key", "measure"], how="full", coalesce=True, suffix="_b")
        # A's items in A's order, then those only B has in B's order
        joined = joined.sort(pl.col("_pos").is_null(), pl.col("_pos"), pl.col("_pos_b"))
        frames.append(
            joined.select(
                pl.lit(name).alias("kpi"),
                "key",
                "measure",
                _present("value", "_in", left.height).alias("a"),
                _present("value_b", "_in_b", right.height).alias("b"),
            )
        )
    if not frames:
        return pl.DataFrame(schema=KPI_DIFF_SCHEMA)
    table = pl.concat(frames, how="vertical_relaxed")
    delta = pl.col("b") - pl.col("a")
    return table.with_columns(
        delta.alias("delta"),
        pl.when(pl.col("a") != 0).then(100.0 * delta / pl.col("a").abs()).alias("pct"),
    ).cast(KPI_DIFF_SCHEMA)  # type: ignore[arg-type]


def _or_empty(items: pl.DataFrame | None) -> pl.DataFrame:
    if items is not None:
        return items
    return pl.DataFrame(schema={"key": pl.String, "measure": pl.String, "value": pl.Float64})


def _present(value: str, present: str, height: int) -> pl.Expr:
    """An item absent from a table with rows is zero; from an empty table, unknown (a value
    that is null in its own table stays null)."""
    if not height:
        return pl.col(value)
    return pl.when(pl.col(present).is_null()).then(0.0).otherwise(pl.col(value))
