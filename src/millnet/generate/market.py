"""Calendar, metal prices, exchange rates, freight and duties: the market side of a case.

The price and exchange-rate series themselves are in :mod:`millnet.generate.iwg2009`, with
their sources; this module turns series into case tables and extends them past 2010 for
longer synthetic calendars.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from millnet.errors import MillnetError

#: The first quarter of every generated calendar.
FIRST_QUARTER = "2008Q1"
#: Pounds per tonne, exact (1 lb = 0.45359237 kg).
LB_PER_TONNE = 1000 / 0.45359237


def quarter_ids(n: int, first: str = FIRST_QUARTER) -> list[str]:
    """``n`` consecutive quarter ids from ``first``: 2008Q1, 2008Q2, …"""
    year, quarter = int(first[:4]), int(first[-1])
    ids = []
    for _ in range(n):
        ids.append(f"{year}Q{quarter}")
        quarter += 1
        if quarter == 5:
            year, quarter = year + 1, 1
    return ids


def periods_frame(ids: Sequence[str]) -> pl.DataFrame:
    """The periods table for quarter ids: start, end (inclusive) and order 1, 2, …"""
    starts, ends = [], []
    for pid in ids:
        year, quarter = int(pid[:4]), int(pid[-1])
        start = dt.date(year, 3 * quarter - 2, 1)
        nxt = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        starts.append(start)
        ends.append(nxt - dt.timedelta(days=1))
    return pl.DataFrame(
        {"id": list(ids), "start": starts, "end": ends, "order": list(range(1, len(ids) + 1))},
        schema={"id": pl.String, "start": pl.Date, "end": pl.Date, "order": pl.Int64},
    )


def extend_series(
    values: Sequence[float],
    n: int,
    rng: np.random.Generator,
    *,
    drift: float = 0.0,
    volatility: float = 0.05,
    decimals: int = 2,
) -> np.ndarray:
    """``values`` followed, up to ``n`` entries, by a seeded random walk in logs from the last
    value (for synthetic calendars longer than the sourced series)."""
    base = np.asarray(values, dtype=float)
    if n <= base.size:
        return base[:n].copy()
    steps = rng.normal(drift, volatility, n - base.size)
    tail = base[-1] * np.exp(np.cumsum(steps))
    return np.round(np.concatenate([base, tail]), decimals)


def metal_prices_frame(
    period_ids: Sequence[str],
    prices: Mapping[str, Sequence[float]],
    units: Mapping[str, str],
    premiums: Mapping[str, Sequence[float]],
) -> pl.DataFrame:
    """Metal price rows: one per period and metal, in period order then metal order."""
    n = len(period_ids)
    for metal, series in prices.items():
        if len(series) != n or len(premiums[metal]) != n:
            raise MillnetError(f"the {metal} price series does not cover the {n} periods")
    metals = list(prices)
    return pl.DataFrame(
        {
            "period_id": [p for p in period_ids for _ in metals],
            "metal": metals * n,
            "price": [float(prices[m][i]) for i in range(n) for m in metals],
            "unit": [units[m] for _ in range(n) for m in metals],
            "premium": [float(premiums[m][i]) for i in range(n) for m in metals],
        }
    )


def fx_frame(period_ids: Sequence[str], currency: str, rates: Sequence[float]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "period_id": list(period_ids),
            "currency": [currency] * len(period_ids),
            "rate": [float(r) for r in rates],
        }
    )


#: Freight rates [A], wire.md §6.2. Truckload is about 5e-5 USD per lb-mile (40,000 lb at
#: 1.8-2.2 USD per loaded mile); spools and reels mostly go LTL (3-6 times dearer), so the
#: mix is taken as three times truckload. Europe: EUR 0.05-0.08 per tonne-km, the middle at
#: 1.39 USD/EUR is 6.6e-5 USD per lb-mile, again three times for the mix. Transatlantic:
#: 0.05-0.10 USD/lb door to door, the top of the range (inland legs included) spread over
#: about 4,000 miles, plus a container. Fixed costs: about 150 USD per stop, 2,000 USD per
#: container.
TRUCK_US = 1.5e-4
TRUCK_EU = 2.0e-4
OCEAN = 2.5e-5
STOP_US = 150.0
STOP_EU = 150.0
CONTAINER = 2000.0


def freight_frame(regions: Sequence[str]) -> pl.DataFrame:
    """Rates between every pair of ``regions``: truck within the US and within Europe,
    ocean between them (USD per lb-mile and per shipment)."""
    rows = []
    for origin in regions:
        for destination in regions:
            us_o, us_d = origin.startswith("US"), destination.startswith("US")
            if us_o and us_d:
                rows.append((origin, destination, "truck", TRUCK_US, STOP_US))
            elif not us_o and not us_d:
                rows.append((origin, destination, "truck", TRUCK_EU, STOP_EU))
            else:
                rows.append((origin, destination, "ocean", OCEAN, CONTAINER))
    return pl.DataFrame(
        rows,
        schema={
            "origin": pl.String,
            "destination": pl.String,
            "mode": pl.String,
            "cost_per_mass_distance": pl.Float64,
            "fixed_per_shipment": pl.Float64,
        },
        orient="row",
    )


#: Import duties on copper wire [U]: US MFN rate for HTS 7408 copper wire about 3 %, EU
#: common customs tariff for CN 7408 about 4.8 %; intra-EU trade is duty free. Not sourced in
#: wire.md; check the HTS and TARIC schedules of 2009 before relying on them.
DUTY_INTO_US = 0.03
DUTY_INTO_EU = 0.048


def duties_frame(countries: Sequence[str]) -> pl.DataFrame:
    """US↔Europe duty rows for every pair of ``countries`` that crosses the Atlantic."""
    us = [c for c in countries if c == "US"]
    europe = sorted(c for c in set(countries) if c != "US")
    rows = []
    for c in europe if us else []:
        rows.append(("US", c, DUTY_INTO_EU))
    for c in europe if us else []:
        rows.append((c, "US", DUTY_INTO_US))
    return pl.DataFrame(
        rows,
        schema={"origin_country": pl.String, "destination_country": pl.String, "rate": pl.Float64},
        orient="row",
    )
