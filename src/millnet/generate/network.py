"""Synthetic copper-wire networks of any size, with the shape of the iwg2009 reference case.

Plants take the reference case's roles in its proportions (rod breakdown, fine wire, plating,
specialty, Europe) and sit in real towns spread over the freight regions; customers, products,
demand, metal prices and costs come from the same building blocks as the reference case. Every
demand row gets exactly ``candidates_per_demand`` candidate plants (qualified or qualifiable,
each with every resource of the product's routing), so the number of plant-customer lanes is
under control: lanes = (customer, product) pairs × candidates.

Everything is vectorised with numpy and polars and driven by one seed: the same
:class:`NetworkSpec` gives the same case (the same fingerprint).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields

import numpy as np
import polars as pl

from millnet.case import Case
from millnet.errors import MillnetError
from millnet.generate import catalog, demandgen, economics, iwg2009, market
from millnet.generate.economics import PlantSpec
from millnet.generate.places import (
    EU_REGION,
    EUROPE_TOWNS,
    REGIONS,
    US_REGIONS,
    US_TOWNS,
    great_circle_miles,
)
from millnet.schema import CaseMeta

#: Largest sizes accepted (memory and calendar bounds, not performance promises).
LIMITS = {"plants": 2_000, "customers": 2_000_000, "products": 20_000, "periods": 360}

_ROD = ("rod_breakdown", "drawing", "tinning", "stranding")
_FINE = ("drawing", "fine_drawing", "tinning", "stranding")
_BRAIDS = ("drawing", "fine_drawing", "tinning", "stranding", "braiding")


@dataclass(frozen=True)
class Role:
    group: str
    text: str
    resources: tuple[str, ...]
    europe: bool = False


#: Plant roles, as in the reference case (wire.md §7).
ROLES = {
    "rod": Role("rod", "rod breakdown and redraw; drawing; tinning; stranding", _ROD),
    "fine": Role("fine", "fine wire drawing; bunching and stranding; tinning", _FINE),
    "hpc": Role(
        "hpc",
        "silver and nickel plating at redraw size; drawing; fine drawing; stranding",
        ("drawing", "silver_plating", "nickel_plating", "fine_drawing", "stranding"),
    ),
    "braids": Role("specialty", "braids and engineered wire; fine drawing; tinning", _BRAIDS),
    "medical": Role("specialty", "small-lot fine wire and stranding for medical devices", _FINE),
    "eu_fine": Role("eu", "drawing; tinning; stranding", _FINE, True),
    "eu_plating": Role(
        "eu", "drawing; tinning; stranding; silver plating", (*_FINE, "silver_plating"), True
    ),
    "eu_braids": Role("eu", "braids and flexible connectors; stranding", _BRAIDS, True),
    "eu_drawing": Role("eu", "drawing and tinning", ("drawing", "tinning"), True),
}
#: The order in which plants take roles: the reference case's 19 (4 rod, 5 fine, 4 plating,
#: 2 specialty, 4 Europe), interleaved so that any first N plants are a balanced network.
ROLE_CYCLE = (
    "rod", "fine", "hpc", "fine", "eu_fine", "rod", "braids", "fine", "hpc", "eu_plating",
    "rod", "fine", "hpc", "medical", "eu_braids", "rod", "hpc", "fine", "eu_drawing",
)  # fmt: skip
US_REGION_CYCLE = tuple(US_REGIONS)

#: Share of the busiest early quarter's load that sized capacities carry [A].
SIZING_UTILISATION = 0.90
#: Running fixed cost of all plants per quarter, per lb of first-quarter demand [A]; about the
#: reference case's ratio (9.5 M USD for about 47 M lb).
FIXED_COST_PER_LB = 0.20
#: First-quarter demand per plant, lb [A]; about the reference case's 2008Q1.
VOLUME_PER_PLANT = 2.6e6
#: Capacity of a role's resource that no demand was allocated to, lb per period [A].
FLOOR_CAPACITY = 50_000.0
#: Cells of a customers × products or pairs × plants block held at once.
CELLS = 4_000_000


@dataclass(frozen=True)
class NetworkSpec:
    """The size and seed of a synthetic network (defaults: the reference case's shape)."""

    plants: int = 19
    customers: int = 300
    products: int = 60
    periods: int = 12
    products_per_customer: int = 2
    candidates_per_demand: int = 4
    seed: int = 2009

    def problems(self, label: Callable[[str], str] = str) -> Iterator[str]:
        """What is wrong with each bad value, in field order; ``label`` names a field (the
        command line passes ``--plants`` style names)."""
        for f in fields(self):
            value = getattr(self, f.name)
            name = label(f.name)
            if f.name == "seed":
                if value < 0:
                    yield f"{name} must be 0 or more; got {value}"
                continue
            if value < 1:
                yield f"{name} must be at least 1; got {value}"
            elif f.name in LIMITS and value > LIMITS[f.name]:
                yield f"{name} must be at most {LIMITS[f.name]:,}; got {value:,}"
        if self.candidates_per_demand > self.plants >= 1:
            yield (
                f"{label('candidates_per_demand')} cannot exceed {label('plants')} "
                f"({self.plants}); got {self.candidates_per_demand}"
            )
        if self.products_per_customer > self.products >= 1:
            yield (
                f"{label('products_per_customer')} cannot exceed {label('products')} "
                f"({self.products}); got {self.products_per_customer}"
            )

    def check(self, label: Callable[[str], str] = str) -> None:
        """Raise :class:`MillnetError` naming the first bad value."""
        for problem in self.problems(label):
            raise MillnetError(problem)


def network_plants(n: int, rng: np.random.Generator) -> list[PlantSpec]:
    """``n`` plants taking roles in :data:`ROLE_CYCLE` order, in real towns: US plants over the
    four US regions in turn, European ones in European towns; ids ``town-st``."""
    roles = [ROLE_CYCLE[i % len(ROLE_CYCLE)] for i in range(n)]
    us_by_region = {
        r: rng.permutation(np.flatnonzero(US_TOWNS.region == r)).tolist() for r in US_REGIONS
    }
    eu_order = rng.permutation(len(EUROPE_TOWNS)).tolist()
    names = {
        "us": (US_TOWNS, US_TOWNS.slugs(), US_TOWNS.labels()),
        "europe": (EUROPE_TOWNS, EUROPE_TOWNS.slugs(), EUROPE_TOWNS.labels()),
    }
    used: dict[str, int] = {}
    plants = []
    us_count = 0
    for i, role_name in enumerate(roles):
        role = ROLES[role_name]
        if role.europe:
            towns, slugs, labels = names["europe"]
            index = eu_order[i % len(eu_order)]
            region = EU_REGION
        else:
            region = US_REGION_CYCLE[us_count % len(US_REGION_CYCLE)]
            pool = us_by_region[region]
            towns, slugs, labels = names["us"]
            index = pool[(us_count // len(US_REGION_CYCLE)) % len(pool)]
            us_count += 1
        base = slugs[index]
        used[base] = used.get(base, 0) + 1
        pid = base if used[base] == 1 else f"{base}-{used[base]}"
        label = labels[index]
        name = label if used[base] == 1 else f"{label} ({used[base]})"
        plants.append(
            PlantSpec(
                id=pid,
                name=name,
                country=str(towns.country[index]),
                region=region,
                lat=float(towns.lat[index]),
                lon=float(towns.lon[index]),
                group=role.group,
                role=role.text,
                resources=role.resources,
                fixed_multiplier=float(np.round(rng.uniform(0.85, 1.2), 3)),
                variable_multiplier=float(np.round(rng.uniform(0.93, 1.08), 3)),
                currency="EUR" if role.europe else "USD",
                notes="synthetic plant [A]",
            )
        )
    return plants


def network_products(
    n: int, plants: list[PlantSpec], k: int, rng: np.random.Generator
) -> pl.DataFrame:
    """``n`` products that at least ``k`` plants can make, spread over the families; when the
    catalogue holds fewer, variants of its products (``-v2``, ``-v3``, …) fill up."""
    specs = catalog.full_catalogue()
    routings = catalog.routings_frame(catalog.catalogue_frame(specs))
    counts = dict(
        economics.capable(plants, routings).group_by("product_id").agg(pl.len()).iter_rows()
    )
    feasible = [s for s in specs if counts.get(s.id, 0) >= k]
    by_family: dict[str, list[catalog.ProductSpec]] = {}
    for s in feasible:
        by_family.setdefault(s.family, []).append(s)
    queues = [
        [items[i] for i in rng.permutation(len(items))]
        for f in catalog.FAMILIES
        if (items := by_family.get(f))
    ]
    ordered: list[catalog.ProductSpec] = []
    depth = 0
    while any(depth < len(q) for q in queues):
        ordered.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    chosen = []
    for i in range(n):
        spec = ordered[i % len(ordered)]
        variant = i // len(ordered) + 1
        if variant > 1:
            spec = catalog.ProductSpec(
                f"{spec.id}-v{variant}",
                spec.family,
                f"{spec.description} (variant {variant})",
                spec.gauge,
                spec.strands,
                spec.strand_gauge,
                spec.coating,
                spec.coating_class,
                spec.lay_factor,
            )
        chosen.append(spec)
    return catalog.catalogue_frame(chosen)


def _capable_matrix(
    products: pl.DataFrame, routings: pl.DataFrame, plants: list[PlantSpec]
) -> np.ndarray:
    pairs = economics.capable(plants, routings)
    p_index = {p.id: i for i, p in enumerate(plants)}
    r_index = {pid: i for i, pid in enumerate(products["id"].to_list())}
    matrix = np.zeros((products.height, len(plants)), dtype=bool)
    rows = np.array([r_index[x] for x in pairs["product_id"].to_list()], dtype=int)
    cols = np.array([p_index[x] for x in pairs["plant_id"].to_list()], dtype=int)
    matrix[rows, cols] = True
    return matrix


def candidate_plants(
    pair_customer: np.ndarray,
    pair_product: np.ndarray,
    customers: pl.DataFrame,
    plants: list[PlantSpec],
    capable: np.ndarray,
    k: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """For every pair, the indices of ``k`` capable plants, nearest first (distance times a
    lognormal noise, so that not every account picks the same plants). Shape (pairs, k)."""
    plat = np.array([p.lat for p in plants])
    plon = np.array([p.lon for p in plants])
    clat = customers["lat"].to_numpy()
    clon = customers["lon"].to_numpy()
    out = np.empty((pair_customer.size, k), dtype=np.int64)
    block = max(1, CELLS // len(plants))
    for start in range(0, pair_customer.size, block):
        c = pair_customer[start : start + block]
        miles = great_circle_miles(clat[c, None], clon[c, None], plat[None, :], plon[None, :])
        score = (miles + 25.0) * rng.lognormal(0.0, 0.35, miles.shape)
        score = np.where(capable[pair_product[start : start + block]], score, np.inf)
        part = (
            np.argpartition(score, k - 1, axis=1)[:, :k]
            if k < len(plants)
            else (np.tile(np.arange(len(plants)), (c.size, 1)))
        )
        order = np.argsort(np.take_along_axis(score, part, axis=1), axis=1, kind="stable")
        out[start : start + c.size] = np.take_along_axis(part, order, axis=1)
    return out


def generate_network(spec: NetworkSpec, on_step: Callable[[str], None] | None = None) -> Case:
    """A valid synthetic case of the size in ``spec`` (see the module docstring).

    ``on_step`` is called with the name of each step as it starts (for progress display).

    Raises:
        MillnetError: a bad size or seed (see :meth:`NetworkSpec.check`).
    """
    spec.check()
    step = on_step or (lambda _name: None)
    rng = np.random.default_rng(spec.seed)
    k = spec.candidates_per_demand

    step("plants")
    plants = network_plants(spec.plants, rng)
    period_ids = market.quarter_ids(spec.periods)

    step("products")
    products = network_products(spec.products, plants, k, rng)
    routings = catalog.routings_frame(products)
    capable = _capable_matrix(products, routings, plants)

    step("customers")
    europe = any(p.currency == "EUR" for p in plants)
    customers = demandgen.make_customers(rng, spec.customers, 0.2 if europe else 0.0)
    counts = np.full(spec.customers, spec.products_per_customer)
    pairs = _choose_products_chunked(customers, products, counts, rng)

    step("demand")
    outlook = {
        s: market.extend_series(v, spec.periods, rng, drift=0.01, volatility=0.03, decimals=1)
        for s, v in iwg2009.OUTLOOK.items()
    }
    quantities = demandgen.segment_quantities(
        pairs,
        customers,
        period_ids,
        outlook,
        rng,
        total_first_period=VOLUME_PER_PLANT * spec.plants,
    )
    always, swing = demandgen.tolled_accounts(customers, rng)
    adders = demandgen.conversion_adders(pairs, customers, products)
    demand = demandgen.demand_frame(
        pairs,
        quantities,
        adders,
        always,
        swing,
        customers,
        "2008Q4" if "2008Q4" in period_ids else None,
    )

    step("qualifications")
    c_index = {c: i for i, c in enumerate(customers["id"].to_list())}
    p_index = {p: i for i, p in enumerate(products["id"].to_list())}
    pair_customer = pairs["customer_id"].replace_strict(c_index, return_dtype=pl.Int64).to_numpy()
    pair_product = pairs["product_id"].replace_strict(p_index, return_dtype=pl.Int64).to_numpy()
    chosen = candidate_plants(pair_customer, pair_product, customers, plants, capable, k, rng)
    quals, shares = _qualifications(pairs, pair_product, products, plants, chosen)

    step("capacity")
    sizing = period_ids[: min(4, len(period_ids))]
    pair_demand = quantities.filter(pl.col("period_id").is_in(sizing))
    loads = economics.allocation_loads(pair_demand, shares, routings)
    capacity = _with_floor(
        economics.size_resources(plants, loads, utilisation=SIZING_UTILISATION), plants
    )
    fx_series = market.extend_series(
        iwg2009.EUR_USD, spec.periods, rng, volatility=0.03, decimals=4
    )
    usd_per = {"USD": 1.0, "EUR": iwg2009.EUR_USD_2008}
    first_volume = float(pair_demand.filter(pl.col("period_id") == period_ids[0])["quantity"].sum())
    scale = economics.fixed_scale_for(plants, capacity, FIXED_COST_PER_LB * first_volume)
    plant_rows = economics.plants_frame(plants, capacity, usd_per, fixed_scale=scale)
    resources = economics.resources_frame(plants, capacity, usd_per)

    step("market")
    prices = {
        "copper": market.extend_series(iwg2009.COPPER, spec.periods, rng, volatility=0.08),
        "silver": market.extend_series(iwg2009.SILVER, spec.periods, rng, volatility=0.08),
        "nickel": market.extend_series(iwg2009.NICKEL, spec.periods, rng, volatility=0.1),
        "tin": market.extend_series(iwg2009.TIN, spec.periods, rng, volatility=0.08),
    }
    premiums = {
        m: market.extend_series(v, spec.periods, rng, volatility=0.0)
        for m, v in iwg2009.PREMIUMS.items()
    }
    regions = [r for r in REGIONS if r in {*plant_rows["region"], *customers["region"]}]
    countries = sorted({*plant_rows["country"].to_list(), *customers["country"].to_list()})
    tables = {
        "periods": market.periods_frame(period_ids),
        "plants": plant_rows,
        "resources": resources,
        "products": products,
        "routings": routings,
        "customers": customers.drop("__size"),
        "demand": demand,
        "qualifications": quals,
        "freight": market.freight_frame(regions),
        "duties": market.duties_frame(countries),
        "metal_prices": market.metal_prices_frame(
            period_ids, prices, iwg2009.METAL_UNITS, premiums
        ),
        "fx": market.fx_frame(period_ids, "EUR", fx_series) if europe else None,
    }
    meta = CaseMeta(
        name=f"synthetic-{spec.plants}x{spec.customers}x{spec.periods}-seed{spec.seed}",
        description=(
            f"Synthetic copper-wire network (millnet generate): {spec.plants} plants, "
            f"{spec.customers} customers, {spec.products} products, {spec.periods} quarters "
            f"from {market.FIRST_QUARTER}, {spec.products_per_customer} products per customer, "
            f"{k} candidate plants per demand row, seed {spec.seed}."
        ),
        currency="USD",
        mass_unit="lb",
        distance_unit="mi",
        plan_from=iwg2009.PLAN_FROM if iwg2009.PLAN_FROM in period_ids[1:] else None,
    )
    return Case(meta=meta, tables={n: t for n, t in tables.items() if t is not None})


def _choose_products_chunked(
    customers: pl.DataFrame,
    products: pl.DataFrame,
    counts: np.ndarray,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """:func:`demandgen.choose_products` over blocks of customers (bounded memory)."""
    by_segment = demandgen.segment_product_weights(products, rng)
    rows = demandgen.segment_rows(customers)
    block = max(1, CELLS // products.height)
    parts = []
    offset = 0
    for start in range(0, customers.height, block):
        stop = start + block
        part = demandgen.choose_products(
            customers[start:stop], products, counts[start:stop], by_segment[rows[start:stop]], rng
        )
        parts.append(part.with_columns(pl.col("pair") + offset))
        offset += part.height
    return pl.concat(parts)


def _qualifications(
    pairs: pl.DataFrame,
    pair_product: np.ndarray,
    products: pl.DataFrame,
    plants: list[PlantSpec],
    chosen: np.ndarray,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Qualification rows (customer-specific, one per pair and candidate plant) and the shares
    used to size capacities.

    Aerospace families: the nearer half of the candidates are qualified, the others
    qualifiable at a cost and one period's lead (wire.md §5.3); other families: all qualified.
    Capacity shares: qualified candidates only, nearest weighing most (1, 1/2, 1/3, …).
    """
    n_pairs, k = chosen.shape
    family = products["family"].to_numpy()[pair_product]
    aero = np.isin(family, catalog.AEROSPACE_FAMILIES)
    rank = np.tile(np.arange(k), n_pairs)
    qualified = ~np.repeat(aero, k) | (rank < (k + 1) // 2)
    cost = np.where(
        qualified,
        0.0,
        np.where(
            np.repeat(family, k) == "nickel_plated",
            iwg2009.REQUALIFICATION_COST["nickel_plated"],
            iwg2009.REQUALIFICATION_COST["silver_plated"],
        ),
    )
    plant_ids = np.array([p.id for p in plants], dtype=object)
    fx = np.array([1.0 if p.currency == "USD" else iwg2009.EUR_USD_2008 for p in plants])
    flat = chosen.ravel()
    quals = pl.DataFrame(
        {
            "plant_id": plant_ids[flat],
            "product_id": np.repeat(pairs["product_id"].to_numpy(), k),
            "family": pl.Series([None] * flat.size, dtype=pl.String),
            "customer_id": np.repeat(pairs["customer_id"].to_numpy(), k),
            "status": np.where(qualified, "qualified", "qualifiable"),
            "requalification_cost": np.round(cost / fx[flat], -3),
            "requalification_lead_periods": np.where(qualified, 0, 1),
        },
        schema_overrides={
            "plant_id": pl.String,
            "product_id": pl.String,
            "customer_id": pl.String,
        },
    )
    weight = np.where(qualified, 1.0 / (rank + 1), 0.0)
    shares = pl.DataFrame(
        {
            "pair": np.repeat(pairs["pair"].to_numpy(), k),
            "product_id": np.repeat(pairs["product_id"].to_numpy(), k),
            "plant_id": plant_ids[flat],
            "weight": weight,
        },
        schema_overrides={"plant_id": pl.String, "product_id": pl.String},
    )
    shares = shares.filter(pl.col("weight") > 0).with_columns(
        (pl.col("weight") / pl.col("weight").sum().over("pair")).alias("share")
    )
    return quals, shares.select("pair", "product_id", "plant_id", "share")


def _with_floor(capacity: pl.DataFrame, plants: list[PlantSpec]) -> pl.DataFrame:
    """Every resource of every plant's role, with at least :data:`FLOOR_CAPACITY`."""
    every = pl.DataFrame(
        {
            "plant_id": [p.id for p in plants for _ in p.resources],
            "resource": [r for p in plants for r in p.resources],
        }
    )
    order = {r: i for i, r in enumerate(catalog.RESOURCES)}
    return (
        every.join(capacity, on=["plant_id", "resource"], how="left", maintain_order="left")
        .with_columns(pl.col("capacity").fill_null(FLOOR_CAPACITY))
        .with_columns(
            pl.max_horizontal("capacity", pl.lit(FLOOR_CAPACITY)).alias("capacity"),
            pl.col("resource").replace_strict(order, return_dtype=pl.Int64).alias("__r"),
        )
        .with_row_index("__p")
        .sort(["__p"])
        .drop("__p", "__r")
    )
