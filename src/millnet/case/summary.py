"""What a case holds, in a few small tables: the basis of ``millnet summary`` and the demo."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from millnet.case.model import Case


@dataclass(frozen=True)
class CaseSummary:
    name: str
    description: str
    currency: str
    mass_unit: str
    counts: dict[str, int]
    periods: list[str]
    plan_from: str | None
    #: Plants by country, role and initial state.
    plants: pl.DataFrame
    #: Demand quantity by segment (rows) and period (columns).
    demand: pl.DataFrame
    #: Metal price plus premium by metal (rows) and period (columns), with the unit.
    metal_prices: pl.DataFrame

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "description": self.description,
            "currency": self.currency,
            "mass_unit": self.mass_unit,
            "counts": self.counts,
            "periods": self.periods,
            "plan_from": self.plan_from,
            "plants": self.plants.to_dicts(),
            "demand_by_segment": self.demand.to_dicts(),
            "metal_prices": self.metal_prices.to_dicts(),
        }


def summarize(case: Case) -> CaseSummary:
    periods = case["periods"].sort("order")["id"].to_list()
    plants = case["plants"]
    role = pl.col("role").fill_null("") if "role" in plants.columns else pl.lit("")
    plant_table = (
        plants.group_by(["country", role.alias("role"), "initial_state"])
        .agg(pl.len().alias("plants"), pl.col("id").sort().str.join(", ").alias("ids"))
        .sort(["country", "role", "initial_state"], descending=[True, False, False])
    )
    demand = case["demand"].join(
        case["customers"].select(pl.col("id").alias("customer_id"), "segment"),
        on="customer_id",
        how="left",
    )
    if demand.height:
        by_segment = demand.pivot(
            on="period_id",
            index="segment",
            values="quantity",
            aggregate_function="sum",
            sort_columns=False,
        ).sort("segment")
        ordered = [p for p in periods if p in by_segment.columns]
        by_segment = by_segment.select("segment", *ordered).fill_null(0.0)
    else:
        by_segment = pl.DataFrame({"segment": []}, schema={"segment": pl.String})
    prices = case["metal_prices"]
    if prices.height:
        metal = prices.with_columns((pl.col("price") + pl.col("premium")).alias("all_in")).pivot(
            on="period_id",
            index=["metal", "unit"],
            values="all_in",
            aggregate_function="first",
            sort_columns=False,
        )
        ordered = [p for p in periods if p in metal.columns]
        metal = metal.select("metal", "unit", *ordered)
    else:
        metal = pl.DataFrame(schema={"metal": pl.String, "unit": pl.String})
    meta = case.meta
    return CaseSummary(
        name=case.name,
        description=meta.description if meta else "",
        currency=meta.currency if meta else "",
        mass_unit=meta.mass_unit if meta else "",
        counts={name: frame.height for name, frame in case.tables.items()},
        periods=periods,
        plan_from=meta.plan_from if meta else None,
        plants=plant_table,
        demand=by_segment,
        metal_prices=metal,
    )
