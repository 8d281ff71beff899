"""The iwg2009 reference case: valid, shaped by the public facts, reproducible byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from millnet.case import Case, read_case
from millnet.generate import iwg2009
from millnet.schema.tables import CHANNELS, SEGMENTS
from millnet.validate import validate
from millnet.wire import products_metal_content

CASE_DIR = Path(__file__).resolve().parents[2] / "cases" / "iwg2009"
LB_PER_T = 1000 / 0.45359237
JEWETT_CITY, LITTLETON = "jewett-city-ct", "littleton-nh"


@pytest.fixture(scope="module")
def case() -> Case:
    return read_case(CASE_DIR)


@pytest.fixture(scope="module")
def totals(case: Case) -> dict[str, float]:
    return dict(case["demand"].group_by("period_id").agg(pl.col("quantity").sum()).iter_rows())


def segment_totals(case: Case, segment: str) -> dict[str, float]:
    demand = case["demand"].join(
        case["customers"].select(pl.col("id").alias("customer_id"), "segment"), on="customer_id"
    )
    return dict(
        demand.filter(pl.col("segment") == segment)
        .group_by("period_id")
        .agg(pl.col("quantity").sum())
        .iter_rows()
    )


def test_validates_without_errors_or_warnings(case):
    report = validate(case)
    assert report.errors == ()
    assert report.warnings == ()


def test_nineteen_plants_fifteen_in_the_us(case):
    plants = case["plants"]
    assert plants.height == 19
    countries = dict(plants.group_by("country").len().iter_rows())
    assert countries == {"US": 15, "BE": 1, "FR": 2, "IT": 1}
    ids = set(plants["id"])
    assert {"camden-ny", "sherrill-ny", JEWETT_CITY, LITTLETON} <= ids
    assert all(pid == pid.lower() and pid[-3] == "-" for pid in ids)
    assert set(plants["initial_state"]) == {"running"}
    assert plants["role"].is_not_null().all()
    assert set(plants.filter(pl.col("country") != "US")["currency"]) == {"EUR"}


def test_quarters_2008_to_2010_planned_from_2009q1(case):
    periods = case["periods"].sort("order")["id"].to_list()
    assert periods[0] == "2008Q1"
    assert periods[-1] == "2010Q4"
    assert len(periods) == 12
    assert case.meta.plan_from == "2009Q1"
    fx = case["fx"].filter(pl.col("currency") == "EUR")
    assert sorted(fx["period_id"]) == sorted(periods)


def test_every_segment_and_channel_and_metal_indexed_prices(case):
    customers = case["customers"]
    assert 200 <= customers.height <= 500
    assert set(customers["segment"]) == set(SEGMENTS)
    assert set(customers["channel"]) == set(CHANNELS)
    demand = case["demand"]
    assert set(demand["price_basis"]) == {"metal_plus_adder"}
    assert demand["conversion_adder"].is_not_null().all()
    assert 0 < demand["tolled"].mean() < 0.5


def test_a_few_large_accounts_carry_much_of_the_volume(case):
    volume = (
        case["demand"]
        .group_by("customer_id")
        .agg(pl.col("quantity").sum())
        .sort("quantity", descending=True)["quantity"]
    )
    top10 = volume.head(10).sum() / volume.sum()
    assert 0.25 < top10 < 0.6


def test_demand_follows_the_2008_2010_shape(case, totals):
    # The Q4 2008 collapse (in sales, as copper fell; pounds slip) and the weak first half of
    # 2009.
    sales = dict(iwg2009.sales_check(case).select("period", "net_sales_musd").iter_rows())
    assert sales["2008Q4"] < 0.7 * sales["2008Q3"]
    assert totals["2008Q4"] < totals["2008Q3"] < totals["2008Q1"]
    assert totals["2009Q1"] < 0.75 * totals["2008Q1"]
    # Pounds: 2009Q1 down 30.3 % on 2008Q1 [D], 2009Q4 down 19.6 % on 2008Q4 [F].
    assert totals["2009Q1"] / totals["2008Q1"] == pytest.approx(1 - 62.5 / 206.5, abs=0.005)
    assert totals["2009Q4"] / totals["2008Q4"] == pytest.approx(1 - 0.196, abs=0.005)
    # Recovery from late 2009 through 2010, below 2008 levels.
    assert totals["2009Q4"] < totals["2010Q1"] < totals["2010Q2"] < totals["2010Q4"]
    assert totals["2010Q4"] < totals["2008Q1"]


def test_aerospace_solid_in_2008_then_weak_in_q1_2009(case):
    aero = segment_totals(case, "aerospace")
    assert aero["2008Q3"] >= 0.98 * aero["2008Q1"]
    assert aero["2009Q1"] < 0.8 * min(aero[q] for q in ("2008Q1", "2008Q2", "2008Q3"))
    electronics = segment_totals(case, "electronics_datacom")
    assert electronics["2009Q1"] < 0.75 * electronics["2008Q1"]
    medical = segment_totals(case, "medical")
    assert medical["2008Q3"] >= medical["2008Q1"]


def test_modelled_net_sales_track_the_reported_ones(case):
    check = iwg2009.sales_check(case)
    sales = dict(zip(check["period"], check["net_sales_musd"], strict=True))
    assert sum(sales[q] for q in iwg2009.HISTORY[:3]) == pytest.approx(609.8, abs=0.5)
    assert sales["2009Q2"] == pytest.approx(102.0, abs=0.5)
    for quarter, reported in iwg2009.NET_SALES_MUSD.items():
        assert sales[quarter] == pytest.approx(reported, rel=0.25), quarter


def test_metal_prices_equal_wire_md_where_given(case):
    prices = case["metal_prices"]
    per_lb = {"USD/lb": 1.0, "USD/ozt": 1.0, "USD/t": 1 / LB_PER_T}
    price = {
        (p, m): v * per_lb[u]
        for p, m, v, u in prices.select("period_id", "metal", "price", "unit").iter_rows()
    }
    scenarios = {  # wire.md §3.4: copper, silver USD/ozt, nickel and tin USD/lb
        "2008Q1": (3.80, 17.0, 12.0, 10.0),
        "2008Q2": (3.80, 17.0, 12.0, 10.0),
        "2009Q1": (1.55, 12.5, 4.8, 5.0),
        "2009Q4": (3.00, 17.5, 7.5, 7.0),
    }
    for quarter, values in scenarios.items():
        for metal, value in zip(("copper", "silver", "nickel", "tin"), values, strict=True):
            assert price[quarter, metal] == pytest.approx(value, rel=1e-6), (quarter, metal)

    def average(metal: str, year: str) -> float:
        return sum(price[f"{year}Q{q}", metal] for q in range(1, 5)) / 4

    assert average("copper", "2008") == pytest.approx(3.168, abs=0.001)  # LME 2008 [F]
    assert average("copper", "2010") == pytest.approx(3.43, abs=0.001)  # [F]
    assert average("silver", "2008") == pytest.approx(14.87, abs=0.001)  # [F]
    assert average("silver", "2009") == pytest.approx(14.67, abs=0.001)  # [F]
    assert average("silver", "2010") == pytest.approx(20.19, abs=0.001)  # [F]
    assert average("tin", "2009") * LB_PER_T == pytest.approx(13_600, abs=1)  # [D]
    assert average("tin", "2010") * LB_PER_T == pytest.approx(20_447, abs=1)  # [F]
    assert set(prices["unit"]) == {"USD/lb", "USD/ozt", "USD/t"}


def test_product_metal_content_comes_from_the_wire_engine(case):
    products = case["products"]
    assert set(products["coating"]) == {"none", "tin", "silver", "nickel"}
    assert products.filter(pl.col("strands") > 1).height > 0
    inputs = products.select(
        "gauge",
        "strands",
        "strand_gauge",
        "coating",
        "coating_class",
        pl.col("lay_factor").cast(pl.Float64),
    )
    content = products_metal_content(inputs)
    for metal in ("copper", "tin", "silver", "nickel"):
        stored = products[f"{metal}_lb_per_lb"].cast(pl.Float64)
        assert (stored - content[f"{metal}_lb_per_lb"]).abs().max() < 1e-6, metal


def test_aerospace_products_only_at_qualified_or_qualifiable_plants(case):
    products = case["products"].select(pl.col("id").alias("product_id"), "family")
    aero = (
        case["demand"]
        .join(products, on="product_id")
        .filter(pl.col("family").is_in(["silver_plated", "nickel_plated"]))
        .select("customer_id", "family")
        .unique()
    )
    quals = case["qualifications"]
    assert quals["product_id"].is_null().all()
    assert set(quals["family"]) == {"silver_plated", "nickel_plated"}
    covered = aero.join(quals, on=["customer_id", "family"], how="anti")
    assert covered.height == 0
    qualifiable = quals.filter(pl.col("status") == "qualifiable")
    assert (qualifiable["requalification_cost"] > 0).all()
    assert (qualifiable["requalification_lead_periods"] >= 1).all()
    qualified = quals.filter(pl.col("status") == "qualified")
    assert LITTLETON in set(qualified["plant_id"])


def test_littletons_aerospace_accounts_have_another_qualified_us_plant(case):
    us_plants = set(case["plants"].filter(pl.col("country") == "US")["id"])
    qualified = case["qualifications"].filter(pl.col("status") == "qualified")
    at_littleton = qualified.filter(pl.col("plant_id") == LITTLETON).select("customer_id", "family")
    others = qualified.filter(
        (pl.col("plant_id") != LITTLETON) & pl.col("plant_id").is_in(list(us_plants))
    )
    alone = at_littleton.join(others, on=["customer_id", "family"], how="anti")
    assert at_littleton.height > 0
    assert alone.height == 0


def test_2008_demand_needs_all_capacity(case):
    check = iwg2009.capacity_check(case).filter(pl.col("period_id").is_in(iwg2009.HISTORY))
    peak = check.group_by("zone", "resource").agg(pl.col("utilisation").max())
    assert peak["utilisation"].min() > 0.95
    assert peak["utilisation"].max() < 1.0


def test_2009_outlook_leaves_room_for_the_two_idled_plants(case):
    plan = [p for p in case["periods"]["id"] if p not in iwg2009.HISTORY]
    check = iwg2009.capacity_check(case, without=(JEWETT_CITY, LITTLETON))
    in_plan = check.filter(pl.col("period_id").is_in(plan))
    assert in_plan["utilisation"].max() < 1.0
    # 2009 itself has room to spare; 2010's recovery fills the remaining plants.
    weakest = in_plan.filter(pl.col("period_id").is_in(["2009Q1", "2009Q2", "2009Q3"]))
    assert weakest["utilisation"].max() < 0.85
    in_2010 = in_plan.filter(pl.col("period_id").str.starts_with("2010"))
    assert in_2010["utilisation"].max() > 0.9


def test_jewett_city_and_littleton_cost_most_per_unit_of_capacity(case):
    plants = case["plants"].select(
        "id", "fixed_cost_running", "fixed_cost_idle", "cost_to_idle", "role"
    )
    capacity = case["resources"].group_by("plant_id").agg(pl.col("capacity").max())
    per_unit = plants.join(capacity, left_on="id", right_on="plant_id").with_columns(
        (pl.col("fixed_cost_running") / pl.col("capacity")).alias("per_lb"),
        (pl.col("fixed_cost_idle") / pl.col("fixed_cost_running")).alias("idle_ratio"),
    )
    rates = dict(per_unit.select("id", "per_lb").iter_rows())
    ratios = dict(per_unit.select("id", "idle_ratio").iter_rows())
    bare = ["sherrill-ny", "kendallville-in", "sanford-nc", "ontario-ca", JEWETT_CITY]
    plating = ["torrington-ct", "painesville-oh", "santa-ana-ca", LITTLETON]
    assert max(bare, key=rates.get) == JEWETT_CITY
    assert max(plating, key=rates.get) == LITTLETON
    assert ratios[JEWETT_CITY] < min(ratios[p] for p in bare if p != JEWETT_CITY)
    assert ratios[LITTLETON] < min(ratios[p] for p in plating if p != LITTLETON)


def test_the_generator_reproduces_the_committed_files(tmp_path):
    script = CASE_DIR / "generate.py"
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    committed = sorted(p.name for p in CASE_DIR.iterdir() if p.suffix in (".csv", ".toml"))
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (CASE_DIR / name).read_bytes(), name
