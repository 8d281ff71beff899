"""Charts and map data of the mini plan: exact cells, exact bridge steps."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from millnet.report.charts import (
    bridge_steps,
    cost_bridge,
    cost_by_term_bars,
    state_timeline,
    utilisation_heatmap,
)
from millnet.report.maps import map_data

PLAN = 13_142_943.500182966
ALL_RUNNING = 15_018_346.231939567


def test_timeline_cells_and_labels(mini_results):
    figure = state_timeline(mini_results)
    trace = figure["data"][0]
    assert trace["type"] == "heatmap"
    assert trace["y"] == ["Camden NY", "Jewett City CT", "Littleton NH", "Mons BE"]
    assert trace["x"] == ["2009Q1", "2009Q2"]
    # 0 running, 1 idle (planned periods: no pale history codes)
    assert trace["z"] == [[1, 1], [0, 0], [0, 0], [1, 1]]
    assert trace["text"] == [
        ["IDLE", "idle"],
        ["running", "running"],
        ["running", "running"],
        ["IDLE", "idle"],
    ]
    assert figure["layout"]["shapes"] == []  # no history, no "plan from" line


def test_timeline_marks_history_pale_with_a_line(mini_results):
    states = mini_results["plant_states"]
    history = states.filter(pl.col("period") == "2009Q1").with_columns(
        period=pl.lit("2008Q4"), state=pl.lit("running"), planned=pl.lit(False)
    )
    results = dataclasses.replace(
        mini_results, tables={**mini_results.tables, "plant_states": pl.concat([history, states])}
    )
    trace = state_timeline(results)["data"][0]
    assert trace["x"] == ["2008Q4", "2009Q1", "2009Q2"]
    # history running = 3 (first pale code), no text in history cells
    assert trace["z"][0] == [3, 1, 1]
    assert trace["text"][0] == ["", "IDLE", "idle"]
    line = state_timeline(results)["layout"]["shapes"][0]
    assert (line["x0"], line["x1"]) == (0.5, 0.5)


def test_utilisation_heatmap_shows_jewett_city_full(mini_results):
    trace = utilisation_heatmap(mini_results)["data"][0]
    row = trace["y"].index("Jewett City CT · fine_drawing")
    assert trace["z"][row] == pytest.approx([1.0, 1.0])
    assert trace["text"][row] == ["100%", "100%"]
    idle = trace["y"].index("Camden NY · rod_breakdown")
    assert trace["z"][idle] == [0.0, 0.0]


def test_bridge_without_reference_terms_shows_the_savings_as_one_step(mini_results):
    tables = {k: v for k, v in mini_results.tables.items() if k != "reference_costs"}
    mini_results = dataclasses.replace(mini_results, tables=tables)
    steps = bridge_steps(mini_results)
    assert steps.rows() == [
        ("All plants running", "total", pytest.approx(ALL_RUNNING)),
        ("Savings", "delta", pytest.approx(PLAN - ALL_RUNNING)),
        ("Plan", "total", pytest.approx(PLAN)),
    ]
    figure = cost_bridge(mini_results)
    trace = figure["data"][0]
    assert trace["base"] == pytest.approx([0, ALL_RUNNING, 0])
    assert trace["marker"]["color"] == ["#546e7a", "#2e7d32", "#546e7a"]
    assert trace["text"] == ["USD 15.0 M", "-USD 1.9 M", "USD 13.1 M"]
    # zoomed on the levels the bridge moves between: 1.88 M of change on 15 M stays visible
    low, high = figure["layout"]["yaxis"]["range"]
    saved = ALL_RUNNING - PLAN
    assert low == pytest.approx(PLAN - 0.6 * saved)
    assert high == pytest.approx(ALL_RUNNING + 0.35 * saved)


def test_no_bridge_for_margin_or_without_reference(mini_results):
    margin = dataclasses.replace(
        mini_results, options={**mini_results.options, "objective": "margin"}
    )
    assert bridge_steps(margin).height == 0
    alone = dataclasses.replace(mini_results, reference_objective=None)
    assert bridge_steps(alone).height == 0


def test_cost_by_term_bars_largest_first(mini_results):
    trace = cost_by_term_bars(mini_results)["data"][0]
    assert trace["y"][:2] == ["Metal", "Fixed (running)"]
    assert trace["x"][1] == pytest.approx(2_600_000)
    assert trace["text"][1] == "USD 2.6 M"


def test_bridge_with_reference_terms_goes_term_by_term(mini_results):
    plan_terms = mini_results["costs"].group_by("term").agg(pl.col("amount").sum())
    change = {"fixed_running": 1_000_000.0, "fixed_idle": -500_000.0, "freight": 10_000.0}
    reference = plan_terms.with_columns(
        pl.col("amount") + pl.col("term").replace_strict(change, default=0.0)
    ).with_columns(plant=pl.lit(None, pl.String), period=pl.lit("2009Q1"))
    results = dataclasses.replace(
        mini_results, tables={**mini_results.tables, "reference_costs": reference}
    )
    steps = bridge_steps(results)
    assert steps.rows() == [
        ("All plants running", "total", pytest.approx(PLAN + 510_000)),
        ("Fixed (running)", "delta", pytest.approx(-1_000_000)),
        ("Fixed (idle)", "delta", pytest.approx(500_000)),
        ("Freight", "delta", pytest.approx(-10_000)),
        ("Plan", "total", pytest.approx(PLAN)),
    ]
    trace = cost_bridge(results)["data"][0]
    # bars on a moving base: each change starts where the previous one ended
    assert trace["base"] == pytest.approx([0, PLAN + 510_000, PLAN - 490_000, PLAN + 10_000, 0])
    assert trace["marker"]["color"] == ["#546e7a", "#2e7d32", "#c62828", "#2e7d32", "#546e7a"]


def test_map_keeps_the_largest_flows_per_period(mini_results):
    data = map_data(mini_results, top=2)
    assert data is not None
    plants = [p["id"] for p in data["plants"]]
    customers = [c[0] for c in data["customers"]]
    assert plants == ["camden-ny", "jewett-city-ct", "littleton-nh", "mons-be"]
    flows = mini_results["flows"]
    for period in ("2009Q1", "2009Q2"):
        expected = (
            flows.filter(pl.col("period") == period)
            .group_by("plant", "customer")
            .agg(pl.col("quantity").sum())
            .sort("quantity", descending=True)
        )
        drawn = data["flows"][period]
        assert len(drawn) == 2
        assert data["flow_counts"][period] == expected.height
        top = expected.head(2).rows()
        assert [(plants[p], q) for p, _, q in drawn] == [
            (p, pytest.approx(q, abs=0.05)) for p, _, q in top
        ]
        names = dict(zip(mini_results["places"]["id"], mini_results["places"]["name"], strict=True))
        assert [customers[c] for _, c, _ in drawn] == [names[c] for _, c, _ in top]
        assert data["flow_totals"][period] == pytest.approx(
            flows.filter(pl.col("period") == period)["quantity"].sum(), abs=0.05
        )


def test_map_needs_places(no_places):
    assert map_data(no_places) is None


def test_resource_without_capacity_is_a_blank_cell(mini_results):
    utilisation = mini_results["utilisation"].with_columns(
        pl.when(pl.col("plant") == "mons-be")
        .then(float("nan"))
        .otherwise(pl.col("utilisation"))
        .alias("utilisation")
    )
    results = dataclasses.replace(
        mini_results, tables={**mini_results.tables, "utilisation": utilisation}
    )
    trace = utilisation_heatmap(results)["data"][0]
    row = trace["y"].index("Mons BE · fine_drawing")
    assert trace["z"][row] == [None, None]
    assert trace["text"][row] == ["", ""]
