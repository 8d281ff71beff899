"""Cross-table rules: one pure function per rule, registered by name.

Each rule takes a :class:`~millnet.case.Case` and yields issues. Rules assume only what the
declarations guarantee (columns exist, types are right); blank cells are skipped, since they
were reported when the case was read.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator

import polars as pl

from millnet.case.coerce import cell_issues
from millnet.case.model import Case
from millnet.case.network import candidates, plant_product_gaps, routing_steps
from millnet.issues import Issue, rows_phrase
from millnet.validate.units import parse_price_unit

Rule = Callable[[Case], Iterator[Issue]]

#: Every cross-table rule, by name, in the order they run.
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[name] = func
        return func

    return register


def _file(case: Case, table: str) -> str:
    return case.source(table).file


@rule("periods-contiguous")
def periods_contiguous(case: Case) -> Iterator[Issue]:
    """Orders run 1, 2, 3 … without gaps; each period ends on or after it starts; each starts
    the day after the previous one ends."""
    periods = case["periods"].with_columns(case.row_numbers("periods").alias("__row"))
    file = _file(case, "periods")
    periods = periods.drop_nulls(["order"])
    if periods.height == 0:
        return
    backwards = periods.filter(pl.col("end") < pl.col("start"))
    for r in backwards.iter_rows(named=True):
        yield Issue(
            "error",
            "periods",
            r["__row"],
            "end",
            f"the period ends ({r['end']}) before it starts ({r['start']})",
            file,
            "period-dates",
        )
    ordered = periods.sort("order")
    expected = list(range(1, ordered.height + 1))
    orders = ordered["order"].to_list()
    if orders != expected and len(set(orders)) == len(orders):
        gaps = sorted(set(expected) - set(orders))
        yield Issue(
            "error",
            "periods",
            None,
            "order",
            f"orders must run 1, 2, … "
            f"{ordered.height} without gaps; missing {', '.join(map(str, gaps[:10]))}",
            file,
            "period-order",
        )
    records = ordered.to_dicts()
    for previous, current in itertools.pairwise(records):
        if previous["end"] is None or current["start"] is None:
            continue
        if current["start"] != previous["end"] + dt.timedelta(days=1):
            yield Issue(
                "error",
                "periods",
                current["__row"],
                "start",
                f"period {current['id']} starts on {current['start']}; expected "
                f"{previous['end'] + dt.timedelta(days=1)}, the day after period "
                f"{previous['id']} ends (periods must be contiguous)",
                file,
                "period-contiguous",
            )


@rule("plan-from")
def plan_from(case: Case) -> Iterator[Issue]:
    """``plan_from`` in case.toml names a period."""
    if case.meta is None or case.meta.plan_from is None:
        return
    ids = case["periods"]["id"].drop_nulls().to_list()
    if ids and case.meta.plan_from not in ids:
        file = (
            "case.toml"
            if case.source_format != "xlsx"
            else _file(case, "periods").split("[")[0] + "[case]"
        )
        yield Issue(
            "error",
            "case",
            None,
            "plan_from",
            f"found '{case.meta.plan_from}', which "
            f"is not a period id; expected one of {', '.join(ids[:12])}",
            file,
            "plan-from",
        )


@rule("price-basis")
def price_basis(case: Case) -> Iterator[Issue]:
    """A ``fixed`` demand row has a price; a ``metal_plus_adder`` row has a conversion adder."""
    demand = case["demand"]
    rows = case.row_numbers("demand")
    file = _file(case, "demand")
    for basis, column in (("fixed", "price"), ("metal_plus_adder", "conversion_adder")):
        bad = (demand["price_basis"] == basis) & demand[column].is_null()
        yield from cell_issues(
            bad,
            rows,
            None,
            table="demand",
            file=file,
            column=column,
            rule="price-basis",
            message=f"missing value; price_basis '{basis}' needs a {column}",
        )


@rule("qualification-target")
def qualification_target(case: Case) -> Iterator[Issue]:
    """Each qualification row names a product or a family, not both and not neither."""
    q = case["qualifications"]
    if q.height == 0:
        return
    rows = case.row_numbers("qualifications")
    file = _file(case, "qualifications")
    both = q["product_id"].is_not_null() & q["family"].is_not_null()
    neither = q["product_id"].is_null() & q["family"].is_null()
    yield from cell_issues(
        both,
        rows,
        None,
        table="qualifications",
        file=file,
        column="family",
        rule="qualification-target",
        message="both product_id and family are given; give one of them",
    )
    yield from cell_issues(
        neither,
        rows,
        None,
        table="qualifications",
        file=file,
        column="product_id",
        rule="qualification-target",
        message="missing value; give a product_id or a family",
    )


@rule("metal-price-units")
def metal_price_units(case: Case) -> Iterator[Issue]:
    """A metal price is quoted in the case currency or one with exchange rates."""
    prices = case["metal_prices"]
    if prices.height == 0 or case.meta is None:
        return
    known = {case.meta.currency, *case["fx"]["currency"].drop_nulls().to_list()}
    rows = case.row_numbers("metal_prices")
    currencies = prices["unit"].map_elements(
        lambda u: (parse_price_unit(u) or ("", ""))[0], return_dtype=pl.String, skip_nulls=True
    )
    bad = currencies.is_not_null() & (currencies != "") & ~currencies.is_in(list(known))
    yield from cell_issues(
        bad,
        rows,
        prices["unit"],
        table="metal_prices",
        file=_file(case, "metal_prices"),
        column="unit",
        rule="currency",
        message=lambda v: (
            f"found {v!r}: its currency is neither the case currency "
            f"({case.meta.currency if case.meta else '?'}) nor one with rates in fx"
        ),
    )


@rule("resource-units")
def resource_units(case: Case) -> Iterator[Issue]:
    """A resource has one capacity unit across plants (routing usage is per that unit)."""
    resources = case["resources"].with_columns(case.row_numbers("resources").alias("__row"))
    resources = resources.drop_nulls(["resource", "capacity_unit"])
    first = resources.group_by("resource", maintain_order=True).agg(
        pl.col("capacity_unit").first().alias("__unit"), pl.col("plant_id").first().alias("__at")
    )
    odd = resources.join(first, on="resource").filter(pl.col("capacity_unit") != pl.col("__unit"))
    for r in odd.head(20).iter_rows(named=True):
        yield Issue(
            "error",
            "resources",
            r["__row"],
            "capacity_unit",
            f"found '{r['capacity_unit']}' for {r['resource']}; expected '{r['__unit']}' as at "
            f"{r['__at']} (one unit per resource, since routings use it)",
            _file(case, "resources"),
            "resource-unit",
        )


@rule("fx-coverage")
def fx_coverage(case: Case) -> Iterator[Issue]:
    """Every currency other than the case's has a rate for every period."""
    if case.meta is None:
        return
    periods = case["periods"]["id"].drop_nulls().to_list()
    fx = case["fx"].drop_nulls(["period_id", "currency"])
    have = set(zip(fx["period_id"].to_list(), fx["currency"].to_list(), strict=True))
    plants = case["plants"].with_columns(case.row_numbers("plants").alias("__row"))
    seen: set[str] = set()
    for record in plants.drop_nulls("currency").iter_rows(named=True):
        currency = record["currency"]
        if currency == case.meta.currency or currency in seen:
            continue
        seen.add(currency)
        missing = [p for p in periods if (p, currency) not in have]
        if missing:
            yield Issue(
                "error",
                "plants",
                record["__row"],
                "currency",
                f"currency {currency} has no exchange rate in fx for "
                f"{'periods' if len(missing) > 1 else 'period'} "
                f"{', '.join(missing[:12])}",
                _file(case, "plants"),
                "fx-coverage",
            )


def product_metals(case: Case) -> pl.DataFrame:
    """``(product_id, metal)`` for every metal a product contains: copper, plus its coating."""
    products = case["products"].drop_nulls("id")
    copper = products.select(pl.col("id").alias("product_id"), pl.lit("copper").alias("metal"))
    coated = products.filter(pl.col("coating").is_in(["tin", "silver", "nickel"])).select(
        pl.col("id").alias("product_id"), pl.col("coating").alias("metal")
    )
    return pl.concat([copper, coated])


@rule("metal-prices-present")
def metal_prices_present(case: Case) -> Iterator[Issue]:
    """A price for every metal and period that demanded products need (tolled rows bring their
    own copper)."""
    demand = case["demand"].with_columns(case.row_numbers("demand").alias("__row"))
    demand = demand.drop_nulls(["product_id", "period_id"])
    needs = (
        demand.join(product_metals(case), on="product_id", how="inner")
        .filter(~((pl.col("metal") == "copper") & pl.col("tolled").fill_null(False)))
        .group_by(["metal", "period_id"], maintain_order=True)
        .agg(pl.col("__row"))
    )
    have = case["metal_prices"].drop_nulls(["period_id", "metal"]).select("period_id", "metal")
    missing = needs.join(have, on=["period_id", "metal"], how="anti")
    for record in missing.head(40).iter_rows(named=True):
        yield Issue(
            "error",
            "metal_prices",
            None,
            "price",
            f"no {record['metal']} price for period {record['period_id']}; demand "
            f"{rows_phrase(record['__row'], limit=5)} of {_file(case, 'demand')} need it",
            _file(case, "metal_prices"),
            "metal-prices",
        )


@rule("demand-coverage")
def demand_coverage(case: Case) -> Iterator[Issue]:
    """Every demand row can be served: by a plant that is not closed, is qualified or
    qualifiable for it (when its product has qualification rows), and has every resource of the
    product's routing."""
    demand = case["demand"].with_columns(case.row_numbers("demand").alias("__row"))
    demand = demand.drop_nulls(["customer_id", "product_id"])
    if demand.height == 0:
        return
    file = _file(case, "demand")
    steps = routing_steps(case).group_by("product_id").agg(pl.len().alias("__steps"))

    # Products with demand but no routing: nothing says how to make them.
    no_routing = demand.join(steps, on="product_id", how="anti")
    for product, group in no_routing.group_by("product_id", maintain_order=True):
        rows = group["__row"].to_list()
        yield Issue(
            "error",
            "demand",
            rows[0],
            "product_id",
            f"product '{product[0]}' has no routing in {_file(case, 'routings')}, so no "
            f"plant can make it ({rows_phrase(rows, 5)})",
            file,
            "coverage",
        )

    pairs = (
        demand.group_by(["customer_id", "product_id"], maintain_order=True)
        .agg(pl.col("__row"))
        .join(steps, on="product_id", how="semi")
    )
    scored = (
        candidates(case, pairs)
        .join(plant_product_gaps(case), on=["plant_id", "product_id"], how="left")
        .with_columns(pl.col("lacks").list.len().fill_null(0).alias("__missing"))
    )
    best = (
        scored.sort(["__missing", "plant_id"])
        .group_by(["customer_id", "product_id"], maintain_order=True)
        .first()
    )
    failing = pairs.join(
        best.filter(pl.col("__missing") == 0), on=["customer_id", "product_id"], how="anti"
    ).join(best, on=["customer_id", "product_id"], how="left")
    for record in failing.head(40).iter_rows(named=True):
        rows = record["__row"]
        product, customer = record["product_id"], record["customer_id"]
        if record["plant_id"] is None:
            reason = (
                f"no plant that is not closed is qualified or qualifiable for product "
                f"'{product}' for customer '{customer}'"
            )
        else:
            lacks = ", ".join(record["lacks"] or [])
            reason = (
                f"no plant has every resource the routing of '{product}' needs; the "
                f"closest, {record['plant_id']}, lacks {lacks}"
            )
        yield Issue(
            "error",
            "demand",
            rows[0],
            "product_id",
            f"cannot be served: {reason} ({rows_phrase(rows, 5)})",
            file,
            "coverage",
        )


_WIRE_COLUMNS = ("gauge", "strands", "strand_gauge", "coating", "coating_class")
_WIRE_ERROR = re.compile(r"^row \d+, column (\w+): (.*)$", re.DOTALL)


@rule("wire-construction")
def wire_construction(case: Case) -> Iterator[Issue]:
    """Products that state a wire construction can be computed by the wire engine: the gauge
    exists (4/0 … 56), the coating class exists for its metal (ASTM B298 A–E for silver, B355
    2/4/7/10/27 for nickel, a weight % or thickness for tin)."""
    from millnet.errors import MillnetError
    from millnet.wire import products_metal_content

    products = case["products"].with_columns(case.row_numbers("products").alias("__row"))
    products = products.filter(pl.col("gauge").is_not_null())
    if products.height == 0:
        return
    columns = [c for c in _WIRE_COLUMNS if c in products.columns]
    combos = products.group_by(columns, maintain_order=True).agg(pl.col("__row"))
    for record in combos.iter_rows(named=True):
        rows = record.pop("__row")
        try:
            products_metal_content(pl.DataFrame([record]), first_row=rows[0])
        except MillnetError as exc:
            match = _WIRE_ERROR.match(exc.message)
            column, message = (match.group(1), match.group(2)) if match else (None, exc.message)
            for row in rows[:20]:
                yield Issue(
                    "error",
                    "products",
                    row,
                    column,
                    message,
                    _file(case, "products"),
                    "wire-construction",
                )


@rule("freight-places")
def freight_places(case: Case) -> Iterator[Issue]:
    """Freight origins and destinations are regions or countries the case knows, or ``*``."""
    freight = case["freight"]
    if freight.height == 0:
        return
    places = {"*"}
    for table in ("plants", "customers"):
        frame = case[table]
        places |= set(frame["country"].drop_nulls().to_list())
        places |= set(frame["region"].drop_nulls().to_list())
    rows = case.row_numbers("freight")
    for column in ("origin", "destination"):
        series = freight[column]
        bad = series.is_not_null() & ~series.is_in(sorted(places))
        yield from cell_issues(
            bad,
            rows,
            series,
            table="freight",
            file=_file(case, "freight"),
            column=column,
            rule="freight-place",
            severity="warning",
            message=lambda v: (
                f"found {v!r}, which is no plant's or customer's region or "
                "country; the rate is never used"
            ),
        )
