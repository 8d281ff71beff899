"""Tiny cases built in Python for the formulation tests, and readers of their plans.

A tiny case has 1–3 plants in the US (unless told), quarters of 2024 as periods, one product
``W`` made on one resource ``line`` (usage 1, yield 1, unless told) and customers in the US.
Plant costs default to zero; freight is set per plant and customer through the ``lanes`` table
(zero when not given) so that every cost per unit is exact. Products hold no metal unless a
``copper_per_unit`` is given; a copper price row per period is still present, as validation
wants one for every product.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

import millnet
from millnet.case import Case
from millnet.model.options import ModelOptions
from millnet.plan import solve_case
from millnet.results.results import Results
from millnet.schema import TABLES, CaseMeta
from millnet.solve.status import Status

#: Period ids and (start, end) dates: the quarters of 2024.
QUARTERS = {
    "P1": (dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
    "P2": (dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
    "P3": (dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
    "P4": (dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
}

#: A plant costs nothing to keep running, but 1 to idle or to close: a plant with nothing to do
#: keeps running (a strict preference, so that plans are unique). Tests of the lifecycle set
#: every cost they rely on.
PLANT_DEFAULTS: dict[str, Any] = {
    "country": "US",
    "region": "NA",
    "lat": 40.0,
    "lon": -75.0,
    "initial_state": "running",
    "currency": "USD",
    "fixed_cost_running": 0.0,
    "fixed_cost_idle": 0.0,
    "cost_to_idle": 1.0,
    "cost_to_restart": 0.0,
    "cost_to_close": 1.0,
    "restart_lead_periods": 0,
    "min_idle_periods": 0,
    "min_output": 0.0,
}


def frame(table: str, rows: Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    """``rows`` as a frame with every declared column of ``table`` (absent cells take the
    declared default, else blank) in its declared type, plus any extra columns (as floats)."""
    rows = list(rows)
    declared = TABLES[table]
    columns: dict[str, pl.Series] = {}
    for column in declared.columns:
        values = [row.get(column.name, column.default) for row in rows]
        columns[column.name] = pl.Series(column.name, values, dtype=column.polars_dtype)
    extras = sorted({k for row in rows for k in row} - set(declared.column_names))
    for name in extras:
        columns[name] = pl.Series(name, [row.get(name) for row in rows], dtype=pl.Float64)
    return pl.DataFrame(columns)


def plant(plant_id: str, *, capacity: float = 1.0e6, variable: float = 0.0, **kw: Any) -> dict:
    """A plant row; ``capacity`` and ``variable`` (cost per capacity unit) go to its ``line``."""
    return {
        "id": plant_id,
        "name": plant_id,
        **PLANT_DEFAULTS,
        **kw,
        "_capacity": capacity,
        "_variable": variable,
    }


def demand(customer: str, period: str, quantity: float, price: float = 10.0, **kw: Any) -> dict:
    """A demand row of product ``W`` at a fixed price (override any column with ``kw``)."""
    return {
        "customer_id": customer,
        "product_id": "W",
        "period_id": period,
        "quantity": quantity,
        "price_basis": "fixed",
        "price": price,
        "conversion_adder": None,
        "tolled": False,
        **kw,
    }


def tiny_case(
    plants: list[dict],
    demand_rows: list[dict],
    *,
    periods: int = 1,
    freight: Mapping[tuple[str, str], float] | None = None,
    customers: Mapping[str, str] | None = None,
    duties: Iterable[tuple[str, str, float]] = (),
    fx: Iterable[tuple[str, str, float]] = (),
    qualifications: Iterable[Mapping[str, Any]] = (),
    routing: Iterable[tuple[str, float, float]] = (("line", 1.0, 1.0),),
    resources: Iterable[tuple[str, str, float, float]] | None = None,
    product: Mapping[str, Any] | None = None,
    copper_price: float = 0.0,
    copper_premium: float = 0.0,
    plan_from: str | None = None,
    sourcing: Iterable[tuple[str, str, float | None]] = (),
) -> Case:
    """A valid case from plant rows (see :func:`plant`) and demand rows (see :func:`demand`).

    ``freight`` maps (plant, customer) to a freight cost per unit (lanes table); ``customers``
    maps customer ids to countries (default US for every customer with demand); ``routing`` is
    (resource, usage, yield) of product W; ``resources`` (plant, resource, capacity, variable
    cost) replaces the one ``line`` per plant; ``sourcing`` is (customer, plant today, move
    cost or None) for product W.
    """
    period_ids = list(QUARTERS)[:periods]
    meta = CaseMeta(
        name="tiny",
        currency="USD",
        mass_unit="lb",
        distance_unit="mi",
        plan_from=plan_from,
    )
    if customers is None:
        customers = {row["customer_id"]: "US" for row in demand_rows}
    if resources is None:
        resources = [(p["id"], "line", p["_capacity"], p["_variable"]) for p in plants]
    tables = {
        "periods": frame(
            "periods",
            [
                {"id": pid, "start": QUARTERS[pid][0], "end": QUARTERS[pid][1], "order": i + 1}
                for i, pid in enumerate(period_ids)
            ],
        ),
        "plants": frame(
            "plants", [{k: v for k, v in p.items() if not k.startswith("_")} for p in plants]
        ),
        "resources": frame(
            "resources",
            [
                {
                    "plant_id": p,
                    "resource": r,
                    "capacity": c,
                    "capacity_unit": "lb",
                    "variable_cost": v,
                }
                for p, r, c, v in resources
            ],
        ),
        "products": frame("products", [{"id": "W", "family": "wire", **(product or {})}]),
        "routings": frame(
            "routings",
            [{"product_id": "W", "resource": r, "usage": u, "yield": y} for r, u, y in routing],
        ),
        "customers": frame(
            "customers",
            [
                {
                    "id": cid,
                    "name": cid,
                    "segment": "industrial_energy",
                    "channel": "oem",
                    "country": country,
                    "lat": 41.0,
                    "lon": -74.0,
                    "region": "NA",
                }
                for cid, country in customers.items()
            ],
        ),
        "demand": frame("demand", demand_rows),
        "lanes": frame(
            "lanes",
            [
                {"plant_id": p, "customer_id": c, "cost_per_unit": cost}
                for (p, c), cost in (freight or {}).items()
            ],
        ),
        "duties": frame(
            "duties",
            [{"origin_country": o, "destination_country": d, "rate": r} for o, d, r in duties],
        ),
        "fx": frame("fx", [{"period_id": p, "currency": c, "rate": r} for p, c, r in fx]),
        "qualifications": frame("qualifications", qualifications),
        "sourcing": frame(
            "sourcing",
            [
                {"customer_id": c, "product_id": "W", "plant_id": p, "move_cost": cost}
                for c, p, cost in sourcing
            ],
        ),
        "metal_prices": frame(
            "metal_prices",
            [
                {
                    "period_id": pid,
                    "metal": "copper",
                    "price": copper_price,
                    "unit": "USD/lb",
                    "premium": copper_premium,
                }
                for pid in period_ids
            ],
        ),
    }
    case = Case(meta=meta, tables=tables)
    report = millnet.validate(case)
    assert report.ok, [str(issue) for issue in report.issues]
    return case


def solve(case: Case, **options: Any) -> Results:
    """The optimal plan of ``case`` with these model options (no reference plan)."""
    results = solve_case(case, ModelOptions(**options), reference=False)
    assert results.outcome.status is Status.OPTIMAL, results.outcome.termination
    return results


def states(results: Results) -> dict[str, tuple[str, ...]]:
    """Plant → its state in every reported period, in order."""
    table = results.tables["plant_states"]
    return {
        plant_id: tuple(group["state"].to_list())
        for (plant_id,), group in table.group_by("plant", maintain_order=True)
    }


def flows(results: Results) -> dict[tuple[str, str, str], float]:
    """(plant, customer, period) → quantity shipped (lanes that carry something)."""
    return {
        (r["plant"], r["customer"], r["period"]): r["quantity"]
        for r in results.tables["flows"].iter_rows(named=True)
    }


def unmet(results: Results) -> dict[tuple[str, str], float]:
    """(customer, period) → quantity left unmet (rows with some unmet)."""
    return {
        (r["customer"], r["period"]): r["unmet"]
        for r in results.tables["unmet"].iter_rows(named=True)
    }
