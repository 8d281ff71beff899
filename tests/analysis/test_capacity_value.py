"""The value of capacity: shadow prices of capacity rows at the plan's decisions, by hand.

Cases are tiny (product W on resource ``line``, freight through the lanes table, no metal); a
capacity unit carries one unit of W, so one more unit of binding capacity at a cheap plant
saves the cost difference per unit against the plant (or the unmet penalty) that serves the
margin.
"""

from __future__ import annotations

import numpy as np
import pytest
from tiny_cases import demand, plant, tiny_case

from millnet.analysis.capacity import producing
from millnet.model.data import prepare
from millnet.model.options import ModelOptions
from millnet.plan import solve_case
from millnet.results.kpis import KPIS, compute


def prices(results) -> dict[tuple[str, str], float]:
    """(plant, period) → shadow price of the plant's line."""
    table = results["capacity_value"]
    return {(r["plant"], r["period"]): r["shadow_price"] for r in table.iter_rows(named=True)}


def two_plants(**options):
    # A: variable 1 + freight 0.5 = 1.5 per unit, 60 units of capacity; B: 3 + 1 = 4 per unit,
    # 1000 units; C runs dear (fixed 1000) and idles (1 to idle). Demand 100 in P1, 50 in P2.
    # P1: A full (60), B 40; P2: A 50. Cost 60·1.5 + 40·4 + 50·1.5 + 1 = 326.
    # One more unit of A's line in P1 moves one unit from B to A: saves 4 − 1.5 = 2.5.
    # A's line in P2 has room (0), B never binds (0), C does not produce (0).
    case = tiny_case(
        [
            plant("A", capacity=60, variable=1),
            plant("B", capacity=1000, variable=3),
            plant("C", capacity=10, variable=0, fixed_cost_running=1000),
        ],
        [demand("C1", "P1", 100), demand("C1", "P2", 50)],
        periods=2,
        freight={("A", "C1"): 0.5, ("B", "C1"): 1.0, ("C", "C1"): 0.0},
    )
    return solve_case(case, ModelOptions(**options), reference=False)


@pytest.mark.parametrize("linking", ["strong", "weak"])
def test_binding_capacity_is_worth_the_cost_difference(linking):
    r = two_plants(linking=linking)
    assert r.outcome.objective == pytest.approx(326.0)
    assert prices(r) == pytest.approx(
        {
            ("A", "P1"): 2.5,
            ("A", "P2"): 0.0,
            ("B", "P1"): 0.0,
            ("B", "P2"): 0.0,
            ("C", "P1"): 0.0,
            ("C", "P2"): 0.0,
        },
        abs=1e-9,
    )
    used = {
        (r_["plant"], r_["period"]): r_["used"] for r_ in r["capacity_value"].iter_rows(named=True)
    }
    assert used == pytest.approx(
        {("A", "P1"): 60, ("A", "P2"): 50, ("B", "P1"): 40, ("B", "P2"): 0, ("C", "P1"): 0,
         ("C", "P2"): 0}
    )  # fmt: skip
    assert r["capacity_value"].columns == [
        "plant",
        "resource",
        "period",
        "capacity",
        "used",
        "shadow_price",
    ]


def test_margin_objective_values_capacity_as_margin_gained():
    # Price 10: every unit is worth serving; one more unit at A instead of B gains 2.5 of margin.
    r = two_plants(objective="margin")
    assert prices(r)[("A", "P1")] == pytest.approx(2.5)
    assert prices(r)[("A", "P2")] == 0.0


def test_capacity_short_of_demand_is_worth_the_unmet_penalty():
    # Capacity 60 + 20 < 100: 20 unmet at 100 per unit (ten times the price 10).
    # One more unit at A serves one more: saves 100 − 1.5 = 98.5; at B: 100 − 4 = 96.
    case = tiny_case(
        [plant("A", capacity=60, variable=1), plant("B", capacity=20, variable=3)],
        [demand("C1", "P1", 100)],
        freight={("A", "C1"): 0.5, ("B", "C1"): 1.0},
    )
    r = solve_case(case, reference=False)
    assert r.outcome.objective == pytest.approx(60 * 1.5 + 20 * 4 + 20 * 100)
    assert prices(r) == pytest.approx({("A", "P1"): 98.5, ("B", "P1"): 96.0})


def test_a_restarting_plant_has_no_capacity_value_before_it_produces():
    # A is idle at the start with a restart lead of one period, forced to run from P1: it
    # produces from P2 only. P1: B serves 100 (A's line carries nothing whatever its size: 0);
    # P2: A full (60) at 1 per unit, B 40 at 3: one more unit at A saves 2.
    case = tiny_case(
        [
            plant("A", capacity=60, variable=1, initial_state="idle", restart_lead_periods=1),
            plant("B", capacity=1000, variable=3),
        ],
        [demand("C1", "P1", 100), demand("C1", "P2", 100)],
        periods=2,
    )
    forced = (("A", "P1", "running"), ("A", "P2", "running"))
    r = solve_case(case, ModelOptions(force_states=forced), reference=False)
    assert prices(r)[("A", "P1")] == 0.0
    assert prices(r)[("A", "P2")] == pytest.approx(2.0)
    data = prepare(case, ModelOptions(force_states=forced))
    running = np.array([[1.0, 1.0], [1.0, 1.0]])
    assert producing(data, running).tolist() == [[0.0, 1.0], [1.0, 1.0]]


def test_kpi_lists_binding_rows_first():
    r = two_plants()
    assert "capacity_value" in KPIS
    table = compute(r, "capacity_value")
    assert table.row(0, named=True)["plant"] == "A"
    assert table.row(0, named=True)["shadow_price"] == pytest.approx(2.5)
    assert table["shadow_price"].to_list()[1:] == [0.0] * 5


def test_skipped_on_request_and_timed_as_kpi():
    case = tiny_case([plant("A")], [demand("C1", "P1", 10)])
    without = solve_case(case, reference=False, duals=False)
    assert "capacity_value" not in without.tables
    assert compute(without, "capacity_value").height == 0
    with_duals = solve_case(case, reference=False)
    assert "capacity_value" in with_duals.tables
    assert with_duals.timings["kpi_s"] > 0
