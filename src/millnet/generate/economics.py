"""Plant economics: capacities sized from demand, fixed and variable costs, lifecycle costs.

Every number here is an assumption after wire.md §5.4 (idle, restart and closure costs) and
§7 (conversion costs by operation); the README of the reference case lists them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from millnet.generate.catalog import RESOURCES, step_loads

#: Variable conversion cost, USD per lb of capacity used [A], wire.md §7: rod breakdown
#: 0.04-0.08, fine drawing 0.15-0.60 (rising below 30 AWG, carried by the usage), tin plating
#: 0.10-0.25, Ag/Ni plating 0.50-2.00 (excluding the plating metal), stranding 0.10-0.40.
#: Intermediate drawing and braiding are not in wire.md and are set between those.
VARIABLE_COST = {
    "rod_breakdown": 0.06,
    "drawing": 0.12,
    "silver_plating": 1.10,
    "nickel_plating": 1.25,
    "fine_drawing": 0.30,
    "tinning": 0.15,
    "stranding": 0.20,
    "braiding": 0.35,
}
#: What a plant without rod breakdown pays for bought-in redraw, USD/lb, added to the variable
#: cost of the first step of its routings (drawing, or plating at redraw size) [A]: the rod
#: breakdown cost (0.06) plus truckload freight between plants (about 0.02).
REDRAW_PREMIUM = 0.08
FIRST_STEPS = ("drawing", "silver_plating", "nickel_plating")

#: Fixed running cost per lb of quarterly capacity, USD, by resource [A]: plating lines
#: (environmental permits, rectifiers, waste treatment) weigh most, rod breakdown least.
FIXED_RATE = {
    "rod_breakdown": 0.030,
    "drawing": 0.045,
    "silver_plating": 0.220,
    "nickel_plating": 0.220,
    "fine_drawing": 0.080,
    "tinning": 0.045,
    "stranding": 0.050,
    "braiding": 0.120,
}


#: Site fixed cost per quarter, USD, by plant group [A]: management, buildings, property tax,
#: insurance and security that a site carries whatever its size.
SITE_COST = {
    "rod": 350_000.0,
    "fine": 250_000.0,
    "hpc": 300_000.0,
    "specialty": 200_000.0,
    "eu": 250_000.0,
}


@dataclass(frozen=True)
class Lifecycle:
    """Lifecycle parameters of a group of plants [A], wire.md §5.4.

    ``idle_ratio``: fixed cost while idle as a share of the running fixed cost; the
    ``*_quarters`` values are one-time costs in quarters of running fixed cost;
    ``close_base`` is a lump sum (USD) added to one quarter of running fixed cost.
    """

    idle_ratio: float
    idle_quarters: float
    restart_quarters: float
    close_base: float
    restart_lead: int
    min_idle: int


#: Lifecycle parameters by plant group [A], wire.md §5.4: idle fixed cost 25-40 % of running
#: (bare and tinned) or 30-45 % (plating); restart 1-2 months of fixed cost (bare) or 2-4
#: (plating) and 4-8 or 8-16 weeks; closure about 1-3 M USD, more with plating lines.
#: Idling costs severance and WARN-notice pay (US), a social plan in Europe.
LIFECYCLE = {
    "rod": Lifecycle(0.40, 1.00, 0.67, 2_000_000, 1, 2),
    "fine": Lifecycle(0.40, 1.00, 0.67, 1_500_000, 1, 2),
    "hpc": Lifecycle(0.45, 1.00, 1.33, 3_500_000, 2, 2),
    "specialty": Lifecycle(0.40, 1.00, 0.67, 1_200_000, 1, 2),
    "eu": Lifecycle(0.50, 4.00, 1.00, 2_500_000, 1, 2),
}


@dataclass(frozen=True)
class PlantSpec:
    """A plant before its capacities are sized.

    ``size`` weighs the plant's share of the products it can make; ``fixed_multiplier`` and
    ``variable_multiplier`` scale the group's cost rates; ``lifecycle`` overrides the group's.
    """

    id: str
    name: str
    country: str
    region: str
    lat: float
    lon: float
    group: str
    role: str
    resources: tuple[str, ...]
    size: float = 1.0
    fixed_multiplier: float = 1.0
    variable_multiplier: float = 1.0
    currency: str = "USD"
    notes: str = ""
    lifecycle: Lifecycle | None = None
    #: Running fixed cost per period in USD, when set by hand instead of derived.
    fixed_cost: float | None = None


def capable(plants: Sequence[PlantSpec], routings: pl.DataFrame) -> pl.DataFrame:
    """(plant_id, product_id) for every plant that has every resource of a product's routing."""
    have = pl.DataFrame(
        {
            "plant_id": [p.id for p in plants for _ in p.resources],
            "resource": [r for p in plants for r in p.resources],
        }
    )
    steps = routings.group_by("product_id").agg(pl.len().alias("__steps"))
    return (
        routings.select("product_id", "resource")
        .join(have, on="resource", how="inner", maintain_order="left")
        .group_by(["plant_id", "product_id"])
        .agg(pl.len().alias("__have"))
        .join(steps, on="product_id", maintain_order="left")
        .filter(pl.col("__have") == pl.col("__steps"))
        .select("plant_id", "product_id")
        .sort(["plant_id", "product_id"])
    )


def allocation_loads(
    demand: pl.DataFrame, shares: pl.DataFrame, routings: pl.DataFrame
) -> pl.DataFrame:
    """Capacity each plant needs per resource and period if demand were split by ``shares``.

    ``demand``: pair, period_id, quantity; ``shares``: pair, product_id, plant_id, share
    (summing to 1 per pair). Returns plant_id, resource, period_id, load.
    """
    loads = step_loads(routings)
    return (
        demand.join(shares, on="pair", how="inner", maintain_order="left")
        .with_columns((pl.col("quantity") * pl.col("share")).alias("__q"))
        .group_by(["plant_id", "product_id", "period_id"])
        .agg(pl.col("__q").sum())
        .join(loads, on="product_id", how="inner", maintain_order="left")
        .group_by(["plant_id", "resource", "period_id"])
        .agg((pl.col("__q") * pl.col("load_per_lb")).sum().alias("load"))
    )


def size_resources(
    plants: Sequence[PlantSpec],
    loads: pl.DataFrame,
    *,
    utilisation: float,
    round_to: float = 1000.0,
) -> pl.DataFrame:
    """Capacity of each plant's resources: the highest load over ``loads``' periods divided by
    ``utilisation``, rounded up; resources without load are left out.

    Returns plant_id, resource, capacity (lb per period)."""
    order = {p.id: i for i, p in enumerate(plants)}
    peak = loads.group_by(["plant_id", "resource"]).agg(pl.col("load").max())
    # Rounded first so that the last bits of a sum cannot move a capacity to the next step.
    load = np.round(peak["load"].to_numpy(), 2)
    capacity = np.ceil(np.round(load / utilisation / round_to, 6)) * round_to
    return (
        peak.with_columns(pl.Series("capacity", capacity))
        .filter(pl.col("capacity") > 0)
        .with_columns(
            pl.col("plant_id").replace_strict(order, return_dtype=pl.Int64).alias("__p"),
            pl.col("resource")
            .replace_strict({r: i for i, r in enumerate(RESOURCES)}, return_dtype=pl.Int64)
            .alias("__r"),
        )
        .sort(["__p", "__r"])
        .select("plant_id", "resource", "capacity")
    )


def resources_frame(
    plants: Sequence[PlantSpec], capacity: pl.DataFrame, usd_per: dict[str, float]
) -> pl.DataFrame:
    """The resources table: capacity in lb and variable cost in the plant's currency."""
    by_id = {p.id: p for p in plants}
    rows = []
    for plant_id, resource, cap in capacity.iter_rows():
        plant = by_id[plant_id]
        cost = VARIABLE_COST[resource] * plant.variable_multiplier
        if resource in FIRST_STEPS and "rod_breakdown" not in plant.resources:
            cost += REDRAW_PREMIUM
        cost /= usd_per[plant.currency]
        rows.append((plant_id, resource, float(cap), "lb", round(cost, 4)))
    return pl.DataFrame(
        rows,
        schema=["plant_id", "resource", "capacity", "capacity_unit", "variable_cost"],
        orient="row",
    )


def fixed_scale_for(plants: Sequence[PlantSpec], capacity: pl.DataFrame, total: float) -> float:
    """The ``fixed_scale`` of :func:`plants_frame` that makes the running fixed cost of all
    plants (those with a given ``fixed_cost`` included) add up to ``total`` USD per period."""
    rate = pl.col("resource").replace_strict(FIXED_RATE, return_dtype=pl.Float64)
    base = dict(capacity.group_by("plant_id").agg((pl.col("capacity") * rate).sum()).iter_rows())
    derived = [p for p in plants if p.fixed_cost is None]
    given = sum(p.fixed_cost for p in plants if p.fixed_cost is not None)
    site = sum(SITE_COST[p.group] * p.fixed_multiplier for p in derived)
    weighted = sum(base.get(p.id, 0.0) * p.fixed_multiplier for p in derived)
    return max(total - given - site, 0.0) / weighted if weighted else 0.0


def _round(value: float, step: float = 1000.0) -> float:
    return float(np.round(value / step) * step)


def plants_frame(
    plants: Sequence[PlantSpec],
    capacity: pl.DataFrame,
    usd_per: dict[str, float],
    *,
    fixed_scale: float = 1.0,
) -> pl.DataFrame:
    """The plants table with fixed and lifecycle costs derived from the sized capacities.

    Running fixed cost = plant multiplier × (:data:`SITE_COST` of its group + ``fixed_scale`` ×
    Σ capacity × :data:`FIXED_RATE`), unless the plant's ``fixed_cost`` is given; in the
    plant's currency (``usd_per``: USD per unit of
    each currency)."""
    rate = pl.col("resource").replace_strict(FIXED_RATE, return_dtype=pl.Float64)
    base = dict(
        capacity.group_by("plant_id").agg((pl.col("capacity") * rate).sum().alias("v")).iter_rows()
    )
    rows = []
    for p in plants:
        life = p.lifecycle or LIFECYCLE[p.group]
        fx = usd_per[p.currency]
        usd = p.fixed_cost
        if usd is None:
            usd = p.fixed_multiplier * (SITE_COST[p.group] + fixed_scale * base.get(p.id, 0.0))
        running = _round(usd / fx)
        rows.append(
            {
                "id": p.id,
                "name": p.name,
                "country": p.country,
                "region": p.region,
                "role": p.role,
                "lat": p.lat,
                "lon": p.lon,
                "initial_state": "running",
                "currency": p.currency,
                "fixed_cost_running": running,
                "fixed_cost_idle": _round(life.idle_ratio * running),
                "cost_to_idle": _round(life.idle_quarters * running),
                "cost_to_restart": _round(life.restart_quarters * running),
                "cost_to_close": _round(life.close_base / fx + running, 10_000.0),
                "restart_lead_periods": life.restart_lead,
                "min_idle_periods": life.min_idle,
                "min_output": 0.0,
                "notes": p.notes,
            }
        )
    return pl.DataFrame(rows)
