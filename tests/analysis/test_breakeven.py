"""Break-even search: bisection on a knob until the plant's state flips, against hand-computed
break-even values.

The case: 100 units for C1 in one period (price 10). A runs for F + 1 per unit, B for 0 + 5
per unit; idling costs 1, closing A 1e6. A runs when F + 100 < 1 + 500 (A idles, B serves).
"""

from __future__ import annotations

import math

import pytest
from tiny_cases import demand, plant, tiny_case

from millnet.analysis.breakeven import breakeven
from millnet.analysis.knobs import KNOBS, parse_knob
from millnet.errors import MillnetError, UsageError


@pytest.fixture(scope="module")
def case():
    return tiny_case(
        [
            plant("A", fixed_cost_running=1000, cost_to_close=1e6, variable=1),
            plant("B", variable=5),
        ],
        [demand("C1", "P1", 100)],
    )


def test_fixed_cost_multiplier(case):
    # 1000 m + 100 = 501  →  m = 0.401
    steps = []
    result = breakeven(case, "A", "fixed-cost:A", 0.0, 1.0, on_step=steps.append)
    assert result.found
    assert result.below <= 0.401 <= result.above
    assert result.above - result.below <= 1e-3
    assert result.value == pytest.approx(0.401, abs=1e-3)
    assert (result.state_below, result.state_above) == ("running", "idle")
    assert [s.value for s in steps[:2]] == [0.0, 1.0]
    # the ends: 0 · 1000 + 100 = 100 running; idle 1 + 500 = 501
    assert [s.objective for s in steps[:2]] == pytest.approx([100, 501])
    # 2 ends + 10 halvings of [0, 1] to a bracket under 0.001
    assert len(result.steps) == 12
    assert result.sentence() == (
        f"A switches from running to idle in P1 at fixed-cost:A ≈ {result.value:.6g} (between "
        f"{result.below:.6g} and {result.above:.6g})"
    )


def test_demand_multiplier(case):
    # 1000 + 100 d = 1 + 500 d  →  d = 999 / 400 = 2.4975 (A runs above it)
    result = breakeven(case, "A", "demand:industrial_energy", 1.0, 4.0, tol=1e-4)
    assert result.below <= 2.4975 <= result.above
    assert result.above - result.below <= 1e-4
    assert (result.state_below, result.state_above) == ("idle", "running")


def test_metal_multiplier():
    # W holds 1 lb of copper per unit at 1 USD/lb; A loses half again as much metal (yield
    # loss 0.5). Per unit: A 1 + 1.5 k, B 5 + k. A (fixed 200) runs when
    # 200 + 100 (1 + 1.5 k) < 1 + 100 (5 + k)  →  k < 201 / 50 = 4.02
    case = tiny_case(
        [
            plant("A", fixed_cost_running=200, cost_to_close=1e6, variable=1, yield_loss=0.5),
            plant("B", variable=5),
        ],
        [demand("C1", "P1", 100)],
        product={"copper_per_unit": 1.0},
        copper_price=1.0,
    )
    result = breakeven(case, "A", "metal:copper", 1.0, 10.0, tol=1e-3)
    assert result.below <= 4.02 <= result.above
    assert (result.state_below, result.state_above) == ("running", "idle")


def test_inline_override(case):
    # the same as fixed-cost:A, written as a scenario override
    spec = "{kind: costs, column: fixed_cost_running, plants: [A]}"
    result = breakeven(case, "A", spec, 0.0, 1.0, tol=0.01)
    assert result.below <= 0.401 <= result.above
    assert result.to_json()["knob"] == spec


def test_no_switch_in_the_range_is_said(case):
    result = breakeven(case, "A", "fixed-cost:A", 0.0, 0.3)
    assert not result.found
    assert result.value is None
    assert len(result.steps) == 2
    assert result.sentence() == (
        "A is running in P1 at both fixed-cost:A = 0 and 0.3: no break-even in that range"
    )
    assert result.to_json()["breakeven"] is None


def test_the_registry_documents_every_knob():
    assert {"demand", "metal", "fixed-cost"} <= set(KNOBS)
    for knob in KNOBS.values():
        assert knob.description.endswith(".")
        assert knob.target.isupper()


@pytest.mark.parametrize(
    ("spec", "kind", "message"),
    [
        ("demnd:industrial_energy", MillnetError, "unknown knob 'demnd'; did you mean 'demand'?"),
        ("demand", UsageError, "--vary demand: give the segment, e.g. demand:industrial_energy"),
        ("demand:aerospace", MillnetError, "unknown segment 'aerospace'; expected one of "
         "industrial_energy"),
        ("metal:gold", MillnetError, "unknown metal 'gold'; expected one of copper"),
        ("fixed-cost:Q", MillnetError, "unknown plant 'Q'; expected one of A, B"),
        ("{kind: force_state}", UsageError, "--vary {kind: force_state}: override force_state "
         "has no factor to vary; kinds with one: scale_demand, demand_from_period, "
         "metal_prices, capacity, costs"),
        ("{kind: capacity, factor: 2}", UsageError, "--vary {kind: capacity, factor: 2}: leave "
         "the factor out; --low and --high set it"),
        ("{kind: costs}", UsageError, "--vary {kind: costs}: Field required (key costs.column)"),
    ],
)  # fmt: skip
def test_bad_knobs(case, spec, kind, message):
    with pytest.raises(kind) as info:
        parse_knob(spec, case)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("low", "high", "tol", "message"),
    [
        (1.0, 1.0, None, "--low must be below --high; found low 1, high 1"),
        (2.0, 1.0, None, "--low must be below --high; found low 2, high 1"),
        (-1.0, 1.0, None, "a knob is a multiplier, so --low must be 0 or more; found -1"),
        (0.0, math.inf, None, "--low must be below --high; found low 0, high inf"),
        (0.0, 1.0, 0.0, "--tol must be a positive number; found 0"),
    ],
)
def test_bad_ranges(case, low, high, tol, message):
    with pytest.raises(UsageError) as info:
        breakeven(case, "A", "fixed-cost:A", low, high, tol=tol)
    assert str(info.value) == message
    assert info.value.exit_code == 2


def test_an_override_naming_what_the_case_lacks(case):
    # the scenario overrides name the id; the knob says which --vary it came from
    spec = "{kind: capacity, plants: [Q]}"
    with pytest.raises(UsageError, match=r"^--vary \{kind: capacity, plants: \[Q\]\}: .*'Q'"):
        parse_knob(spec, case)


def test_unknown_plant_or_period(case):
    with pytest.raises(MillnetError, match="unknown plant 'a'; did you mean 'A'"):
        breakeven(case, "a", "fixed-cost:A", 0.0, 1.0)
    with pytest.raises(MillnetError, match=r"unknown planned period 'P9'; did you mean 'P1'\?"):
        breakeven(case, "A", "fixed-cost:A", 0.0, 1.0, period="P9")
