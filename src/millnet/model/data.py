"""ModelData: the only place case tables become the arrays the model is built from.

Every join states its cardinality and every cost is converted to the case currency and mass unit
here, so that the builders only index arrays. Lanes are the flat axis of the model: one lane per
(demand row, candidate plant) pair, never a dense plant × customer × product × period grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from millnet.case.model import Case
from millnet.case.network import candidates, plant_product_gaps, routing_steps
from millnet.errors import MillnetError
from millnet.model.options import ModelOptions
from millnet.schema.tables import METALS
from millnet.validate.units import POUNDS_PER_UNIT, parse_price_unit

STATES = ("running", "idle", "closed")
STATE_CODE = {s: i for i, s in enumerate(STATES)}
#: Pounds per case mass unit.
POUNDS_PER_MASS_UNIT = {"lb": 1.0, "kg": POUNDS_PER_UNIT["kg"], "t": POUNDS_PER_UNIT["t"]}
EARTH_RADIUS = {"mi": 3958.7613, "km": 6371.0088}
#: Unmet demand costs this many times the row's price per unit (objective cost): the sale is
#: lost and so is the customer's goodwill, so the plan serves whatever it can.
UNMET_PRICE_MULTIPLE = 10.0
#: The cost per unit of unmet demand when a row has no price to lose (objective cost).
FALLBACK_PENALTY = 1.0e6


MOVES_SCHEMA = {
    "move": pl.Int64,
    "customer_id": pl.String,
    "product_id": pl.String,
    "plant": pl.Int64,
    "cost": pl.Float64,
}


@dataclass(frozen=True, eq=False)
class ModelData:
    """Arrays and tidy tables of one planning problem (frozen; built by :func:`prepare`)."""

    case_fingerprint: str
    options: ModelOptions
    currency: str
    mass_unit: str
    plants: tuple[str, ...]
    periods: tuple[str, ...]
    history: tuple[str, ...]
    #: State before the first planned period, by plant (codes of STATES).
    initial_state: np.ndarray
    #: Costs by plant × planned period, in the case currency.
    fixed_running: np.ndarray
    fixed_idle: np.ndarray
    cost_to_idle: np.ndarray
    cost_to_restart: np.ndarray
    cost_to_close: np.ndarray
    restart_lead: np.ndarray
    min_idle: np.ndarray
    min_output: np.ndarray
    #: One row per planned demand row: ``demand`` index, ids, ``period`` index, ``quantity``,
    #: ``revenue`` (per unit), ``penalty`` (per unit unmet), ``row`` (spreadsheet row).
    demand: pl.DataFrame
    #: One row per lane: ``lane``, ``demand``, ``plant`` and ``period`` indexes, cost per unit by
    #: term (``variable``, ``freight``, ``duty``, ``metal``), ``distance``, ``qualification``
    #: group (null when none is needed).
    lanes: pl.DataFrame
    #: Qualification groups that may be bought: ``group``, ``plant``, ``cost``, ``lead``, ``key``.
    qualifications: pl.DataFrame
    #: Plant-resource pairs with capacity: ``pr``, ``plant``, ``resource``, ``capacity``,
    #: ``capacity_unit``.
    resources: pl.DataFrame
    #: Capacity use: ``lane``, ``pr``, ``coef`` (capacity units per unit shipped).
    loads: pl.DataFrame
    #: Metal content per unit shipped, by lane and metal (for exposure and results).
    metal: pl.DataFrame
    #: Metal value billed per unit, by demand row and metal (metal_plus_adder rows only).
    billed: pl.DataFrame
    #: Pairs (customer, product) served today by a plant (table ``sourcing``) whose move costs
    #: something: ``move``, ``customer_id``, ``product_id``, ``plant`` (index of today's plant),
    #: ``cost`` (case currency, once per pair moved).
    moves: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=MOVES_SCHEMA))

    @property
    def n_plants(self) -> int:
        return len(self.plants)

    @property
    def n_periods(self) -> int:
        return len(self.periods)


def prepare(case: Case, options: ModelOptions | None = None) -> ModelData:
    """Turn a valid case into model arrays (raise :class:`MillnetError` on what a model needs
    but validation cannot know, e.g. an unknown ``--from`` period)."""
    options = options or ModelOptions()
    if case.meta is None:
        raise MillnetError("the case has no valid settings (case.toml)")
    periods_all = case["periods"].sort("order")["id"].to_list()
    start = options.plan_from or case.meta.plan_from or periods_all[0]
    if start not in periods_all:
        raise MillnetError(
            f"unknown period '{start}' to plan from; expected one of {', '.join(periods_all)}"
        )
    first = periods_all.index(start)
    planned, history = periods_all[first:], periods_all[:first]
    period_index = pl.DataFrame(
        {"period_id": planned, "period": np.arange(len(planned), dtype=np.int64)}
    )

    plants = case["plants"]
    plant_ids = plants["id"].to_list()
    plant_index = pl.DataFrame(
        {"plant_id": plant_ids, "plant": np.arange(len(plant_ids), dtype=np.int64)}
    )
    fx = _fx(case, planned)
    plant_fx = _plant_fx(plants, fx, planned, case.meta.currency)

    def per_period(column: str) -> np.ndarray:
        return plants[column].to_numpy()[:, None] * plant_fx

    demand = _demand(case, period_index, plan=planned)
    metal_prices = _metal_prices(case, fx, planned)
    content = product_content(case)
    billed = _metal_value(
        demand.filter(pl.col("price_basis") == "metal_plus_adder").select(
            "demand", "product_id", "period_id", "tolled"
        ),
        content,
        metal_prices,
    ).select("demand", "metal", "value")
    revenue = _revenue(demand, billed)
    demand = demand.with_columns(revenue=revenue)
    penalty = (
        pl.lit(options.unmet_penalty)
        if options.unmet_penalty is not None
        else pl.when(pl.col("revenue") > 0)
        .then(UNMET_PRICE_MULTIPLE * pl.col("revenue"))
        .otherwise(FALLBACK_PENALTY)
    )
    demand = demand.with_columns(penalty=penalty.cast(pl.Float64))

    lanes, qualifications = _lanes(case, demand, plant_index)
    resources, loads, variable = _capacity(case, lanes, plant_index, plant_fx)
    lanes = lanes.join(variable, on="lane", how="left", validate="1:1").with_columns(
        pl.col("variable").fill_null(0.0)
    )
    lanes = _freight(case, lanes, options)
    lanes = _duty(case, lanes, demand)
    lane_metal = _lane_metal(lanes, demand, content, metal_prices, case)
    lanes = lanes.join(
        lane_metal.group_by("lane").agg(pl.col("cost").sum().alias("metal")),
        on="lane",
        how="left",
        validate="1:1",
    ).with_columns(pl.col("metal").fill_null(0.0))
    lanes = lanes.sort("lane")
    return ModelData(
        case_fingerprint=case.fingerprint,
        options=options,
        currency=case.meta.currency,
        mass_unit=case.meta.mass_unit,
        plants=tuple(plant_ids),
        periods=tuple(planned),
        history=tuple(history),
        initial_state=plants["initial_state"].replace_strict(STATE_CODE).to_numpy(),
        fixed_running=per_period("fixed_cost_running"),
        fixed_idle=per_period("fixed_cost_idle"),
        cost_to_idle=per_period("cost_to_idle"),
        cost_to_restart=per_period("cost_to_restart"),
        cost_to_close=per_period("cost_to_close"),
        restart_lead=plants["restart_lead_periods"].to_numpy(),
        min_idle=plants["min_idle_periods"].to_numpy(),
        min_output=plants["min_output"].to_numpy(),
        demand=demand,
        lanes=lanes,
        qualifications=qualifications,
        resources=resources,
        loads=loads,
        metal=lane_metal,
        billed=billed,
        moves=_moves(case, demand, plant_index, options),
    )


def _moves(
    case: Case, demand: pl.DataFrame, plant_index: pl.DataFrame, options: ModelOptions
) -> pl.DataFrame:
    """The sourcing rows of pairs demanded in the planned periods whose move costs > 0."""
    sourcing = case["sourcing"]
    if sourcing.height == 0:
        return pl.DataFrame(schema=MOVES_SCHEMA)
    return (
        sourcing.join(
            demand.select("customer_id", "product_id").unique(),
            on=["customer_id", "product_id"],
            how="semi",
        )
        .join(plant_index, on="plant_id", how="inner", validate="m:1")
        .select(
            "customer_id",
            "product_id",
            "plant",
            pl.col("move_cost").fill_null(options.move_cost).cast(pl.Float64).alias("cost"),
        )
        .filter(pl.col("cost") > 0)
        .sort("customer_id", "product_id")
        .with_row_index("move")
        .with_columns(pl.col("move").cast(pl.Int64))
    )


def _fx(case: Case, planned: list[str]) -> pl.DataFrame:
    """``(period_id, currency, rate)`` including the case currency at rate 1."""
    assert case.meta is not None
    own = pl.DataFrame({"period_id": planned}).with_columns(
        currency=pl.lit(case.meta.currency), rate=pl.lit(1.0)
    )
    fx = case["fx"].filter(pl.col("currency") != case.meta.currency).select(own.columns)
    return pl.concat([own, fx])


def _plant_fx(
    plants: pl.DataFrame, fx: pl.DataFrame, planned: list[str], currency: str
) -> np.ndarray:
    """Rate of each plant's currency in each planned period (plant × period)."""
    grid = plants.select(pl.col("id").alias("plant_id"), "currency").join(
        pl.DataFrame({"period_id": planned}), how="cross"
    )
    rated = grid.join(
        fx, on=["period_id", "currency"], how="left", validate="m:1", maintain_order="left"
    )
    missing = rated.filter(pl.col("rate").is_null())
    if missing.height:
        r = missing.row(0, named=True)
        raise MillnetError(
            f"no exchange rate for {r['currency']} in period {r['period_id']} (plant "
            f"{r['plant_id']}); add it to fx"
        )
    return rated["rate"].to_numpy().reshape(plants.height, len(planned))


def _demand(case: Case, period_index: pl.DataFrame, plan: list[str]) -> pl.DataFrame:
    demand = case["demand"].with_columns(case.row_numbers("demand").alias("row"))
    demand = demand.join(
        period_index, on="period_id", how="inner", validate="m:1", maintain_order="left"
    )
    return demand.with_row_index("demand").with_columns(pl.col("demand").cast(pl.Int64))


def product_content(case: Case) -> pl.DataFrame:
    """``(product_id, metal, per_unit)``: mass of each metal per unit of product.

    Explicit columns ``<metal>_per_unit`` in products win; otherwise the wire engine computes it
    from the construction columns; a product with neither holds no metal.
    """
    from millnet.wire import products_metal_content

    products = case["products"]
    frames = []
    explicit = [m for m in METALS if f"{m}_per_unit" in products.columns]
    if explicit:
        frames.append(
            products.select(
                pl.col("id").alias("product_id"),
                *[pl.col(f"{m}_per_unit").cast(pl.Float64).alias(m) for m in explicit],
            )
        )
    wired = products.filter(pl.col("gauge").is_not_null())
    if not explicit and wired.height:
        computed = products_metal_content(wired)
        frames.append(
            computed.select(
                pl.col("id").alias("product_id"),
                *[pl.col(f"{m}_lb_per_lb").alias(m) for m in METALS],
            )
        )
    if not frames:
        return pl.DataFrame(
            schema={"product_id": pl.String, "metal": pl.String, "per_unit": pl.Float64}
        )
    wide = pl.concat(frames, how="diagonal")
    return (
        wide.unpivot(index="product_id", variable_name="metal", value_name="per_unit")
        .drop_nulls("per_unit")
        .filter(pl.col("per_unit") > 0)
    )


def _metal_prices(case: Case, fx: pl.DataFrame, planned: list[str]) -> pl.DataFrame:
    """``(period_id, metal, price)``: index price plus premium per case mass unit, case currency."""
    assert case.meta is not None
    prices = case["metal_prices"].filter(pl.col("period_id").is_in(planned))
    units = prices["unit"].map_elements(
        lambda u: "/".join(parse_price_unit(u) or ("", "")), return_dtype=pl.String
    )
    prices = prices.with_columns(
        currency=units.str.split("/").list.get(0),
        per_lb=units.str.split("/").list.get(1).replace_strict(POUNDS_PER_UNIT, default=None),
    )
    prices = prices.join(fx, on=["period_id", "currency"], how="left", validate="m:1")
    factor = POUNDS_PER_MASS_UNIT[case.meta.mass_unit]
    return prices.select(
        "period_id",
        "metal",
        ((pl.col("price") + pl.col("premium")) * pl.col("rate") / pl.col("per_lb") * factor).alias(
            "price"
        ),
    )


def _metal_value(frame: pl.DataFrame, content: pl.DataFrame, prices: pl.DataFrame) -> pl.DataFrame:
    """Per row of ``frame`` (with product_id, period_id, tolled) and metal: content × price."""
    return (
        frame.join(content, on="product_id", how="inner")
        .filter(~(pl.col("tolled") & (pl.col("metal") == "copper")))
        .join(prices, on=["period_id", "metal"], how="left", validate="m:1")
        .with_columns((pl.col("per_unit") * pl.col("price").fill_null(0.0)).alias("value"))
    )


def _revenue(demand: pl.DataFrame, billed: pl.DataFrame) -> pl.Series:
    """Price per unit: ``fixed`` → price; ``metal_plus_adder`` → Σ metal content × (index +
    premium) + adder, without copper when tolled."""
    metal = billed.group_by("demand").agg(pl.col("value").sum())
    joined = demand.join(metal, on="demand", how="left", validate="1:1").sort("demand")
    return joined.select(
        pl.when(pl.col("price_basis") == "fixed")
        .then(pl.col("price"))
        .otherwise(pl.col("value").fill_null(0.0) + pl.col("conversion_adder"))
        .fill_null(0.0)
    ).to_series()


def _lanes(
    case: Case, demand: pl.DataFrame, plant_index: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    pairs = demand.select("customer_id", "product_id").unique()
    allowed = candidates(case, pairs).join(
        plant_product_gaps(case)
        .filter(pl.col("lacks").list.len() == 0)
        .select("plant_id", "product_id"),
        on=["plant_id", "product_id"],
        how="semi",
    )
    lanes = (
        demand.select("demand", "customer_id", "product_id", "period")
        .join(allowed, on=["customer_id", "product_id"], how="inner", validate="m:m")
        .join(plant_index, on="plant_id", how="inner", validate="m:1")
        .sort(["demand", "plant"])
        .with_row_index("lane")
        .with_columns(pl.col("lane").cast(pl.Int64))
    )
    buyable = lanes.filter(pl.col("status") == "qualifiable")
    groups = (
        buyable.group_by("qualification", "plant")
        .agg(pl.col("cost").first(), pl.col("lead").first())
        .sort("qualification", "plant")
        .with_row_index("group")
        .with_columns(pl.col("group").cast(pl.Int64))
    )
    q = case["qualifications"].with_row_index("qualification")
    keys = q.select(
        "qualification",
        pl.concat_str(
            [
                pl.col("plant_id"),
                pl.coalesce("product_id", "family"),
                pl.col("customer_id").fill_null("any customer"),
            ],
            separator=" / ",
        ).alias("key"),
    )
    # row g of the groups is group g (the builders index by position)
    groups = groups.join(
        keys, on="qualification", how="left", validate="m:1", maintain_order="left"
    )
    lanes = lanes.join(
        groups.select("qualification", "plant", "group"),
        on=["qualification", "plant"],
        how="left",
        validate="m:1",
    ).with_columns(pl.when(pl.col("status") == "qualifiable").then(pl.col("group")).alias("group"))
    return (
        lanes.select(
            "lane", "demand", "plant", "plant_id", "customer_id", "product_id", "period", "group"
        ),
        groups.select("group", "plant", "cost", "lead", "key"),
    )


def _capacity(
    case: Case, lanes: pl.DataFrame, plant_index: pl.DataFrame, plant_fx: np.ndarray
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Capacity rows, the load of each lane on them, and variable cost per unit by lane.

    Load of a step = usage ÷ yield per unit shipped (the step's input for one good unit out).
    """
    resources = (
        case["resources"]
        .filter(pl.col("capacity") > 0)
        .join(plant_index, on="plant_id", how="inner", validate="m:1")
        .sort("plant", "resource")
        .with_row_index("pr")
        .with_columns(pl.col("pr").cast(pl.Int64))
    )
    steps = routing_steps(case).with_columns((pl.col("usage") / pl.col("yield")).alias("coef"))
    loads = (
        lanes.select("lane", "plant", "product_id", "period")
        .join(steps.select("product_id", "resource", "coef"), on="product_id", how="inner")
        .join(
            resources.select("pr", "plant", "resource", "variable_cost"),
            on=["plant", "resource"],
            how="inner",
            validate="m:1",
        )
    )
    rate = pl.Series(plant_fx.ravel())
    loads = loads.with_columns(
        rate=rate.gather(loads["plant"] * plant_fx.shape[1] + loads["period"]),
    )
    variable = loads.group_by("lane").agg(
        (pl.col("coef") * pl.col("variable_cost") * pl.col("rate")).sum().alias("variable")
    )
    return (
        resources.select("pr", "plant", "plant_id", "resource", "capacity", "capacity_unit"),
        loads.select("lane", "pr", "coef"),
        variable,
    )


def great_circle(
    lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr, radius: float
) -> pl.Expr:
    """Haversine distance: 2R·asin(√(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2)))."""
    p1, p2 = lat1.radians(), lat2.radians()
    dphi, dlam = (lat2 - lat1).radians(), (lon2 - lon1).radians()
    h = (dphi / 2).sin().pow(2) + p1.cos() * p2.cos() * (dlam / 2).sin().pow(2)
    return 2 * radius * h.sqrt().clip(upper_bound=1.0).arcsin()


def _freight(case: Case, lanes: pl.DataFrame, options: ModelOptions) -> pl.DataFrame:
    """Freight per unit: the lane override, else the most specific rate (region or country before
    ``*``), cheapest mode: rate × distance × circuity + fixed per shipment ÷ shipment size."""
    assert case.meta is not None
    plants = case["plants"].select(
        pl.col("id").alias("plant_id"),
        pl.col("region").alias("o_region"),
        pl.col("country").alias("o_country"),
        pl.col("lat").alias("o_lat"),
        pl.col("lon").alias("o_lon"),
    )
    customers = case["customers"]
    region = pl.col("region") if "region" in customers.columns else pl.lit(None, pl.String)
    customers = customers.select(
        pl.col("id").alias("customer_id"),
        region.alias("d_region"),
        pl.col("country").alias("d_country"),
        pl.col("lat").alias("d_lat"),
        pl.col("lon").alias("d_lon"),
    )
    pairs = (
        lanes.select("plant_id", "customer_id")
        .unique()
        .join(plants, on="plant_id", how="left", validate="m:1")
        .join(customers, on="customer_id", how="left", validate="m:1")
        .with_columns(
            great_circle(
                pl.col("o_lat"),
                pl.col("o_lon"),
                pl.col("d_lat"),
                pl.col("d_lon"),
                EARTH_RADIUS[case.meta.distance_unit],
            ).alias("distance")
        )
    )
    freight = case["freight"]
    if freight.height:
        options_frame = (
            pairs.join(freight, how="cross")
            .with_columns(
                o_rank=pl.when(pl.col("origin") == pl.col("o_region"))
                .then(0)
                .when(pl.col("origin") == pl.col("o_country"))
                .then(1)
                .when(pl.col("origin") == "*")
                .then(2),
                d_rank=pl.when(pl.col("destination") == pl.col("d_region"))
                .then(0)
                .when(pl.col("destination") == pl.col("d_country"))
                .then(1)
                .when(pl.col("destination") == "*")
                .then(2),
            )
            .drop_nulls(["o_rank", "d_rank"])
        )
        options_frame = options_frame.with_columns(
            (
                pl.col("cost_per_mass_distance") * pl.col("distance") * options.circuity
                + pl.col("fixed_per_shipment") / options.shipment_size
            ).alias("freight"),
            (pl.col("o_rank") + pl.col("d_rank")).alias("rank"),
        )
        rates = (
            options_frame.sort(["rank", "freight"])
            .group_by(["plant_id", "customer_id"])
            .agg(pl.col("freight").first(), pl.col("mode").first())
        )
        pairs = pairs.join(rates, on=["plant_id", "customer_id"], how="left", validate="1:1")
    else:
        pairs = pairs.with_columns(freight=pl.lit(None, pl.Float64), mode=pl.lit(None, pl.String))
    overrides = case["lanes"].select("plant_id", "customer_id", pl.col("cost_per_unit"))
    pairs = pairs.join(overrides, on=["plant_id", "customer_id"], how="left", validate="1:1")
    pairs = pairs.with_columns(
        pl.coalesce("cost_per_unit", "freight", pl.lit(0.0)).alias("freight"),
        pl.when(pl.col("cost_per_unit").is_not_null())
        .then(pl.lit("lane"))
        .otherwise(pl.col("mode"))
        .alias("mode"),
    )
    return lanes.join(
        pairs.select(
            "plant_id", "customer_id", "freight", "mode", "distance", "o_country", "d_country"
        ),
        on=["plant_id", "customer_id"],
        how="left",
        validate="m:1",
    )


def _duty(case: Case, lanes: pl.DataFrame, demand: pl.DataFrame) -> pl.DataFrame:
    """Duty per unit = rate(origin country, destination country) × the row's unit revenue."""
    duties = case["duties"].select(
        pl.col("origin_country").alias("o_country"),
        pl.col("destination_country").alias("d_country"),
        "rate",
    )
    return (
        lanes.join(duties, on=["o_country", "d_country"], how="left", validate="m:1")
        .join(demand.select("demand", "revenue"), on="demand", how="left", validate="m:1")
        .with_columns((pl.col("rate").fill_null(0.0) * pl.col("revenue")).alias("duty"))
        .drop("rate", "revenue")
    )


def _lane_metal(
    lanes: pl.DataFrame,
    demand: pl.DataFrame,
    content: pl.DataFrame,
    prices: pl.DataFrame,
    case: Case,
) -> pl.DataFrame:
    """``(lane, metal, mass, cost)`` per unit shipped: content × (1 + yield loss) × price.

    The yield loss of a lane is the routing's (1 ÷ Π yields − 1) plus the plant's
    ``yield_loss`` where the plants table has that column.
    """
    routing_yield = (
        routing_steps(case).group_by("product_id").agg(pl.col("yield").product().alias("yield"))
    )
    plants = case["plants"]
    plant_loss = plants.select(
        pl.col("id").alias("plant_id"),
        (pl.col("yield_loss").cast(pl.Float64) if "yield_loss" in plants.columns else pl.lit(0.0))
        .fill_null(0.0)
        .alias("plant_loss"),
    )
    frame = lanes.select("lane", "demand", "plant_id", "product_id").join(
        demand.select("demand", "period_id", "tolled"), on="demand", how="left", validate="m:1"
    )
    valued = _metal_value(frame, content, prices)
    valued = (
        valued.join(routing_yield, on="product_id", how="left", validate="m:1")
        .join(plant_loss, on="plant_id", how="left", validate="m:1")
        .with_columns((1.0 / pl.col("yield").fill_null(1.0) + pl.col("plant_loss")).alias("factor"))
    )
    return valued.select(
        "lane",
        "metal",
        (pl.col("per_unit") * pl.col("factor")).alias("mass"),
        (pl.col("value") * pl.col("factor")).alias("cost"),
    )
