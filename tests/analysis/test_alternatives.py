"""Near-optimal plans: distinct plant-state plans in cost order, cut off one by one.

The two-plant case of the formulation tests (100 units for C1 in one period, price 10):
  A runs, B idles            1000 + 200 + 200 + 80   =  1480  (best)
  B runs, A idles            1500 + 100 + 100 + 50   =  1750  (+270, 18.24 %)
  both run                   2500 + 100              =  2600  (+1120, 75.68 %)
  both idle                  300 + 130 + 100 · 100   = 10430
then the plans that close a plant (1e6 to close).
"""

from __future__ import annotations

import math

import pytest
from tiny_cases import demand, plant, tiny_case

from millnet.analysis.alternatives import near_optimal_plans
from millnet.errors import UsageError


@pytest.fixture(scope="module")
def two_plants():
    return tiny_case(
        [
            plant("A", fixed_cost_running=1000, fixed_cost_idle=100, cost_to_idle=50,
                  cost_to_close=1e6, variable=2),
            plant("B", fixed_cost_running=1500, fixed_cost_idle=200, cost_to_idle=80,
                  cost_to_close=1e6, variable=1),
        ],
        [demand("C1", "P1", 100)],
    )  # fmt: skip


def test_plans_come_in_cost_order_until_the_band_is_left(two_plants):
    found: list[tuple[int, float]] = []
    result = near_optimal_plans(two_plants, 5, 100, on_plan=lambda n, v: found.append((n, v)))
    assert [p.objective for p in result.plans] == pytest.approx([1480, 1750, 2600])
    assert [p.rank for p in result.plans] == [1, 2, 3]
    assert [p.gap for p in result.plans] == pytest.approx([0, 270, 1120])
    assert [p.gap_pct for p in result.plans] == pytest.approx(
        [0, 100 * 270 / 1480, 100 * 1120 / 1480]
    )
    # the fourth plan (both idle, 10430) is 604.73 % above the best
    assert result.stopped == "the next plan is 604.73 % worse than the best, beyond 100 %"
    assert found == [(1, pytest.approx(1480)), (2, pytest.approx(1750)), (3, pytest.approx(2600))]


def test_differences_from_the_best(two_plants):
    result = near_optimal_plans(two_plants, 3, 100)
    best, second, third = result.plans
    assert best.differences.height == 0
    assert best.states.to_dicts() == [
        {"plant": "A", "period": "P1", "state": "running"},
        {"plant": "B", "period": "P1", "state": "idle"},
    ]
    assert second.differences.to_dicts() == [
        {"plant": "A", "period": "P1", "best": "running", "state": "idle"},
        {"plant": "B", "period": "P1", "best": "idle", "state": "running"},
    ]
    assert third.differences.to_dicts() == [
        {"plant": "B", "period": "P1", "best": "idle", "state": "running"}
    ]
    assert result.stopped == "found the 3 plans asked for"


def test_count_stops_first(two_plants):
    result = near_optimal_plans(two_plants, 2, 1000)
    assert [p.objective for p in result.plans] == pytest.approx([1480, 1750])


def test_a_tight_band_keeps_only_the_best(two_plants):
    result = near_optimal_plans(two_plants, 3, 10)
    assert [p.objective for p in result.plans] == pytest.approx([1480])
    assert result.stopped == "the next plan is 18.24 % worse than the best, beyond 10 %"
    document = result.to_json()
    assert document["within_pct"] == 10
    assert document["plans"][0]["differences"] == []


def test_every_plan_of_a_small_case_is_found_once(two_plants):
    # 3 states × 2 plants = 9 plant-state plans, then none is left
    result = near_optimal_plans(two_plants, 20, 1e9)
    assert len(result.plans) == 9
    assert len({tuple(p.states["state"]) for p in result.plans}) == 9
    assert result.stopped == "no other plant-state plan exists"
    objectives = [p.objective for p in result.plans]
    assert objectives == sorted(objectives)


@pytest.mark.parametrize(
    ("count", "within", "message"),
    [
        (0, 1.0, "--count must be at least 1; found 0"),
        (-3, 1.0, "--count must be at least 1; found -3"),
        (2, -1.0, "--within must be a percentage ≥ 0; found -1"),
        (2, math.nan, "--within must be a percentage ≥ 0; found nan"),
    ],
)
def test_bad_count_or_band(two_plants, count, within, message):
    with pytest.raises(UsageError) as info:
        near_optimal_plans(two_plants, count, within)
    assert str(info.value) == message
    assert info.value.exit_code == 2
