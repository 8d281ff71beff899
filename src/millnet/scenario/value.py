"""Sales value of demand rows, to rank customers by what losing them would cost in sales.

Priced as the model prices a sale: ``fixed`` rows at their price; ``metal_plus_adder`` rows at
their metal content times the period's index price plus premium (copper left out when tolled,
the customer brings it), converted to the case currency and mass unit, plus the adder.
"""

from __future__ import annotations

import polars as pl

from millnet.case import Case
from millnet.model.data import product_content
from millnet.validate.units import POUNDS_PER_UNIT, parse_price_unit


def metal_price_per_unit(case: Case) -> pl.DataFrame:
    """``(period_id, metal, price)``: index price plus premium per case mass unit, in the case
    currency (rows whose unit or exchange rate is unknown are left out)."""
    assert case.meta is not None
    prices = case["metal_prices"]
    parsed = [parse_price_unit(u or "") for u in prices["unit"].to_list()]
    prices = prices.with_columns(
        currency=pl.Series([p[0] if p else None for p in parsed], dtype=pl.String),
        per_lb=pl.Series([POUNDS_PER_UNIT[p[1]] if p else None for p in parsed], dtype=pl.Float64),
    )
    rates = pl.concat(
        [
            case["periods"]
            .select("id", pl.lit(case.meta.currency).alias("currency"), pl.lit(1.0).alias("rate"))
            .rename({"id": "period_id"}),
            case["fx"]
            .filter(pl.col("currency") != case.meta.currency)
            .select("period_id", "currency", "rate"),
        ]
    ).unique(["period_id", "currency"], keep="first")
    per_mass_unit = POUNDS_PER_UNIT[case.meta.mass_unit]
    return (
        prices.join(rates, on=["period_id", "currency"], how="inner")
        .select(
            "period_id",
            "metal",
            (
                (pl.col("price") + pl.col("premium").fill_null(0.0))
                * pl.col("rate")
                / pl.col("per_lb")
                * per_mass_unit
            ).alias("price"),
        )
        .drop_nulls("price")
        .unique(["period_id", "metal"], keep="first")
    )


def demand_value(case: Case) -> pl.Series:
    """Sales value of every row of ``case["demand"]``, in order (case currency)."""
    demand = case["demand"].with_row_index("__row")
    tolled = (
        pl.col("tolled").fill_null(False) if "tolled" in demand.columns else pl.lit(False)
    ).alias("tolled")
    metal = (
        demand.filter(pl.col("price_basis") == "metal_plus_adder")
        .select("__row", "product_id", "period_id", tolled)
        .join(product_content(case), on="product_id", how="inner")
        .filter(~(pl.col("tolled") & (pl.col("metal") == "copper")))
        .join(metal_price_per_unit(case), on=["period_id", "metal"], how="left")
        .group_by("__row")
        .agg((pl.col("per_unit") * pl.col("price").fill_null(0.0)).sum().alias("__metal"))
    )
    priced = demand.join(metal, on="__row", how="left").sort("__row")
    unit_price = (
        pl.when(pl.col("price_basis") == "fixed")
        .then(pl.col("price"))
        .otherwise(pl.col("__metal").fill_null(0.0) + pl.col("conversion_adder"))
        .fill_null(0.0)
    )
    return priced.select((pl.col("quantity") * unit_price).alias("value")).to_series()
