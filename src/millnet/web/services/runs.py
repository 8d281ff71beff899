"""Runs in the web app: list, read, show, compare and summarise runs of the run store.

Results are read with the store's own ``load`` and drawn with the report's pieces (story,
charts, map data, tables) and the KPI registry, so the pages say what the report and the CLI
say."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import polars as pl

from millnet.results.kpis import compute
from millnet.results.results import Results
from millnet.web.workspace import NotFoundError

if TYPE_CHECKING:
    from millnet.store import Store
    from millnet.web.app import Services

_STORES: dict[str, Store] = {}
_RESULTS: OrderedDict[tuple[str, str], Results] = OrderedDict()
_LOCK = threading.Lock()
#: Runs kept in memory per server (a reloaded dashboard should not read the store again).
CACHED_RUNS = 8


def clean(value: Any) -> Any:
    """JSON-ready: NaN and infinity become null (JSON has neither)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def store(app: Services) -> Store:
    from millnet.store import Store

    url = app.settings.resolved_store_url
    with _LOCK:
        if url not in _STORES:
            _STORES[url] = Store(url)
        return _STORES[url]


def load(app: Services, ref: str) -> Results:
    """The run ``ref`` (id or unique prefix), read once and kept for the next page."""
    if not ref or len(ref) > 80:
        raise NotFoundError(f"no run {ref!r}")
    the_store = store(app)
    run_id = the_store.resolve(ref)
    key = (app.settings.resolved_store_url, run_id)
    with _LOCK:
        if key in _RESULTS:
            _RESULTS.move_to_end(key)
            return _RESULTS[key]
    results = the_store.load(run_id)
    with _LOCK:
        _RESULTS[key] = results
        while len(_RESULTS) > CACHED_RUNS:
            _RESULTS.popitem(last=False)
    return results


def listing(
    app: Services,
    *,
    case: str | None = None,
    scenario: str | None = None,
    sweep: str | None = None,
    limit: int | None = 200,
) -> list[dict[str, Any]]:
    runs = store(app).list(case=case, scenario=scenario, sweep=sweep, limit=limit)
    return [clean(r.to_json()) for r in runs]


def delete(app: Services, ref: str) -> None:
    deleted = store(app).delete([ref])
    with _LOCK:
        for key in [k for k in _RESULTS if k[1] in deleted]:
            _RESULTS.pop(key)


def _frame(frame: pl.DataFrame | None) -> list[dict[str, Any]]:
    return [] if frame is None else clean(frame.to_dicts())


def timeline(results: Results) -> dict[str, Any]:
    """Plant × period states for the timeline table: each cell's state, whether it is planned
    (history periods are shown pale) and the transition taking effect there."""
    if "plant_states" not in results.tables:
        return {"periods": [], "rows": []}
    states = results["plant_states"]
    periods = states["period"].unique(maintain_order=True).to_list()
    planned = set(states.filter(pl.col("planned"))["period"].unique().to_list())
    changes = {
        (r["plant"], r["period"]): r["transition"]
        for r in results["transitions"].iter_rows(named=True)
    }
    names = {}
    places = results.tables.get("places")
    if places is not None:
        plants = places.filter(pl.col("kind") == "plant")
        names = dict(zip(plants["id"].to_list(), plants["name"].to_list(), strict=True))
    rows = []
    for (plant,), group in states.group_by("plant", maintain_order=True):
        by_period = dict(zip(group["period"], group["state"], strict=True))
        rows.append(
            {
                "plant": plant,
                "name": names.get(plant, plant),
                "cells": [
                    {
                        "period": p,
                        "state": by_period.get(p, ""),
                        "planned": p in planned,
                        "change": changes.get((plant, p)),
                    }
                    for p in periods
                ],
            }
        )
    return {"periods": periods, "rows": rows}


def summary(app: Services, ref: str) -> dict[str, Any]:
    """A run as JSON: what produced it, the outcome, decisions, costs, KPIs and the story."""
    from millnet.report.story import story

    results = load(app, ref)
    info = store(app).info(ref).to_json()
    document: dict[str, Any] = {
        **info,
        "currency": results.currency,
        "mass_unit": results.mass_unit,
        "reference_objective": results.reference_objective,
        "explanation": list(results.explanation),
        "story": story(results),
    }
    if results.tables:
        document["plant_states"] = _frame(
            results["plant_states"].select("plant", "period", "state", "planned")
        )
        document["transitions"] = _frame(results["transitions"])
        for name in ("cost_by_term", "savings", "unmet_demand", "delivery_distance"):
            document[name] = _frame(compute(results, name))
        moves = results.tables.get("moves")
        document["moves"] = 0 if moves is None else moves.height
    document["tables"] = sorted(results.tables)
    return clean(document)


def table(app: Services, ref: str, name: str, *, limit: int, offset: int) -> dict[str, Any]:
    results = load(app, ref)
    if name not in results.tables:
        known = ", ".join(sorted(results.tables)) or "none (the run has no plan)"
        raise NotFoundError(f"run {ref} has no table '{name}'; its tables: {known}")
    frame = results[name]
    return {
        "table": name,
        "rows": frame.height,
        "offset": offset,
        "columns": frame.columns,
        "data": _frame(frame.slice(offset, limit)),
    }


def dashboard(app: Services, ref: str) -> dict[str, Any]:
    """Everything the run page draws, from the report's own pieces."""
    from millnet.report import charts, maps, tables
    from millnet.report.story import story

    results = load(app, ref)
    info = store(app).info(ref)
    context: dict[str, Any] = {
        "info": info,
        "results": results,
        "outcome": results.outcome,
        "story": story(results),
        "has_plan": bool(results.tables),
    }
    if not results.tables:
        return context
    currency, unit = results.currency, results.mass_unit
    savings = compute(results, "savings")
    served = compute(results, "unmet_demand")
    unmet = float(served["unmet"].sum()) if served.height else 0.0
    shipped = float(served["shipped"].sum()) if served.height else 0.0
    transitions = results["transitions"]
    figures = {
        "chart-bridge": charts.cost_bridge(results),
        "chart-utilisation": charts.utilisation_heatmap(results),
    }
    if results["unmet"].height:
        figures["chart-unmet"] = charts.unmet_by_period(results)
    moves = results.tables.get("moves")
    geo = maps.map_data(results)
    first_change = transitions.sort("period")["period"][0] if transitions.height else None
    context |= {
        "savings": savings.row(0, named=True) if savings.height else None,
        "unmet": unmet,
        "served_share": shipped / (shipped + unmet) if shipped + unmet else None,
        "transitions": transitions.sort("period", "plant").to_dicts(),
        "timeline": timeline(results),
        "figures": clean(figures),
        "map": clean(geo) if geo else None,
        "first_change": first_change,
        "moves_count": 0 if moves is None else moves.height,
        "moves_mass": 0.0 if moves is None or not moves.height else float(moves["quantity"].sum()),
        "cost_table": tables.html_table(compute(results, "cost_by_term"), "costs", currency, unit),
        "moves_table": tables.html_table(moves, "moves", currency, unit, limit=200)
        if moves is not None and moves.height
        else None,
        "exposure_table": tables.html_table(
            compute(results, "metal_exposure"), "metal", currency, unit
        ),
        "unmet_table": tables.html_table(results["unmet"], "unmet", currency, unit, limit=200)
        if results["unmet"].height
        else None,
    }
    return context


def _run_label(app: Services, ref: str, results: Results) -> dict[str, Any]:
    info = store(app).info(ref)
    return {
        "id": info.id,
        "case": results.case_name,
        "scenario": results.scenario,
        "sweep": info.sweep,
        "status": results.outcome.status.value,
        "objective": results.outcome.objective,
        "currency": results.currency,
        "mass_unit": results.mass_unit,
    }


def comparison(app: Services, a: str, b: str) -> dict[str, Any]:
    """Run ``b`` against run ``a`` (the baseline): :class:`~millnet.results.compare.Comparison`
    with both runs named."""
    from millnet.results.compare import compare as compare_results

    first, second = load(app, a), load(app, b)
    return {
        "a": _run_label(app, a, first),
        "b": _run_label(app, b, second),
        "result": compare_results(first, second),
        "timelines": (timeline(first), timeline(second)),
    }


def compare(app: Services, a: str, b: str) -> dict[str, Any]:
    """The comparison as JSON: plant states that differ, demand rows served from another
    plant, and every headline KPI with A, B, B − A and %."""
    found = comparison(app, a, b)
    result = found["result"]
    return clean(
        {
            "a": found["a"],
            "b": found["b"],
            "same_decisions": result.same_decisions,
            "states": result.states.to_dicts(),
            "sourcing": result.sourcing.to_dicts(),
            "kpis": result.kpis.to_dicts(),
        }
    )


def compare_view(app: Services, a: str, b: str) -> dict[str, Any]:
    """What the compare page draws: the JSON comparison plus both timelines, with the cells
    that differ marked."""
    found = comparison(app, a, b)
    result = found["result"]
    differs = {(r["plant"], r["period"]) for r in result.states.iter_rows(named=True)}
    moved = (
        result.sourcing.group_by("plant_a", "plant_b")
        .agg(pl.len().alias("rows"), pl.col("quantity_b").sum().alias("quantity"))
        .sort("quantity", descending=True)
        if result.sourcing.height
        else None
    )
    return {
        "a": found["a"],
        "b": found["b"],
        "same": result.same_decisions,
        "states": result.states.to_dicts(),
        "sourcing_rows": result.sourcing.height,
        "moved": [] if moved is None else clean(moved.to_dicts()),
        "kpis": clean(result.kpis.to_dicts()),
        "timelines": found["timelines"],
        "differs": differs,
    }


def sweeps(app: Services) -> list[dict[str, Any]]:
    """Sweeps in the store: name, case, runs, statuses, last saved."""
    found: dict[str, dict[str, Any]] = {}
    for run in store(app).list():
        if not run.sweep:
            continue
        entry = found.setdefault(
            run.sweep,
            {
                "sweep": run.sweep,
                "case": run.case,
                "runs": 0,
                "statuses": {},
                "last": run.created_at,
            },
        )
        entry["runs"] += 1
        entry["statuses"][run.status] = entry["statuses"].get(run.status, 0) + 1
        entry["last"] = max(entry["last"], run.created_at)
    return sorted(found.values(), key=lambda e: e["last"], reverse=True)


def _sweep(app: Services, name: str) -> tuple[list[Any], Any]:
    from millnet.results.collection import summarize

    runs = store(app).list(sweep=name)
    if not runs:
        raise NotFoundError(f"no runs of sweep '{name}' in the store")
    # oldest first, so the sweep's own order decides ties and lists
    runs = sorted(runs, key=lambda r: (r.created_at, r.id))
    loaded = [store(app).load(r.id) for r in runs]
    names = [r.scenario or r.id for r in runs]
    return runs, summarize(loaded, names)


def sweep_summary(app: Services, name: str) -> dict[str, Any]:
    """How often each plant-state decision holds across the runs of a sweep, the spread of
    total cost, and which scenarios flip which decision."""
    runs, summary = _sweep(app, name)
    return clean(
        {
            "sweep": name,
            "runs": summary.runs.to_dicts(),
            "run_ids": {r.scenario or r.id: r.id for r in runs},
            "states": summary.states.to_dicts(),
            "usual": summary.usual.to_dicts(),
            "flips": summary.flips.to_dicts(),
            "cost": summary.cost.to_dicts(),
        }
    )


def sweep_view(app: Services, name: str) -> dict[str, Any]:
    """The sweep page: the share of runs that chose each plant's usual state per period."""
    document = sweep_summary(app, name)
    periods = list(dict.fromkeys(r["period"] for r in document["usual"]))
    grid: dict[str, dict[str, dict[str, Any]]] = {}
    for r in document["usual"]:
        grid.setdefault(r["plant"], {})[r["period"]] = r
    shares: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in document["states"]:
        shares.setdefault((r["plant"], r["period"]), []).append(r)
    return {**document, "periods": periods, "grid": grid, "shares": shares}
