"""Customers and their demand: accounts in real towns, sizes with a heavy tail, products
chosen by segment, quarterly quantities shaped by segment outlooks, metal-indexed prices.

Everything is vectorised over customers, (customer, product) pairs and periods, and driven by
one ``numpy.random.Generator`` so that a seed reproduces the same case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from millnet.generate.catalog import base_adder
from millnet.generate.places import EUROPE_TOWNS, US_TOWNS, Towns
from millnet.schema.tables import CHANNELS, SEGMENTS

#: Share of customer accounts by segment [A].
SEGMENT_ACCOUNTS = {
    "aerospace": 0.12,
    "appliance": 0.12,
    "automotive": 0.15,
    "electronics_datacom": 0.25,
    "industrial_energy": 0.26,
    "medical": 0.10,
}
#: Share of 2008 volume by segment [A]; wire.md §4.2 names the six end markets but gives no
#: split.
SEGMENT_VOLUME = {
    "aerospace": 0.12,
    "appliance": 0.12,
    "automotive": 0.14,
    "electronics_datacom": 0.20,
    "industrial_energy": 0.34,
    "medical": 0.08,
}
#: Channel of an account given its segment [A] (wire_supplier, distributor, oem); wire.md §4
#: names the three channels.
CHANNEL_GIVEN_SEGMENT = {
    "aerospace": (0.55, 0.15, 0.30),
    "appliance": (0.45, 0.15, 0.40),
    "automotive": (0.55, 0.10, 0.35),
    "electronics_datacom": (0.45, 0.30, 0.25),
    "industrial_energy": (0.50, 0.30, 0.20),
    "medical": (0.25, 0.15, 0.60),
}
#: Relative account size by channel [A]: wire suppliers (insulators) buy the most.
CHANNEL_SIZE = {"wire_supplier": 2.0, "distributor": 1.0, "oem": 0.7}
#: Conversion adder by channel, relative [A].
CHANNEL_ADDER = {"wire_supplier": 0.95, "distributor": 1.10, "oem": 1.05}
#: Which product families each segment buys, with weights [A].
FAMILY_WEIGHTS = {
    "aerospace": {"silver_plated": 0.5, "nickel_plated": 0.3, "tin_stranded": 0.1,
                  "bare_stranded": 0.1},
    "appliance": {"bare_solid": 0.4, "bare_redraw": 0.3, "tin_solid": 0.15,
                  "bare_stranded": 0.15},
    "automotive": {"bare_stranded": 0.4, "tin_stranded": 0.3, "bare_solid": 0.2,
                   "braid": 0.1},
    "electronics_datacom": {"bare_fine": 0.2, "tin_solid": 0.2, "tin_stranded": 0.3,
                            "bare_stranded": 0.15, "silver_plated": 0.15},
    "industrial_energy": {"bare_redraw": 0.45, "bare_solid": 0.27, "bare_stranded": 0.18,
                          "braid": 0.05, "tin_stranded": 0.05},
    "medical": {"bare_fine": 0.35, "silver_plated": 0.2, "tin_stranded": 0.2,
                "bare_stranded": 0.25},
}  # fmt: skip
SEGMENT_LABEL = {
    "aerospace": "Aerospace",
    "appliance": "Appliance",
    "automotive": "Automotive",
    "electronics_datacom": "Electronics",
    "industrial_energy": "Industrial",
    "medical": "Medical",
}
CHANNEL_LABEL = {"wire_supplier": "wire supplier", "distributor": "distributor", "oem": "OEM"}


def make_customers(
    rng: np.random.Generator, n: int, europe_share: float, *, size_sigma: float = 1.7
) -> pl.DataFrame:
    """``n`` customer accounts in real towns, with a hidden ``__size`` (relative volume).

    Sizes are lognormal (sigma ``size_sigma``) times the channel factor, so a few accounts
    carry much of the volume, as at a real wire maker.
    """
    n_europe = round(n * europe_share)
    in_europe = np.zeros(n, dtype=bool)
    in_europe[rng.permutation(n)[:n_europe]] = True
    us_pick = rng.integers(0, len(US_TOWNS), n)
    eu_pick = rng.integers(0, len(EUROPE_TOWNS), n)
    us, eu = US_TOWNS.take(us_pick), EUROPE_TOWNS.take(eu_pick)

    def pick(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.where(in_europe, b, a)

    towns = Towns(
        *(
            pick(getattr(us, f), getattr(eu, f))
            for f in ("name", "area", "country", "region", "lat", "lon")
        )
    )
    segments = np.array(SEGMENTS)
    seg_p = np.array([SEGMENT_ACCOUNTS[s] for s in SEGMENTS])
    segment = segments[rng.choice(len(SEGMENTS), n, p=seg_p / seg_p.sum())]
    # Every segment and channel appears when there are enough accounts.
    if n >= len(SEGMENTS):
        segment[: len(SEGMENTS)] = segments
    u = rng.random(n)
    cum = np.array([np.cumsum(CHANNEL_GIVEN_SEGMENT[s]) for s in SEGMENTS])
    seg_pos = {s: i for i, s in enumerate(SEGMENTS)}
    seg_index = np.array([seg_pos[s] for s in segment], dtype=int)
    channel_index = (u[:, None] > cum[seg_index]).sum(axis=1).clip(0, 2)
    channel = np.array(CHANNELS)[channel_index]
    if n >= len(SEGMENTS) + len(CHANNELS):
        channel[len(SEGMENTS) : len(SEGMENTS) + len(CHANNELS)] = CHANNELS
    size = rng.lognormal(0.0, size_sigma, n) * np.array([CHANNEL_SIZE[c] for c in channel])
    width = max(4, len(str(n)))
    ids = [f"c{i:0{width}d}" for i in range(1, n + 1)]
    labels = towns.labels()
    names = [
        f"{SEGMENT_LABEL[s]} {CHANNEL_LABEL[c]} {i[1:]}, {t} (synthetic)"
        for i, s, c, t in zip(ids, segment, channel, labels, strict=True)
    ]
    return pl.DataFrame(
        {
            "id": ids,
            "name": names,
            "segment": segment.tolist(),
            "channel": channel.tolist(),
            "country": towns.country.tolist(),
            "lat": towns.lat,
            "lon": towns.lon,
            "region": towns.region.tolist(),
            "__size": size,
        }
    )


def segment_product_weights(products: pl.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Segments × products matrix of purchase weights (rows in :data:`SEGMENTS` order): the
    segment's family weight, shared among the family's products by a seeded popularity."""
    family = products["family"].to_numpy()
    popularity = rng.lognormal(0.0, 0.6, products.height)
    per_family = {f: popularity[family == f].sum() for f in np.unique(family)}
    within = popularity / np.array([per_family[f] for f in family])
    return np.array([[FAMILY_WEIGHTS[s].get(f, 0.0) for f in family] for s in SEGMENTS]) * within


def segment_rows(customers: pl.DataFrame) -> np.ndarray:
    """Index of each customer's segment in :data:`SEGMENTS`."""
    position = {s: i for i, s in enumerate(SEGMENTS)}
    return customers["segment"].replace_strict(position, return_dtype=pl.Int64).to_numpy()


def choose_products(
    customers: pl.DataFrame,
    products: pl.DataFrame,
    counts: np.ndarray,
    weights: np.ndarray,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Distinct products per customer, ``counts[i]`` for customer i, drawn without replacement
    with probabilities ∝ ``weights[i]`` (Gumbel top-k). Where a customer's weighted products are
    too few, any product fills in.

    Returns pair (0, 1, …), customer_id, product_id, share (of the account's volume).
    """
    n_c, n_p = weights.shape
    counts = np.minimum(counts, n_p)
    logw = np.log(np.where(weights > 0, weights, 1e-12) + 1e-300)
    keys = logw + rng.gumbel(size=(n_c, n_p))
    max_k = int(counts.max())
    top = (
        np.argpartition(-keys, max_k - 1, axis=1)[:, :max_k]
        if max_k < n_p
        else (np.tile(np.arange(n_p), (n_c, 1)))
    )
    order = np.argsort(np.take_along_axis(-keys, top, axis=1), axis=1, kind="stable")
    top = np.take_along_axis(top, order, axis=1)
    take = np.arange(max_k)[None, :] < counts[:, None]
    cust = np.repeat(np.arange(n_c), max_k).reshape(n_c, max_k)[take]
    prod = top[take]
    shares = rng.gamma(1.5, 1.0, cust.size)
    totals = np.bincount(cust, weights=shares, minlength=n_c)
    return pl.DataFrame(
        {
            "pair": np.arange(cust.size),
            "customer_id": customers["id"].to_numpy()[cust],
            "product_id": products["id"].to_numpy()[prod],
            "share": shares / totals[cust],
        }
    )


def segment_quantities(
    pairs: pl.DataFrame,
    customers: pl.DataFrame,
    period_ids: Sequence[str],
    outlook: Mapping[str, Sequence[float]],
    rng: np.random.Generator,
    *,
    total_first_period: float,
    noise: float = 0.05,
) -> pl.DataFrame:
    """Quantity of every pair in every period.

    Pair volume = account size × the pair's share, then scaled per segment so that segments
    hold :data:`SEGMENT_VOLUME` of ``total_first_period`` in the first period, times the
    segment's outlook index for each period (first period = 100) and a lognormal noise.

    Returns pair, period_id, quantity (lb, whole pounds, at least 1).
    """
    info = pairs.join(
        customers.select(pl.col("id").alias("customer_id"), "segment", "__size"),
        on="customer_id",
        how="left",
        maintain_order="left",
    )
    segment = info["segment"].to_numpy()
    base = info["__size"].to_numpy() * info["share"].to_numpy()
    present = [s for s in SEGMENTS if (segment == s).any()]
    volume = np.array([SEGMENT_VOLUME[s] for s in present])
    volume = volume / volume.sum() * total_first_period
    for s, v in zip(present, volume, strict=True):
        mask = segment == s
        base[mask] *= v / base[mask].sum()
    index = np.array([np.asarray(outlook[s], dtype=float)[: len(period_ids)] for s in SEGMENTS])
    seg_pos = {s: i for i, s in enumerate(SEGMENTS)}
    rows = np.array([seg_pos[s] for s in segment])
    shocks = rng.lognormal(0.0, noise, (len(base), len(period_ids)))
    shocks[:, 0] = 1.0  # the first period holds the segment totals exactly (before rounding)
    quantity = base[:, None] * index[rows] / 100.0 * shocks
    n_pairs, n_periods = quantity.shape
    return pl.DataFrame(
        {
            "pair": np.repeat(info["pair"].to_numpy(), n_periods),
            "period_id": np.tile(np.asarray(period_ids, dtype=object), n_pairs),
            "quantity": np.maximum(np.round(quantity.ravel()), 1.0),
        }
    )


def tolled_accounts(
    customers: pl.DataFrame,
    rng: np.random.Generator,
    *,
    share: float = 0.35,
    swing_share: float = 0.2,
) -> tuple[np.ndarray, np.ndarray]:
    """Accounts that send their own copper (wire.md §3.3, tolling): a ``share`` of the wire
    suppliers always, and a further ``swing_share`` of them only in the collapse quarter
    (IWG's tolled share was higher in Q4 2008 and lower in 2009 [F]).

    Returns two boolean arrays over customers: always tolled, tolled in the swing quarter.
    """
    supplier = customers["channel"].to_numpy() == "wire_supplier"
    u = rng.random(customers.height)
    always = supplier & (u < share)
    swing = supplier & (u >= share) & (u < share + swing_share)
    return always, swing


def conversion_adders(
    pairs: pl.DataFrame, customers: pl.DataFrame, products: pl.DataFrame
) -> np.ndarray:
    """Conversion adder (USD/lb) of each pair: the product's base adder (by family and
    fineness), by channel, less up to 12 % for the largest accounts [A]."""
    info = pairs.join(
        customers.select(pl.col("id").alias("customer_id"), "channel", "__size"),
        on="customer_id",
        how="left",
        maintain_order="left",
    ).join(
        products.select(pl.col("id").alias("product_id")).with_row_index("__p"),
        on="product_id",
        how="left",
        maintain_order="left",
    )
    base = base_adder(products)[info["__p"].to_numpy()]
    channel = np.array([CHANNEL_ADDER[c] for c in info["channel"].to_list()])
    log_size = np.log(customers["__size"].to_numpy())
    z = (np.log(info["__size"].to_numpy()) - log_size.mean()) / max(log_size.std(), 1e-9)
    discount = 1.0 - 0.06 * np.clip(z, -2.0, 2.0)
    return np.round(base * channel * discount, 2)


def demand_frame(
    pairs: pl.DataFrame,
    quantities: pl.DataFrame,
    adders: np.ndarray,
    tolled_always: np.ndarray,
    tolled_swing: np.ndarray,
    customers: pl.DataFrame,
    swing_period: str | None,
) -> pl.DataFrame:
    """The demand table: every pair in every period, priced metal plus adder."""
    index = {c: i for i, c in enumerate(customers["id"].to_list())}
    cust = pairs["customer_id"].replace_strict(index, return_dtype=pl.Int64).to_numpy()
    keyed = pairs.select(
        "pair",
        "customer_id",
        "product_id",
        pl.Series("conversion_adder", adders),
        pl.Series("__always", tolled_always[cust]),
        pl.Series("__swing", tolled_swing[cust]),
    )
    swing = pl.col("period_id") == swing_period if swing_period else pl.lit(False)
    return quantities.join(keyed, on="pair", how="left", maintain_order="left").select(
        "customer_id",
        "product_id",
        "period_id",
        "quantity",
        pl.lit("metal_plus_adder").alias("price_basis"),
        pl.lit(None, dtype=pl.Float64).alias("price"),
        "conversion_adder",
        (pl.col("__always") | (pl.col("__swing") & swing)).alias("tolled"),
    )
