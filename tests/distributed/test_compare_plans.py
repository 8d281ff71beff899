"""results.compare on hand-made plans: exact diff rows and KPI differences worked out by hand."""

from __future__ import annotations

import polars as pl
import pytest
from handmade import make_results

from millnet.results.compare import compare, kpi_diff, main_plants, sourcing_diff, state_diff
from millnet.solve.status import Status

#: Plan A: P2 runs in T1 and idles in T2; C2's T1 demand from P2; C3 served by P2 in T2.
A = make_results(
    history=[("P1", "T0", "running"), ("P2", "T0", "running")],
    states=[
        ("P1", "T1", "running"),
        ("P1", "T2", "running"),
        ("P2", "T1", "running"),
        ("P2", "T2", "idle"),
    ],
    flows=[
        ("P1", "C1", "X", "T1", 60.0, 100.0),
        ("P2", "C1", "X", "T1", 40.0, 300.0),
        ("P1", "C1", "X", "T2", 100.0, 100.0),
        ("P2", "C2", "X", "T1", 50.0, 200.0),
        ("P2", "C3", "X", "T2", 10.0, 50.0),
    ],
    costs=[
        ("fixed_running", "P1", "T1", 100.0),
        ("fixed_running", "P1", "T2", 100.0),
        ("fixed_running", "P2", "T1", 100.0),
        ("freight", "P1", "T1", 50.0),
    ],
    metal=[("copper", "T1", 1000.0, 500.0)],
    reference=400.0,
)
#: Plan B: P2 idles from T1; P1 takes C2 (30 of 50), C2's rest and C3 go unmet.
B = make_results(
    history=[("P1", "T0", "running"), ("P2", "T0", "running")],
    states=[
        ("P1", "T1", "running"),
        ("P1", "T2", "running"),
        ("P2", "T1", "idle"),
        ("P2", "T2", "idle"),
    ],
    flows=[
        ("P1", "C1", "X", "T1", 100.0, 100.0),
        ("P1", "C1", "X", "T2", 100.0, 100.0),
        ("P1", "C2", "X", "T1", 30.0, 500.0),
    ],
    costs=[
        ("fixed_running", "P1", "T1", 100.0),
        ("fixed_running", "P1", "T2", 100.0),
        ("freight", "P1", "T1", 80.0),
        ("unmet_penalty", None, "T1", 20.0),
    ],
    unmet=[("C2", "X", "T1", 20.0), ("C3", "X", "T2", 10.0)],
    metal=[("copper", "T1", 800.0, 400.0)],
    reference=None,
)


def kpi(table: pl.DataFrame, name: str, key: str, measure: str) -> dict[str, float | None]:
    rows = table.filter(
        (pl.col("kpi") == name) & (pl.col("key") == key) & (pl.col("measure") == measure)
    )
    assert rows.height == 1, (name, key, measure)
    return rows.row(0, named=True)


def test_state_diff_lists_only_the_plant_periods_that_differ():
    assert state_diff(A, B).rows() == [("P2", "T1", "running", "idle")]
    assert state_diff(A, A).height == 0


def test_state_diff_against_a_plan_without_solution_has_nulls_on_its_side():
    none = make_results(status=Status.INFEASIBLE)
    diff = state_diff(A, none)
    assert diff.height == 6  # every row of A, history included
    assert diff["state_b"].null_count() == 6
    assert diff.rows()[0] == ("P1", "T0", "running", None)


def test_main_plant_is_the_largest_and_ties_go_to_the_first_plant_id():
    tie = make_results(
        flows=[("P9", "C1", "X", "T1", 5.0, 1.0), ("P1", "C1", "X", "T1", 5.0, 1.0)],
    )
    assert main_plants(tie).rows() == [("C1", "X", "T1", "P1", 5.0)]
    assert main_plants(A).sort("period", "customer").rows() == [
        ("C1", "X", "T1", "P1", 60.0),
        ("C2", "X", "T1", "P2", 50.0),
        ("C1", "X", "T2", "P1", 100.0),
        ("C3", "X", "T2", "P2", 10.0),
    ]


def test_sourcing_diff_gives_the_rows_served_from_another_plant_with_volumes():
    assert sourcing_diff(A, B).rows() == [
        ("C2", "X", "T1", "P2", 50.0, "P1", 30.0),
        ("C3", "X", "T2", "P2", 10.0, None, None),
    ]
    # C1 T1 is split 60/40 in A and whole in B: its main plant P1 is the same, so no row
    assert sourcing_diff(B, A).rows() == [
        ("C2", "X", "T1", "P1", 30.0, "P2", 50.0),
        ("C3", "X", "T2", None, None, "P2", 10.0),
    ]


def test_kpi_diff_headline_and_cost_terms_by_hand():
    table = kpi_diff(A, B)
    assert table.columns == ["kpi", "key", "measure", "a", "b", "delta", "pct"]
    objective = kpi(table, "plan", "", "objective")
    assert (objective["a"], objective["b"], objective["delta"]) == (350.0, 300.0, -50.0)
    assert objective["pct"] == pytest.approx(-100 * 50 / 350)
    # cost terms in A's order (largest first), then the term only B pays, counted 0 in A
    terms = table.filter(pl.col("kpi") == "cost_by_term")
    assert terms.select("key", "a", "b", "delta").rows() == [
        ("fixed_running", 300.0, 200.0, -100.0),
        ("freight", 50.0, 80.0, 30.0),
        ("unmet_penalty", 0.0, 20.0, 20.0),
    ]
    assert terms["pct"][0] == pytest.approx(-100 / 3)
    assert terms["pct"][1] == pytest.approx(60.0)
    assert terms["pct"][2] is None  # no percentage of zero


def test_kpi_diff_delivery_distance_unmet_and_metal_by_hand():
    table = kpi_diff(A, B)
    # A, T1: (60·100 + 40·300 + 50·200) / 150; B, T1: (100·100 + 30·500) / 130
    t1 = kpi(table, "delivery_distance", "T1", "distance")
    assert t1["a"] == pytest.approx(28000 / 150)
    assert t1["b"] == pytest.approx(25000 / 130)
    assert t1["delta"] == pytest.approx(25000 / 130 - 28000 / 150)
    assert kpi(table, "delivery_distance", "T2", "quantity")["a"] == 110.0
    unmet = kpi(table, "unmet_demand", "T1", "unmet")
    assert (unmet["a"], unmet["b"]) == (0.0, 20.0)  # A has no unmet row for T1: zero
    assert kpi(table, "unmet_demand", "T1", "share")["b"] == pytest.approx(20 / 150)
    cost_change = kpi(table, "metal_exposure", "copper", "cost_change")
    assert (cost_change["a"], cost_change["b"]) == (pytest.approx(50.0), pytest.approx(40.0))
    assert cost_change["pct"] == pytest.approx(-20.0)


def test_kpi_diff_missing_reference_gives_nulls_not_zeros():
    savings = kpi_diff(A, B).filter(pl.col("kpi") == "savings")
    assert savings.select("measure", "a", "b").rows() == [
        ("plan", 350.0, None),
        ("all_running", 400.0, None),
        ("savings", 50.0, None),
    ]
    assert savings["delta"].null_count() == 3


def test_kpi_diff_leaves_out_per_plant_detail():
    kpis = set(kpi_diff(A, B)["kpi"])
    assert {"plan", "cost_by_term", "savings", "delivery_distance", "unmet_demand"} <= kpis
    assert "metal_exposure" in kpis
    assert not kpis & {"cost_by_plant", "utilisation", "capacity_value"}


def test_kpi_diff_of_plans_without_solution_keeps_the_headline_unknown():
    none = make_results(status=Status.INFEASIBLE)
    table = kpi_diff(none, none)
    assert table["kpi"].unique().to_list() == ["plan"]
    assert table["a"].null_count() == 2


def test_compare_bundles_the_three_tables():
    comparison = compare(A, B)
    assert comparison.states.height == 1
    assert comparison.sourcing.height == 2
    assert not comparison.same_decisions
    assert compare(A, A).same_decisions
    assert compare(A, A).kpis["delta"].drop_nulls().abs().max() == 0.0
