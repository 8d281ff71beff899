"""The KPI registry: one signature, read by the CLI, the reports and the web app.

Each KPI is a function of :class:`Results` returning a small tidy table. Plots and summaries are
drawn from these tables only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from millnet.results.results import Results

KpiFunction = Callable[[Results], pl.DataFrame]


@dataclass(frozen=True)
class Kpi:
    name: str
    description: str
    function: KpiFunction


#: Every KPI, by name.
KPIS: dict[str, Kpi] = {}


def kpi(name: str, description: str) -> Callable[[KpiFunction], KpiFunction]:
    def register(function: KpiFunction) -> KpiFunction:
        KPIS[name] = Kpi(name, description, function)
        return function

    return register


def compute(results: Results, name: str) -> pl.DataFrame:
    return KPIS[name].function(results)


@kpi("cost_by_term", "Total cost by term (fixed, transitions, variable, freight, duty, metal…).")
def cost_by_term(results: Results) -> pl.DataFrame:
    costs = results["costs"]
    return costs.group_by("term").agg(pl.col("amount").sum()).sort("amount", descending=True)


@kpi("cost_by_plant", "Total cost by plant and period.")
def cost_by_plant(results: Results) -> pl.DataFrame:
    costs = results["costs"].filter(pl.col("plant").is_not_null())
    return costs.group_by("plant", "period").agg(pl.col("amount").sum()).sort("plant", "period")


@kpi("savings", "Cost of the plan against keeping every plant running.")
def savings(results: Results) -> pl.DataFrame:
    reference = results.reference_objective
    plan = results.outcome.objective
    if reference is None or plan is None:
        return pl.DataFrame(
            schema={"plan": pl.Float64, "all_running": pl.Float64, "savings": pl.Float64}
        )
    delta = plan - reference if results.options.get("objective") == "margin" else reference - plan
    return pl.DataFrame({"plan": [plan], "all_running": [reference], "savings": [delta]})


@kpi("delivery_distance", "Volume-weighted delivery distance by period.")
def delivery_distance(results: Results) -> pl.DataFrame:
    flows = results["flows"]
    return (
        flows.group_by("period")
        .agg(
            ((pl.col("distance") * pl.col("quantity")).sum() / pl.col("quantity").sum()).alias(
                "distance"
            ),
            pl.col("quantity").sum(),
        )
        .sort("period")
    )


@kpi("utilisation", "Used share of capacity by plant, resource and period.")
def utilisation(results: Results) -> pl.DataFrame:
    return results["utilisation"].select("plant", "resource", "period", "utilisation")


@kpi("unmet_demand", "Unmet demand by period (quantity and share of demand).")
def unmet_demand(results: Results) -> pl.DataFrame:
    unmet = results["unmet"].group_by("period").agg(pl.col("unmet").sum())
    shipped = results["flows"].group_by("period").agg(pl.col("quantity").sum().alias("shipped"))
    return (
        shipped.join(unmet, on="period", how="full", coalesce=True)
        .with_columns(pl.col("unmet").fill_null(0.0), pl.col("shipped").fill_null(0.0))
        .with_columns((pl.col("unmet") / (pl.col("unmet") + pl.col("shipped"))).alias("share"))
        .sort("period")
    )


@kpi("metal_exposure", "Change of metal cost, revenue and margin per +10 % in each metal price.")
def metal_exposure(results: Results) -> pl.DataFrame:
    """With the plan fixed, metal cost and metal-indexed revenue are linear in the price:
    Δcost = 0.1 × metal cost; Δrevenue = 0.1 × metal value billed to metal_plus_adder rows."""
    metal = results["metal"].group_by("metal").agg(pl.col("cost").sum(), pl.col("mass").sum())
    billed = results.tables.get("metal_billed")
    if billed is not None and billed.height:
        metal = metal.join(
            billed.group_by("metal").agg(pl.col("value").sum().alias("billed")),
            on="metal",
            how="left",
        )
    else:
        metal = metal.with_columns(billed=pl.lit(0.0))
    return metal.select(
        "metal",
        "mass",
        (0.1 * pl.col("cost")).alias("cost_change"),
        (0.1 * pl.col("billed").fill_null(0.0)).alias("revenue_change"),
        (0.1 * (pl.col("billed").fill_null(0.0) - pl.col("cost"))).alias("margin_change"),
    ).sort("metal")


@kpi(
    "capacity_value",
    "Saving per extra unit of capacity (shadow price) by plant, resource and period, at the "
    "plan's decisions; binding rows first.",
)
def capacity_value(results: Results) -> pl.DataFrame:
    table = results.tables.get("capacity_value")
    if table is None:
        return pl.DataFrame(
            schema={
                "plant": pl.String,
                "resource": pl.String,
                "period": pl.String,
                "capacity": pl.Float64,
                "used": pl.Float64,
                "shadow_price": pl.Float64,
            }
        )
    return table.sort(
        "shadow_price",
        "plant",
        "resource",
        "period",
        descending=[True, False, False, False],
        nulls_last=True,
    )
