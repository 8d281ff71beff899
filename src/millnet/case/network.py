"""Who may serve what: candidate plants per customer and product, and routing coverage.

Shared by validation (every demand row must have a candidate) and the model (lanes are the
candidates). A product with no qualification rows may be made at any plant whose resources cover
its routing; a product with rows (by id or by family) only at the plants listed, for the
customers listed (blank = any).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import polars as pl

from millnet.case.model import Case

_STATUS_RANK = {"qualified": 0, "qualifiable": 1}
_MEMO: OrderedDict[tuple[str, str], Any] = OrderedDict()
_MEMO_SIZE = 16


def _memo(case: Case, function: Callable[[Case], pl.DataFrame]) -> pl.DataFrame:
    """``function(case)`` computed once per case content: validation and the model both ask for
    the same derived tables (frames are never changed in place, so sharing them is safe)."""
    key = (case.fingerprint, function.__name__)
    if key in _MEMO:
        _MEMO.move_to_end(key)
        return _MEMO[key]
    value = _MEMO[key] = function(case)
    while len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)
    return value


def open_plants(case: Case) -> pl.DataFrame:
    """``plant_id`` of every plant that is not closed at the start."""
    return _memo(case, _open_plants)


def _open_plants(case: Case) -> pl.DataFrame:
    plants = case["plants"].drop_nulls("id")
    return plants.filter(pl.col("initial_state") != "closed").select(pl.col("id").alias("plant_id"))


def routing_steps(case: Case) -> pl.DataFrame:
    """``(product_id, resource, usage, yield)`` of every routing step."""
    return (
        case["routings"]
        .drop_nulls(["product_id", "resource"])
        .select("product_id", "resource", "usage", "yield")
    )


def plant_product_gaps(case: Case) -> pl.DataFrame:
    """``(plant_id, product_id, lacks)``: the routing resources each open plant lacks for each
    product (an empty list when it has them all)."""
    return _memo(case, _plant_product_gaps)


def _plant_product_gaps(case: Case) -> pl.DataFrame:
    routing = routing_steps(case).select("product_id", "resource")
    resources = (
        case["resources"]
        .drop_nulls(["plant_id", "resource"])
        .filter(pl.col("capacity").fill_null(0) > 0)
        .select("plant_id", "resource")
    )
    pairs = open_plants(case).join(routing.select("product_id").unique(), how="cross")
    lacking = (
        open_plants(case)
        .join(routing, how="cross")
        .join(resources, on=["plant_id", "resource"], how="anti")
        .group_by(["plant_id", "product_id"])
        .agg(pl.col("resource").sort().alias("lacks"))
    )
    return pairs.join(lacking, on=["plant_id", "product_id"], how="left").with_columns(
        pl.col("lacks").fill_null(pl.lit([], dtype=pl.List(pl.String)))
    )


def qualification_rows(case: Case) -> pl.DataFrame:
    """Qualification rows expanded to products: ``(qualification, plant_id, product_id,
    for_customer, status, cost, lead)``; ``qualification`` is the row's index in the table."""
    return _memo(case, _qualification_rows)


def _qualification_rows(case: Case) -> pl.DataFrame:
    q = case["qualifications"].with_row_index("qualification")
    products = case["products"].drop_nulls("id").select(pl.col("id").alias("product_id"), "family")
    columns = [
        "qualification",
        "plant_id",
        "product_id",
        pl.col("customer_id").alias("for_customer"),
        "status",
        pl.col("requalification_cost").alias("cost"),
        pl.col("requalification_lead_periods").alias("lead"),
    ]
    by_product = q.filter(pl.col("product_id").is_not_null()).select(columns)
    by_family = (
        q.filter(pl.col("product_id").is_null() & pl.col("family").is_not_null())
        .drop("product_id")
        .join(products, on="family", how="inner")
        .select(columns)
    )
    return pl.concat([by_product, by_family]).join(open_plants(case), on="plant_id", how="semi")


def candidates(case: Case, pairs: pl.DataFrame) -> pl.DataFrame:
    """Every plant that may serve each ``(customer_id, product_id)`` of ``pairs``, with how.

    Columns: ``customer_id, product_id, plant_id, status`` (qualified or qualifiable),
    ``qualification`` (the qualification row that allows it; null when the product needs none),
    ``cost``, ``lead`` (to qualify). Where several rows allow the same plant, the best one is kept
    (qualified before qualifiable, then the cheapest).
    """
    keys = pairs.select("customer_id", "product_id").unique().sort("customer_id", "product_id")
    # validation and the model ask for the same pairs of the same case: answer once
    memo_key = (case.fingerprint, "candidates")
    if memo_key in _MEMO:
        asked, answer = _MEMO[memo_key]
        if asked.equals(keys):
            return answer
    answer = _candidates(case, keys)
    _MEMO[memo_key] = (keys, answer)
    while len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)
    return answer


def _candidates(case: Case, keys: pl.DataFrame) -> pl.DataFrame:
    listed = qualification_rows(case)
    restricted = listed["product_id"].unique()
    free = (
        keys.filter(~pl.col("product_id").is_in(restricted.implode()))
        .join(open_plants(case), how="cross")
        .with_columns(
            pl.lit("qualified").alias("status"),
            pl.lit(None, dtype=pl.UInt32).alias("qualification"),
            pl.lit(0.0).alias("cost"),
            pl.lit(0, dtype=pl.Int64).alias("lead"),
        )
    )
    allowed = (
        keys.filter(pl.col("product_id").is_in(restricted.implode()))
        .join(listed, on="product_id", how="inner")
        .filter(
            pl.col("for_customer").is_null() | (pl.col("for_customer") == pl.col("customer_id"))
        )
        .with_columns(pl.col("status").replace_strict(_STATUS_RANK, default=9).alias("__rank"))
        .sort(["__rank", "cost", "qualification"])
        .unique(["customer_id", "product_id", "plant_id"], keep="first", maintain_order=True)
        .select(free.columns)
    )
    return pl.concat([free.select(allowed.columns), allowed]).sort(
        ["customer_id", "product_id", "plant_id"]
    )
