"""The iwg2009 reference case: a 19-plant copper-wire network, 2008-2010, planned from 2009Q1.

Modelled on International Wire Group as public sources describe it in March 2009. Tags as in
the domain note wire.md: [F] fact (source in ``cases/iwg2009/README.md``), [D] derived from
facts, [A] assumption, [U] unverified. Everything not tagged [F] or [D] is synthetic.

Public facts used (wire.md §3.4, §4, press release of 24 March 2009):

* 19 facilities in the United States, Belgium, France and Italy [F]; after idling two plants
  the customers are served by "our other 13 U.S. facilities" [F], so 15 US plants and 4 in
  Europe [D].
* HQ at Camden NY; a plant at Sherrill NY from late 2007; Jewett City CT (bare wire, ex-Global
  Wire, leased) and Littleton NH (silver and nickel plating for aerospace, ex-Global Wire,
  owned), both idled in Q1 2009 [F]; Forissier (France) and Italtrecce (Italy) [F].
* Net sales by quarter 2008-2009, Q1 2009 volume effect, Q4 2009 pounds down 19.6 % [F].
* Aerospace and medical solid in Q3 2008, automotive weak from Q2 2008, weak aerospace and
  electronics/datacom in Q1 2009 [F].
* Metal price levels (wire.md §3.4).

The design knobs for the planning decision of 2009 are collected in :data:`KNOBS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from millnet.case import Case
from millnet.generate import catalog, demandgen, economics, market
from millnet.generate.economics import Lifecycle, PlantSpec
from millnet.generate.places import REGIONS, great_circle_miles
from millnet.schema import CaseMeta

SEED = 2009
NAME = "iwg2009"
DESCRIPTION = (
    "Illustrative 19-plant copper-wire network (15 US, 4 Europe) after International Wire "
    "Group in 2008-2010: public facts for the company, sales, markets and metal prices; "
    "synthetic plants' details, customers and costs. Quarterly, planned from 2009Q1."
)
PERIODS = market.quarter_ids(12)  # 2008Q1 … 2010Q4
PLAN_FROM = "2009Q1"
HISTORY = PERIODS[:4]

# --- Sales and volumes ---------------------------------------------------------------------

#: Net sales by quarter, USD million [F] (8-K press releases; wire.md §4.4). 2009Q3: n/a.
NET_SALES_MUSD = {
    "2008Q1": 206.5,
    "2008Q2": 199.9,
    "2008Q3": 203.4,
    "2008Q4": 126.7,
    "2009Q1": 101.3,
    "2009Q2": 102.0,
    "2009Q4": 131.0,
}
#: Q1 2009: "excluding copper-price and tolling effects, sales fell $62.5 M" year on year [F],
#: taken as the volume effect: pounds down 62.5 / 206.5 = 30.3 % [D].
Q1_2009_VOLUME_CHANGE = -62.5 / 206.5
#: Q4 2009: pounds sold down 19.6 % year on year [F].
Q4_2009_VOLUME_CHANGE = -0.196

#: Demand index by segment and quarter, 2008Q1 = 100 [A], shaped by the facts: aerospace and
#: medical solid through Q3 2008, automotive weak from Q2 2008; the Q4 2008 collapse is in
#: sales (copper fell from 3.30 to 1.77 USD/lb) more than in pounds, which slip before the
#: drop of Q1 2009, weakest in aerospace and electronics/datacom; recovery from late 2009
#: into 2010 (the outlook of March 2009). Overall levels per quarter are then set by the sales
#: and volume facts above (see :func:`calibrate`).
OUTLOOK = {
    "aerospace": (100, 102, 104, 100, 68, 62, 64, 75, 75, 78, 81, 84),
    "appliance": (100, 98, 95, 94, 70, 66, 70, 82, 81, 85, 88, 89),
    "automotive": (100, 93, 86, 84, 50, 50, 60, 75, 75, 80, 84, 86),
    "electronics_datacom": (100, 99, 97, 96, 62, 59, 64, 76, 76, 80, 84, 86),
    "industrial_energy": (100, 101, 102, 99, 76, 69, 71, 82, 80, 84, 87, 89),
    "medical": (100, 101, 103, 102, 96, 95, 96, 99, 100, 101, 102, 103),
}

# --- Metal prices and exchange rates --------------------------------------------------------

LB_PER_T = market.LB_PER_TONNE
#: COMEX copper, USD/lb, quarterly averages. 2008Q1-Q2 = the "2008 H1 high" scenario 3.80
#: [A, wire.md §3.4] (April 2008 averaged 3.94 [F]); 2008Q4 1.77 from Oct-Nov [U] and
#: December 1.39 [F]; 2008Q3 set so the year averages 3.168, the LME 2008 average [F→D].
#: 2009Q1 1.55 and 2009Q4 3.00 are the "trough" and "recovery" scenarios [A, §3.4]; 2009Q2-Q3
#: put the year at 2.34, within the unverified 2.3-2.4 [U]. 2010 averages 3.43 [F]; its
#: quarterly split is [A].
COPPER = (3.80, 3.80, 3.30, 1.77, 1.55, 2.15, 2.65, 3.00, 3.28, 3.19, 3.29, 3.96)
#: LBMA silver, USD/ozt. 2008Q1-Q2 17 and 2009Q1 12.5, 2009Q4 17.5 are the §3.4 scenarios
#: [A]; the other quarters are set so the annual averages are 14.87 (2008), 14.67 (2009) and
#: 20.19 (2010) [F]; 2008Q4 10.48 matches "fell below $10/oz in H2 2008" [F].
SILVER = (17.0, 17.0, 15.0, 10.48, 12.5, 13.76, 14.92, 17.5, 16.9, 18.3, 19.0, 26.56)
#: LME nickel, USD/t. 2008H1 12 USD/lb, 2009Q1 4.8, 2009Q4 7.5 USD/lb [A, §3.4 scenarios];
#: other quarters set to the 2008 and 2009 averages of about 21,000 and 14,700 USD/t [U];
#: 2010 [A].
NICKEL = (
    round(12 * LB_PER_T, 2), round(12 * LB_PER_T, 2), 19000.0, 12089.06,
    round(4.8 * LB_PER_T, 2), 12900.0, 18783.13, round(7.5 * LB_PER_T, 2),
    20000.0, 22500.0, 21200.0, 23600.0,
)  # fmt: skip
#: LME tin, USD/t. 2008H1 10 USD/lb, 2009Q1 5, 2009Q4 7 USD/lb [A, §3.4 scenarios]; 2008
#: averages 18,773, within the unverified 18,000-19,000 [U]; 2009 averages 13,600 [D]; 2010
#: averages 20,447 [F]; quarterly splits [A].
TIN = (
    round(10 * LB_PER_T, 2), round(10 * LB_PER_T, 2), 19000.0, 12000.0,
    round(5 * LB_PER_T, 2), 13500.0, 14444.53, round(7 * LB_PER_T, 2),
    17300.0, 17900.0, 20700.0, 25888.0,
)  # fmt: skip
METAL_UNITS = {"copper": "USD/lb", "silver": "USD/ozt", "nickel": "USD/t", "tin": "USD/t"}
#: Premiums [A]: copper cathode premium 3-6 c/lb (wire.md §3.4, 2008-09 levels not found),
#: lower in the 2009 slump; silver, nickel and tin premiums are placeholders.
PREMIUMS = {
    "copper": (0.05,) * 4 + (0.04,) * 4 + (0.05,) * 4,
    "silver": (0.10,) * 12,
    "nickel": (200.0,) * 12,
    "tin": (150.0,) * 12,
}
#: USD per EUR, quarterly averages of the ECB reference rate [U]: recalled, consistent with the
#: annual averages 1.4708 (2008), 1.3948 (2009), 1.3257 (2010); check against the ECB series.
EUR_USD = (1.4976, 1.5622, 1.5050, 1.3180, 1.3029, 1.3632, 1.4303, 1.4779,
           1.3829, 1.2708, 1.2910, 1.3583)  # fmt: skip
#: Rate used to state the EUR plants' cost assumptions: the 2008 average [U].
EUR_USD_2008 = 1.4708


def metal_prices() -> pl.DataFrame:
    prices = {"copper": COPPER, "silver": SILVER, "nickel": NICKEL, "tin": TIN}
    return market.metal_prices_frame(PERIODS, prices, METAL_UNITS, PREMIUMS)


# --- Plants ---------------------------------------------------------------------------------

JEWETT_CITY = "jewett-city-ct"
LITTLETON = "littleton-nh"
#: The two plants idled in March 2009 [F].
IDLED_2009 = (JEWETT_CITY, LITTLETON)


@dataclass(frozen=True)
class Knobs:
    """The assumptions that steer the 2009 planning decision [A].

    Intended outcome, planned from 2009Q1: idle exactly Jewett City and Littleton and serve
    their customers from the other US plants; with 2008 demand, run all 19. The other knobs:
    plant sizes and the two plants' lifecycle costs in :func:`plants`, the other plants'
    lifecycle in :data:`millnet.generate.economics.LIFECYCLE`, the 2010 outlook in
    :data:`OUTLOOK` (the case README lists them with their values).
    """

    #: Capacities are sized so the busiest 2008 quarter uses this share of each resource:
    #: 2008-level demand needs every plant.
    sizing_utilisation: float = 0.985
    #: Running fixed cost of all plants per quarter, USD: about 5 % of 2008 net sales.
    fixed_cost_per_quarter: float = 9_500_000.0
    #: Running fixed cost of Jewett City and Littleton per quarter, USD: the highest per unit
    #: of useful capacity in their groups. Jewett City: a plant opened in 1964 for some 350
    #: people, leased, energy cost the problem [F]; Littleton: a small plating plant with its
    #: own permits and waste treatment.
    jewett_city_fixed: float = 1_300_000.0
    littleton_fixed: float = 1_100_000.0
    #: Share of US aerospace accounts for which Littleton is a qualified source (besides the
    #: two nearest other US plating plants).
    littleton_aerospace_share: float = 0.35


KNOBS = Knobs()

_ROD = ("rod_breakdown", "drawing", "tinning", "stranding")
_FINE = ("drawing", "fine_drawing", "tinning", "stranding")


def plants(knobs: Knobs = KNOBS) -> list[PlantSpec]:
    """The 19 plants. Identity facts are tagged; locations other than Camden, Sherrill,
    Jewett City and Littleton, and every capability and cost, are synthetic [A]."""
    syn = "synthetic plant: location, capabilities and costs [A]"
    return [
        # US Bare Wire: rod breakdown and redraw (4) — wire.md §7.
        PlantSpec("camden-ny", "Camden NY", "US", "US-Northeast", 43.3348, -75.7477, "rod",
                  "rod breakdown and redraw; drawing; tinning; stranding", _ROD, 2.2, 1.0, 0.97,
                  notes="HQ, 12 Masonic Ave. [F]; manufacturing here [U]; capabilities and "
                        "costs [A]"),
        PlantSpec("fort-wayne-in", "Fort Wayne IN", "US", "US-Midwest", 41.0793, -85.1394,
                  "rod", "rod breakdown and redraw; drawing; stranding",
                  ("rod_breakdown", "drawing", "stranding"), 1.8, 0.95, 1.0, notes=syn),
        PlantSpec("el-paso-tx", "El Paso TX", "US", "US-South", 31.7619, -106.4850, "rod",
                  "rod breakdown and redraw; drawing; tinning",
                  ("rod_breakdown", "drawing", "tinning"), 1.5, 1.0, 0.95, notes=syn),
        PlantSpec("florence-al", "Florence AL", "US", "US-South", 34.7998, -87.6773, "rod",
                  "rod breakdown and redraw; drawing; stranding",
                  ("rod_breakdown", "drawing", "stranding"), 1.6, 1.05, 0.98, notes=syn),
        # US Bare Wire: fine and stranded (4) and Jewett City.
        PlantSpec("sherrill-ny", "Sherrill NY", "US", "US-Northeast", 43.0737, -75.5982, "fine",
                  "fine wire drawing; bunching and stranding; tinning", _FINE, 1.2, 0.95, 0.96,
                  notes="plant operational late 2007 [F]; capabilities and costs [A]"),
        PlantSpec("kendallville-in", "Kendallville IN", "US", "US-Midwest", 41.4414, -85.2650,
                  "fine", "fine wire drawing; bunching and stranding; tinning", _FINE, 1.0,
                  1.0, 1.0, notes=syn),
        PlantSpec("sanford-nc", "Sanford NC", "US", "US-South", 35.4799, -79.1803, "fine",
                  "fine wire drawing; bunching and stranding; tinning", _FINE, 1.0, 1.0, 0.95,
                  notes=syn),
        PlantSpec("ontario-ca", "Ontario CA", "US", "US-West", 34.0633, -117.6509, "fine",
                  "fine wire drawing; bunching and stranding; tinning", _FINE, 0.8, 1.05, 1.08,
                  notes=syn),
        PlantSpec(JEWETT_CITY, "Jewett City CT", "US", "US-Northeast", 41.6068, -71.9809,
                  "fine", "drawing and stranding (bare wire)",
                  ("drawing", "fine_drawing", "stranding"), 1.8, 1.0, 1.2,
                  notes="ex-Global Wire (Wyre Wynd), 77 Anthony St, Griswold; leased with a "
                        "purchase option; Bare Wire segment; idled Q1 2009 [F]; energy cost "
                        "the problem [F]; capabilities and costs [A]",
                  lifecycle=Lifecycle(0.22, 0.25, 1.50, 3_000_000, 2, 2),
                  fixed_cost=knobs.jewett_city_fixed),
        # US High Performance Conductors (3) and Littleton.
        PlantSpec(LITTLETON, "Littleton NH", "US", "US-Northeast", 44.3062, -71.7701, "hpc",
                  "silver and nickel plating, high temperature; fine drawing; stranding",
                  ("silver_plating", "nickel_plating", "fine_drawing", "stranding"), 0.5,
                  1.0, 1.1,
                  notes="ex-Global Wire, owned; High Performance Conductors, silver- and "
                        "nickel-plated high-temperature products; idled Q1 2009 [F]; "
                        "capabilities and costs [A]",
                  lifecycle=Lifecycle(0.30, 0.35, 1.33, 4_000_000, 2, 2),
                  fixed_cost=knobs.littleton_fixed),
        PlantSpec("torrington-ct", "Torrington CT", "US", "US-Northeast", 41.8007, -73.1212,
                  "hpc", "silver and nickel plating at redraw size; drawing; fine drawing; "
                  "stranding (AS9100)",
                  ("drawing", "silver_plating", "nickel_plating", "fine_drawing", "stranding"),
                  1.0, 1.0, 1.0, notes=syn),
        PlantSpec("painesville-oh", "Painesville OH", "US", "US-Midwest", 41.7245, -81.2457,
                  "hpc", "silver and nickel plating at redraw size; fine drawing; stranding "
                  "(AS9100)", ("silver_plating", "nickel_plating", "fine_drawing", "stranding"),
                  0.9, 0.95, 0.98, notes=syn),
        PlantSpec("santa-ana-ca", "Santa Ana CA", "US", "US-West", 33.7455, -117.8677, "hpc",
                  "silver plating at redraw size; fine drawing; stranding (AS9100)",
                  ("silver_plating", "fine_drawing", "stranding"), 0.7, 1.0, 1.05, notes=syn),
        # US specialty (2).
        PlantSpec("lancaster-pa", "Lancaster PA", "US", "US-Northeast", 40.0379, -76.3055,
                  "specialty", "braids and engineered wire; fine drawing; tinning; stranding",
                  ("drawing", "fine_drawing", "tinning", "stranding", "braiding"), 0.6, 1.0,
                  1.0, notes=syn),
        PlantSpec("plymouth-mn", "Plymouth MN", "US", "US-Midwest", 45.0105, -93.4555,
                  "specialty", "small-lot fine wire and stranding for medical devices", _FINE,
                  1.0, 0.85, 1.02, notes=syn),
        # Europe (4).
        PlantSpec("saint-chamond-fr", "Saint-Chamond FR", "FR", "EU", 45.4756, 4.5147, "eu",
                  "drawing; tinning; stranding; silver plating",
                  ("drawing", "silver_plating", "fine_drawing", "tinning", "stranding"), 1.2,
                  1.0, 1.12, "EUR",
                  notes="France: Forissier, acquired 1999 [F]; town and capabilities [A]"),
        PlantSpec("montbrison-fr", "Montbrison FR", "FR", "EU", 45.6075, 4.0653, "eu",
                  "drawing; tinning; stranding", _FINE, 1.0, 1.0, 1.12, "EUR",
                  notes="France, second plant [D: 19 facilities]; town and capabilities [A]"),
        PlantSpec("monza-it", "Monza IT", "IT", "EU", 45.5845, 9.2744, "eu",
                  "braids and flexible connectors; stranding",
                  ("drawing", "fine_drawing", "tinning", "stranding", "braiding"), 1.0, 1.0,
                  1.14, "EUR",
                  notes="Italy: Italtrecce, acquired 1998 [F]; braids [U: from the name]; "
                        "town [A]"),
        PlantSpec("mons-be", "Mons BE", "BE", "EU", 50.4542, 3.9567, "eu",
                  "drawing and tinning", ("drawing", "tinning"), 2.5, 0.8, 1.12, "EUR",
                  notes="Belgium: named in the March 2009 release [F], not confirmed "
                        "elsewhere [U]; town and capabilities [A]"),
    ]  # fmt: skip


# --- Products ---------------------------------------------------------------------------------

PRODUCT_IDS = (
    "bare-4-solid", "bare-6-solid", "bare-8-solid", "bare-10-solid",
    "bare-12-solid", "bare-14-solid", "bare-16-solid", "bare-18-solid", "bare-20-solid",
    "bare-22-solid", "bare-24-solid",
    "bare-28-solid", "bare-30-solid", "bare-32-solid", "bare-34-solid", "bare-36-solid",
    "bare-38-solid", "bare-40-solid",
    "bare-8-19x21", "bare-10-37x26", "bare-12-19x25", "bare-14-19x27", "bare-16-19x29",
    "bare-18-16x30", "bare-20-7x28", "bare-20-19x32", "bare-22-7x30", "bare-22-19x34",
    "bare-24-7x32", "bare-26-7x34", "bare-28-7x36",
    "tin-18-solid", "tin-20-solid", "tin-22-solid", "tin-24-solid",
    "tin-16-19x29", "tin-18-16x30", "tin-20-7x28", "tin-20-19x32", "tin-22-7x30",
    "tin-22-19x34", "tin-24-7x32", "tin-26-7x34",
    "silver-16-19x29-a", "silver-20-19x32-a", "silver-22-19x34-a", "silver-24-19x36-a",
    "silver-26-19x38-a", "silver-28-19x40-a", "silver-20-19x32-c", "silver-22-19x34-c",
    "nickel-16-19x29-2", "nickel-20-19x32-2", "nickel-22-19x34-2", "nickel-24-19x36-2",
    "nickel-20-19x32-27", "nickel-22-19x34-27",
    "braid-tin-16x8x36", "braid-tin-24x8x36", "braid-tin-48x8x36", "braid-bare-24x8x34",
    "braid-bare-32x8x34",
)  # fmt: skip


def products() -> pl.DataFrame:
    by_id = {s.id: s for s in catalog.full_catalogue()}
    return catalog.catalogue_frame([by_id[i] for i in PRODUCT_IDS])


# --- Pricing --------------------------------------------------------------------------------


def metal_value_per_lb(products: pl.DataFrame, prices: pl.DataFrame) -> pl.DataFrame:
    """Metal value of a lb of each product in each period, USD (index plus premium).

    Returns product_id, period_id, metal_value. Prices must be in USD (USD/lb, /ozt, /t)."""
    per_lb = {"lb": 1.0, "ozt": 175 / 12, "t": 1 / LB_PER_T, "kg": 0.45359237}
    usd = prices.with_columns(
        (
            (pl.col("price") + pl.col("premium"))
            * pl.col("unit").str.split("/").list.get(1).replace_strict(per_lb)
        ).alias("usd_per_lb")
    ).select("period_id", "metal", "usd_per_lb")
    content = products.select(
        pl.col("id").alias("product_id"),
        *(
            pl.col(f"{m}_lb_per_lb").cast(pl.Float64).alias(m)
            for m in ("copper", "silver", "nickel", "tin")
        ),
    ).unpivot(index="product_id", variable_name="metal", value_name="lb")
    return (
        content.join(usd, on="metal", how="inner", maintain_order="left")
        .group_by(["product_id", "period_id"])
        .agg((pl.col("lb") * pl.col("usd_per_lb")).sum().alias("metal_value"))
    )


def _by_period(demand: pl.DataFrame, values: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Pounds and modelled net sales (USD) per period of :data:`PERIODS`, summed in row order
    (numpy, so that the result never depends on threading)."""
    joined = demand.join(values, on=["product_id", "period_id"], how="left", maintain_order="left")
    code = joined["period_id"].replace_strict(
        {p: i for i, p in enumerate(PERIODS)}, return_dtype=pl.Int64
    )
    quantity = joined["quantity"].to_numpy()
    metal = np.where(joined["tolled"].to_numpy(), 0.0, joined["metal_value"].to_numpy())
    revenue = quantity * (joined["conversion_adder"].to_numpy() + metal)
    n = len(PERIODS)
    return (
        np.bincount(code.to_numpy(), weights=quantity, minlength=n),
        np.bincount(code.to_numpy(), weights=revenue, minlength=n),
    )


def net_sales(demand: pl.DataFrame, values: pl.DataFrame) -> dict[str, float]:
    """Modelled net sales by period, USD million: metal value (not for tolled rows) plus the
    conversion adder, as wire.md §3.3 prices metal-indexed sales and tolling."""
    _, revenue = _by_period(demand, values)
    return dict(zip(PERIODS, (revenue / 1e6).tolist(), strict=True))


def sales_check(case: Case) -> pl.DataFrame:
    """Per quarter: pounds, tolled share, modelled and reported net sales (USD million)."""
    demand = case["demand"]
    values = metal_value_per_lb(case["products"], case["metal_prices"])
    pounds, revenue = _by_period(demand, values)
    tolled_only = pl.when(pl.col("tolled")).then(pl.col("quantity")).otherwise(0.0)
    tolled, _ = _by_period(demand.with_columns(tolled_only.alias("quantity")), values)
    return pl.DataFrame(
        {
            "period": PERIODS,
            "demand_mlb": np.round(pounds / 1e6, 2),
            "tolled_share": np.round(tolled / pounds, 3),
            "net_sales_musd": np.round(revenue / 1e6, 1),
            "reported_musd": [NET_SALES_MUSD.get(p) for p in PERIODS],
        }
    )


def calibrate(demand: pl.DataFrame, values: pl.DataFrame) -> dict[str, float]:
    """Factor per quarter on the outlook quantities so that volumes follow the facts [D]:

    * 2008: one factor, so that modelled net sales for Q1-Q3 equal the reported 609.8 M USD
      (the quarters keep the outlook's shape; Q4 2008 sales are left out, as invoices then
      carried earlier months' much higher copper; the README compares quarter by quarter);
    * 2009Q1: pounds 30.3 % below 2008Q1; 2009Q4: pounds 19.6 % below 2008Q4;
    * 2009Q2: modelled net sales equal the reported 102.0 M USD;
    * 2009Q3: between the Q2 and Q4 factors; 2010: the 2009Q4 factor (the outlook's shape).
    """
    pounds_array, revenue = _by_period(demand, values)
    pounds = dict(zip(PERIODS, pounds_array.tolist(), strict=True))
    sales = dict(zip(PERIODS, (revenue / 1e6).tolist(), strict=True))
    first = HISTORY[:3]
    year = sum(NET_SALES_MUSD[q] for q in first) / sum(sales[q] for q in first)
    f = dict.fromkeys(HISTORY, year)
    f["2009Q1"] = (1 + Q1_2009_VOLUME_CHANGE) * pounds["2008Q1"] * year / pounds["2009Q1"]
    f["2009Q2"] = NET_SALES_MUSD["2009Q2"] / sales["2009Q2"]
    f["2009Q4"] = (1 + Q4_2009_VOLUME_CHANGE) * pounds["2008Q4"] * year / pounds["2009Q4"]
    f["2009Q3"] = (f["2009Q2"] + f["2009Q4"]) / 2
    for q in PERIODS[8:]:
        f[q] = f["2009Q4"]
    return f


# --- Qualifications -------------------------------------------------------------------------

#: Requalification of an aerospace source [A], wire.md §5.3-§5.4: partial or full FAI
#: (AS9102) plus customer approval, 2-6 months; cost per approval.
REQUALIFICATION_COST = {"silver_plated": 120_000.0, "nickel_plated": 150_000.0}
REQUALIFICATION_LEAD = {"US": 1, "EU": 2}


def qualifications(
    pairs: pl.DataFrame,
    customers: pl.DataFrame,
    products: pl.DataFrame,
    plant_list: list[PlantSpec],
    rng: np.random.Generator,
    knobs: Knobs = KNOBS,
) -> pl.DataFrame:
    """Qualification rows for the aerospace families (silver- and nickel-plated), one per
    plant that has the plating resource and customer buying the family.

    Aerospace accounts in the US are qualified at their two nearest US plating plants other
    than Littleton, and at Littleton for a share of them; European ones at the French plating
    plant. Every other plating plant is qualifiable for them, at a cost and lead time. Other
    segments need no customer approval: every plating plant is qualified for them [A].
    """
    family_of = dict(products.select("id", "family").iter_rows())
    buys = (
        pairs.with_columns(pl.col("product_id").replace_strict(family_of).alias("family"))
        .filter(pl.col("family").is_in(catalog.AEROSPACE_FAMILIES))
        .select("customer_id", "family")
        .unique(maintain_order=True)
        .join(
            customers.select(pl.col("id").alias("customer_id"), "segment", "country", "lat", "lon"),
            on="customer_id",
            how="left",
            maintain_order="left",
        )
    )
    littleton_accounts = set(
        buys.filter((pl.col("segment") == "aerospace") & (pl.col("country") == "US"))["customer_id"]
        .unique(maintain_order=True)
        .to_list()
    )
    keep = rng.random(len(littleton_accounts)) < knobs.littleton_aerospace_share
    littleton_accounts = {c for c, k in zip(sorted(littleton_accounts), keep, strict=True) if k}
    resource_of = {"silver_plated": "silver_plating", "nickel_plated": "nickel_plating"}
    rows = []
    for customer, family, segment, country, lat, lon in buys.iter_rows():
        platers = [p for p in plant_list if resource_of[family] in p.resources]
        us = [p for p in platers if p.country == "US" and p.id != LITTLETON]
        miles = great_circle_miles(
            lat, lon, np.array([p.lat for p in us]), np.array([p.lon for p in us])
        )
        nearest = {us[i].id for i in np.argsort(miles, kind="stable")[:2]}
        for p in platers:
            if segment != "aerospace":
                status = "qualified"
            elif country == "US":
                ok = p.id in nearest or (p.id == LITTLETON and customer in littleton_accounts)
                status = "qualified" if ok else "qualifiable"
            else:
                status = "qualified" if p.country != "US" else "qualifiable"
            zone = "US" if p.country == "US" else "EU"
            fx = 1.0 if p.currency == "USD" else EUR_USD_2008
            cost = 0.0 if status == "qualified" else round(REQUALIFICATION_COST[family] / fx, -3)
            lead = 0 if status == "qualified" else REQUALIFICATION_LEAD[zone]
            rows.append((p.id, None, family, customer, status, cost, lead))
    return pl.DataFrame(
        rows,
        schema={
            "plant_id": pl.String,
            "product_id": pl.String,
            "family": pl.String,
            "customer_id": pl.String,
            "status": pl.String,
            "requalification_cost": pl.Float64,
            "requalification_lead_periods": pl.Int64,
        },
        orient="row",
    ).sort(["family", "customer_id", "plant_id"])


# --- The case -------------------------------------------------------------------------------


def _zone(country: str) -> str:
    return "US" if country == "US" else "EU"


def build(knobs: Knobs = KNOBS, on_step: Callable[[str], None] | None = None) -> Case:
    """Build the reference case (deterministic: the same code gives the same case)."""
    step = on_step or (lambda _name: None)
    rng = np.random.default_rng(SEED)
    plant_list = plants(knobs)
    step("products")
    prods = products()
    routings = catalog.routings_frame(prods)
    can = economics.capable(plant_list, routings)
    zone_of_plant = {p.id: _zone(p.country) for p in plant_list}
    can = can.with_columns(pl.col("plant_id").replace_strict(zone_of_plant).alias("zone"))

    step("customers")
    customers = demandgen.make_customers(rng, 300, europe_share=0.25)
    zones = np.array([_zone(c) for c in customers["country"].to_list()])
    made_in = {
        z: set(can.filter(pl.col("zone") == z)["product_id"].to_list()) for z in ("US", "EU")
    }
    allowed = np.array([[pid in made_in[z] for pid in prods["id"].to_list()] for z in zones])
    by_segment = demandgen.segment_product_weights(prods, rng)
    weights = by_segment[demandgen.segment_rows(customers)] * allowed
    supplier = customers["channel"].to_numpy() == "wire_supplier"
    counts = np.clip(1 + rng.poisson(np.where(supplier, 2.2, 1.3)), 1, 6)
    pairs = demandgen.choose_products(customers, prods, counts, weights, rng)

    step("demand")
    raw = demandgen.segment_quantities(
        pairs, customers, PERIODS, OUTLOOK, rng, total_first_period=50e6
    )
    always, swing = demandgen.tolled_accounts(customers, rng)
    adders = demandgen.conversion_adders(pairs, customers, prods)
    demand = demandgen.demand_frame(pairs, raw, adders, always, swing, customers, "2008Q4")
    prices = metal_prices()
    values = metal_value_per_lb(prods, prices)
    factors = calibrate(demand, values)
    factor = pl.col("period_id").replace_strict(factors, return_dtype=pl.Float64)
    demand = demand.with_columns(
        ((pl.col("quantity") * factor / 10).round() * 10).clip(lower_bound=10.0)
    )

    step("qualifications")
    quals = qualifications(pairs, customers, prods, plant_list, rng, knobs)

    step("capacity")
    shares = _nominal_shares(pairs, customers, prods, can, quals, plant_list)
    pair_demand = demand.filter(pl.col("period_id").is_in(HISTORY)).join(
        pairs.select("pair", "customer_id", "product_id"),
        on=["customer_id", "product_id"],
        maintain_order="left",
    )
    loads = economics.allocation_loads(
        pair_demand.select("pair", "period_id", "quantity"), shares, routings
    )
    capacity = economics.size_resources(plant_list, loads, utilisation=knobs.sizing_utilisation)
    usd_per = {"USD": 1.0, "EUR": EUR_USD_2008}
    resources = economics.resources_frame(plant_list, capacity, usd_per)
    scale = economics.fixed_scale_for(plant_list, capacity, knobs.fixed_cost_per_quarter)
    plant_rows = economics.plants_frame(plant_list, capacity, usd_per, fixed_scale=scale)

    step("market")
    present = {*plant_rows["region"].to_list(), *customers["region"].to_list()}
    regions = [r for r in REGIONS if r in present]
    countries = sorted({*plant_rows["country"].to_list(), *customers["country"].to_list()})
    meta = CaseMeta(
        name=NAME,
        description=DESCRIPTION,
        currency="USD",
        mass_unit="lb",
        distance_unit="mi",
        plan_from=PLAN_FROM,
    )
    tables = {
        "periods": market.periods_frame(PERIODS),
        "plants": plant_rows,
        "resources": resources,
        "products": prods,
        "routings": routings,
        "customers": customers.drop("__size"),
        "demand": demand,
        "qualifications": quals,
        "freight": market.freight_frame(regions),
        "duties": market.duties_frame(countries),
        "metal_prices": prices,
        "fx": market.fx_frame(PERIODS, "EUR", EUR_USD),
    }
    return Case(meta=meta, tables=tables)


def _nominal_shares(
    pairs: pl.DataFrame,
    customers: pl.DataFrame,
    products: pl.DataFrame,
    can: pl.DataFrame,
    quals: pl.DataFrame,
    plant_list: list[PlantSpec],
) -> pl.DataFrame:
    """How 2008 demand is spread to size capacities: each pair over the plants of its zone
    that can make the product (for aerospace families, the qualified ones), by plant size.

    Returns pair, product_id, plant_id, share."""
    size = pl.DataFrame(
        {"plant_id": [p.id for p in plant_list], "size": [p.size for p in plant_list]}
    )
    zone = customers.select(
        pl.col("id").alias("customer_id"),
        pl.when(pl.col("country") == "US").then(pl.lit("US")).otherwise(pl.lit("EU")).alias("zone"),
    )
    family = products.select(pl.col("id").alias("product_id"), "family")
    qualified = (
        quals.filter(pl.col("status") == "qualified")
        .select("plant_id", "family", "customer_id")
        .with_columns(pl.lit(True).alias("__qualified"))
    )
    return (
        pairs.select("pair", "customer_id", "product_id")
        .join(zone, on="customer_id", maintain_order="left")
        .join(family, on="product_id", maintain_order="left")
        .join(can, on=["product_id", "zone"], how="inner", maintain_order="left")
        .join(
            qualified, on=["plant_id", "family", "customer_id"], how="left", maintain_order="left"
        )
        .filter(
            ~pl.col("family").is_in(catalog.AEROSPACE_FAMILIES)
            | pl.col("__qualified").fill_null(False)
        )
        .join(size, on="plant_id", maintain_order="left")
        .with_columns((pl.col("size") / pl.col("size").sum().over("pair")).alias("share"))
        .select("pair", "product_id", "plant_id", "share")
    )


def capacity_check(case: Case, without: tuple[str, ...] = ()) -> pl.DataFrame:
    """Load against capacity by zone (US, EU), resource and period, with the plants in
    ``without`` left out: what the design knobs are meant to give.

    Load is the demand of the zone's customers times the capacity a lb uses at each step
    (:func:`millnet.generate.catalog.step_loads`); capacity is that of the zone's plants.
    Returns zone, resource, period_id, load, capacity, utilisation.
    """
    zone = pl.when(pl.col("country") == "US").then(pl.lit("US")).otherwise(pl.lit("EU"))
    demand = case["demand"].join(
        case["customers"].select(pl.col("id").alias("customer_id"), zone.alias("zone")),
        on="customer_id",
        maintain_order="left",
    )
    load = (
        demand.join(catalog.step_loads(case["routings"]), on="product_id", maintain_order="left")
        .group_by(["zone", "resource", "period_id"])
        .agg((pl.col("quantity") * pl.col("load_per_lb")).sum().alias("load"))
    )
    capacity = (
        case["resources"]
        .filter(~pl.col("plant_id").is_in(list(without)))
        .join(
            case["plants"].select(pl.col("id").alias("plant_id"), zone.alias("zone")),
            on="plant_id",
            maintain_order="left",
        )
        .group_by(["zone", "resource"])
        .agg(pl.col("capacity").sum())
    )
    return (
        load.join(capacity, on=["zone", "resource"], how="left", maintain_order="left")
        .with_columns((pl.col("load") / pl.col("capacity")).alias("utilisation"))
        .sort(["zone", "resource", "period_id"], descending=[True, False, False])
    )
