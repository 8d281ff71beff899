"""The solver is given shares or masses (linking strong or weak): the plan is the same.

With weak linking the flow and unmet columns, and the rows holding one share each, are scaled by
the demand quantity for the solver (see ``millnet.model.build``); the solution read back must be
the shares of the model all the same. Each case has a unique optimum (hand-computed in
``test_families.py``), so both ways must find exactly the same plan.
"""

from __future__ import annotations

import pytest
from tiny_cases import demand, flows, plant, solve, states, tiny_case, unmet

from millnet.model.build import build
from millnet.model.data import prepare
from millnet.model.options import ModelOptions

REL = 1e-9


def capacity_case():
    return tiny_case(
        [plant("A"), plant("B")],
        [demand("C1", "P1", 1000, price=20)],
        routing=[("draw", 1.5, 0.9), ("strand", 1.0, 1.0)],
        resources=[
            ("A", "draw", 900, 0.6),
            ("A", "strand", 600, 0.5),
            ("B", "draw", 1e6, 1.2),
            ("B", "strand", 1e6, 1.0),
        ],
    )


def qualification_case():
    return tiny_case(
        [plant("A"), plant("B")],
        [demand("C1", p, 100, price=20) for p in ("P1", "P2", "P3")],
        periods=3,
        freight={("A", "C1"): 10.0, ("B", "C1"): 1.0},
        qualifications=[
            {"plant_id": "A", "product_id": "W", "status": "qualified"},
            {
                "plant_id": "B",
                "product_id": "W",
                "status": "qualifiable",
                "requalification_cost": 500.0,
                "requalification_lead_periods": 1,
            },
        ],
    )


def sourcing_case():
    return tiny_case(
        [plant("A", capacity=60, variable=1), plant("B", capacity=200, variable=2)],
        [demand("C1", "P1", 50), demand("C1", "P2", 100)],
        periods=2,
    )


def min_output_case():
    return tiny_case(
        [plant("A", variable=1, min_output=80), plant("B", variable=3)],
        [demand("C1", "P1", 50), demand("C2", "P1", 50)],
        freight={("A", "C2"): 5.0},
    )


def unmet_case():
    return tiny_case(
        [plant("A", capacity=60, variable=2), plant("B", variable=35)],
        [demand("C1", "P1", 100, price=3)],
    )


CASES = {
    # name: (case, options, objective)
    "capacity": (capacity_case, {}, 2190),
    "qualification": (qualification_case, {}, 1700),
    "single source period": (sourcing_case, {"single_source": "period"}, 250),
    "single source horizon": (sourcing_case, {"single_source": "horizon"}, 300),
    "min output": (min_output_case, {}, 290),
    "unmet": (unmet_case, {}, 1320),
    "margin": (unmet_case, {"objective": "margin"}, 60),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_weak_linking_solves_in_masses_to_the_same_plan(name):
    factory, options, objective = CASES[name]
    case = factory()
    strong = solve(case, linking="strong", **options)
    weak = solve(case, linking="weak", **options)
    assert strong.outcome.objective == pytest.approx(objective, rel=REL)
    assert weak.outcome.objective == pytest.approx(objective, rel=REL)
    assert states(weak) == states(strong)
    assert flows(weak) == pytest.approx(flows(strong), rel=REL)
    assert unmet(weak) == pytest.approx(unmet(strong), rel=REL)


def test_solver_scale_is_the_demand_quantity_with_weak_linking_only(tmp_path):
    case = sourcing_case()
    strong = build(prepare(case, ModelOptions(linking="strong")))
    weak = build(prepare(case, ModelOptions(linking="weak")))
    assert strong.solver_scale is None
    flow = weak.model["flow"].labels.values
    unmet_labels = weak.model["unmet"].labels.values
    assert weak.solver_scale[flow].tolist() == [50.0, 50.0, 100.0, 100.0]
    assert weak.solver_scale[unmet_labels].tolist() == [50.0, 100.0]
    for built, name in ((strong, "strong"), (weak, "weak")):
        path = tmp_path / f"{name}.lp"
        built.to_lp(str(path))
        text = path.read_text(encoding="utf-8")
        assert "s.t." in text
        assert text.rstrip().endswith("end")
