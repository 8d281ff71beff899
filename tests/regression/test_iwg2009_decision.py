"""The reference case reproduces the March 2009 decision, and not without its cause."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from millnet.case import read_case
from millnet.model.options import ModelOptions
from millnet.plan import solve_case
from millnet.scenario import load_scenario

CASE = Path(__file__).resolve().parents[2] / "cases" / "iwg2009"
IDLED = {"jewett-city-ct", "littleton-nh"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def case():
    return read_case(CASE)


@pytest.fixture(scope="module")
def results(case):
    return solve_case(case)


def test_plan_idles_exactly_jewett_city_and_littleton_in_2009q1(results):
    assert results.outcome.status.value == "optimal"
    q1 = results["plant_states"].filter(pl.col("period") == "2009Q1")
    idle = set(q1.filter(pl.col("state") == "idle")["plant"])
    assert idle == IDLED
    running = set(q1.filter(pl.col("state") == "running")["plant"])
    assert len(running) == 17  # the other 13 US plants and the 4 in Europe
    assert q1.filter(pl.col("state") == "closed").height == 0


def test_history_keeps_every_plant_running(results):
    history = results["plant_states"].filter(~pl.col("planned"))
    assert set(history["period"]) == {"2008Q1", "2008Q2", "2008Q3", "2008Q4"}
    assert set(history["state"]) == {"running"}


def test_idled_plants_customers_are_served_from_us_plants(case, results):
    plants = case["plants"].select(pl.col("id").alias("to_plant"), "country")
    moves = results["moves"].filter(
        pl.col("from_plant").is_in(list(IDLED)) & (pl.col("period") == "2009Q1")
    )
    assert moves.height > 0
    destinations = moves.join(plants, on="to_plant", how="left")
    assert set(destinations["country"]) == {"US"}
    assert results["unmet"].height == 0


def test_the_plan_saves_against_keeping_every_plant_running(results):
    assert results.reference_objective is not None
    assert results.outcome.objective < results.reference_objective


def test_with_2008_demand_carried_into_2009_every_plant_runs(case):
    scenario = load_scenario(CASE / "scenarios" / "2008-demand-continues.yaml")
    results = solve_case(case, ModelOptions(), reference=False, scenario=scenario)
    assert results.scenario == "2008-demand-continues"
    assert results.outcome.status.value == "optimal"
    y2009 = results["plant_states"].filter(pl.col("period").str.starts_with("2009"))
    assert y2009.height == 19 * 4
    assert set(y2009["state"]) == {"running"}
