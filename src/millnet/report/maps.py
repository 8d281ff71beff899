"""What the network map draws, as one JSON-ready dict: plants with their state per period,
customers, the largest flows per period and the country boundaries around them.

The page's script (``templates/report.js``) draws it with Leaflet: no tiles (the report works
offline), Natural Earth countries as a GeoJSON layer, plants as circle markers coloured by state,
flows as lines whose weight follows their volume. Only the ``top`` largest plant → customer flows
of each period are kept, which bounds the size of the page whatever the size of the case.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from millnet.report.assets import countries
from millnet.report.charts import STATE_COLOURS
from millnet.results.results import Results

#: Flows drawn per period by default.
TOP_FLOWS = 250
#: Countries within this many degrees of the places are drawn: enough for a wider window or a
#: landscape page than the map was fitted to, without carrying the whole world.
COUNTRY_MARGIN = 30.0


def has_places(results: Results) -> bool:
    places = results.tables.get("places")
    return places is not None and places.height > 0


def _rounded(value: float) -> float:
    # 1e-4 degrees is about 10 m: plenty for a network map, and it keeps the JSON short
    return round(float(value), 4)


def map_data(results: Results, top: int = TOP_FLOWS) -> dict[str, Any] | None:
    """The map's data, or None when the results carry no coordinates (no ``places`` table)."""
    if not has_places(results):
        return None
    places = results["places"].filter(pl.col("lat").is_not_null() & pl.col("lon").is_not_null())
    plants = places.filter(pl.col("kind") == "plant")
    customers = places.filter(pl.col("kind") == "customer")
    states = results["plant_states"].filter(pl.col("planned"))
    periods = states["period"].unique(maintain_order=True).to_list()
    by_plant: dict[str, dict[str, str]] = {}
    for r in states.iter_rows(named=True):
        by_plant.setdefault(r["plant"], {})[r["period"]] = r["state"]
    changes: dict[str, dict[str, str]] = {}
    for r in results["transitions"].iter_rows(named=True):
        changes.setdefault(r["plant"], {})[r["period"]] = r["transition"]
    plant_ids = plants["id"].to_list()
    customer_ids = customers["id"].to_list()
    plant_index = {p: i for i, p in enumerate(plant_ids)}
    customer_index = {c: i for i, c in enumerate(customer_ids)}

    flows = (
        results["flows"]
        .filter(pl.col("plant").is_in(plant_ids) & pl.col("customer").is_in(customer_ids))
        .group_by("period", "plant", "customer")
        .agg(pl.col("quantity").sum())
        .sort("quantity", "plant", "customer", descending=[True, False, False])
    )
    totals = results["flows"].group_by("period").agg(pl.col("quantity").sum())
    total_by_period = dict(zip(totals["period"], totals["quantity"], strict=True))
    by_period: dict[str, list[list[float]]] = {}
    counts: dict[str, int] = {}
    for period, group in flows.group_by("period", maintain_order=True):
        key = str(period[0])
        counts[key] = group.height
        by_period[key] = [
            [plant_index[r["plant"]], customer_index[r["customer"]], round(r["quantity"], 1)]
            for r in group.head(top).iter_rows(named=True)
        ]
    lats = places["lat"].to_list()
    lons = places["lon"].to_list()
    bounds = (min(lons), min(lats), max(lons), max(lats)) if lats else None
    return {
        "mass_unit": results.mass_unit,
        "periods": periods,
        "state_colours": STATE_COLOURS,
        "plants": [
            {
                "id": r["id"],
                "name": r["name"],
                "country": r["country"],
                "lat": _rounded(r["lat"]),
                "lon": _rounded(r["lon"]),
                "states": by_plant.get(r["id"], {}),
                "changes": changes.get(r["id"], {}),
            }
            for r in plants.iter_rows(named=True)
        ],
        "customers": [
            [r["name"], _rounded(r["lat"]), _rounded(r["lon"])]
            for r in customers.iter_rows(named=True)
        ],
        "flows": by_period,
        "flow_counts": counts,
        "flow_totals": {k: round(v, 1) for k, v in total_by_period.items()},
        "top": top,
        "bounds": bounds,
        "countries": countries(bounds, margin=COUNTRY_MARGIN),
    }
