"""Sweep expansion: grids (values and levels), Monte Carlo draws, and their mistakes."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from millnet.case import load_example
from millnet.scenario import ScenarioError, apply
from millnet.scenario.sweep import LogNormal, Triangular, Walk, expand, load_sweep, parse_sweep

GRID = """\
name: g
description: aerospace by copper by Littleton
base: base.yaml
solve: {time_limit: 20, gap: 0.01}
grid:
  aero:
    template: {kind: scale_demand, segments: [aerospace], factor: $value}
    values: [0.6, 0.8, 1.0]
  copper:
    template: {kind: metal_prices, metal: copper, factor: $value}
    values: [1, 2.5]
  littleton:
    levels:
      free: []
      kept:
        - {kind: force_state, plants: [littleton-nh], state: running}
"""

MONTE_CARLO = """\
name: mc
monte_carlo:
  draws: {draws}
  seed: {seed}
  demand:
    - segments: [aerospace]
      distribution: {{type: lognormal, median: 0.8, sigma: 0.2}}
    - customers: [eurocab]
      distribution: {{type: triangular, low: 0.7, mode: 0.9, high: 1.0}}
    - channels: [wire_supplier]
      distribution: {{type: normal, mean: 1.0, sd: 0.1}}
  metals:
    - metal: copper
      walk: {{drift: 0.02, volatility: 0.15}}
      periods: [2009Q1, 2009Q2]
    - metal: silver
      distribution: {{type: uniform, low: 0.8, high: 1.5}}
      from_period: 2009Q2
"""


@pytest.fixture(scope="module")
def mini():
    return load_example("mini")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "base.yaml").write_text(
        "name: base\noverrides:\n  - {kind: options, forbid_closures: true}\n", encoding="utf-8"
    )
    return tmp_path


def sweep_file(folder: Path, text: str, name: str = "sweep.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_grid_is_the_cartesian_product_in_axis_order(folder, mini):
    scenarios = expand(sweep_file(folder, GRID))
    assert len(scenarios) == 3 * 2 * 2
    assert [s.name for s in scenarios[:4]] == [
        "aero=0.6,copper=1,littleton=free",
        "aero=0.6,copper=1,littleton=kept",
        "aero=0.6,copper=2.5,littleton=free",
        "aero=0.6,copper=2.5,littleton=kept",
    ]
    assert scenarios[-1].name == "aero=1.0,copper=2.5,littleton=kept"
    assert len({s.name for s in scenarios}) == 12
    last = scenarios[-1]
    assert [o.to_data() for o in last.overrides] == [
        {"kind": "scale_demand", "segments": ["aerospace"], "factor": 1.0},
        {"kind": "metal_prices", "metal": "copper", "factor": 2.5},
        {"kind": "force_state", "plants": ["littleton-nh"], "state": "running"},
    ]
    assert last.lineage == ("base", last.name)
    assert last.description == "aero=1.0,copper=2.5,littleton=kept of sweep g"
    result = apply(mini, last)
    assert result.options.forbid_closures is True
    assert ("littleton-nh", "2009Q2", "running") in result.options.force_states


def test_sweep_solver_settings(folder):
    sweep = load_sweep(sweep_file(folder, GRID))
    assert (sweep.solve.time_limit, sweep.solve.gap) == (20.0, 0.01)
    no_settings = load_sweep(
        sweep_file(folder, GRID.replace("solve: {time_limit: 20, gap: 0.01}\n", ""))
    )
    assert (no_settings.solve.time_limit, no_settings.solve.gap) == (None, None)


def test_grid_expansion_is_the_same_every_time(folder):
    path = sweep_file(folder, GRID)
    assert [s.to_yaml() for s in expand(path)] == [s.to_yaml() for s in expand(path)]


def test_monte_carlo_is_reproducible_with_its_seed(folder):
    first = expand(sweep_file(folder, MONTE_CARLO.format(draws=5, seed=7), "a.yaml"))
    again = expand(sweep_file(folder, MONTE_CARLO.format(draws=5, seed=7), "b.yaml"))
    other = expand(sweep_file(folder, MONTE_CARLO.format(draws=5, seed=8), "c.yaml"))
    assert [s.name for s in first] == ["draw-001", "draw-002", "draw-003", "draw-004", "draw-005"]
    assert [s.overrides for s in first] == [s.overrides for s in again]
    assert [s.overrides for s in first] != [s.overrides for s in other]


def test_a_draw_does_not_depend_on_the_number_of_draws(folder):
    few = expand(sweep_file(folder, MONTE_CARLO.format(draws=3, seed=11), "few.yaml"))
    many = expand(sweep_file(folder, MONTE_CARLO.format(draws=1200, seed=11), "many.yaml"))
    assert [s.overrides for s in few] == [s.overrides for s in many[:3]]
    assert many[-1].name == "draw-1200"


def test_monte_carlo_draws_come_from_the_stated_distributions(folder, mini):
    scenarios = expand(sweep_file(folder, MONTE_CARLO.format(draws=300, seed=1)))
    aero = np.array([s.overrides[0].factor for s in scenarios])
    eurocab = np.array([s.overrides[1].factor for s in scenarios])
    wire = np.array([s.overrides[2].factor for s in scenarios])
    silver = np.array([s.overrides[4].factor for s in scenarios])
    assert np.median(aero) == pytest.approx(0.8, rel=0.05)
    assert np.std(np.log(aero)) == pytest.approx(0.2, rel=0.15)
    assert eurocab.min() >= 0.7
    assert eurocab.max() <= 1.0
    assert np.mean(eurocab) == pytest.approx((0.7 + 0.9 + 1.0) / 3, rel=0.03)
    assert np.mean(wire) == pytest.approx(1.0, abs=0.02)
    assert silver.min() >= 0.8
    assert silver.max() <= 1.5
    walk = scenarios[0].overrides[3]
    assert walk.kind == "metal_prices"
    assert list(walk.multipliers) == ["2009Q1", "2009Q2"]
    # rounded to four decimals, so scenarios read well
    assert all(round(x, 4) == x for x in aero)
    result = apply(mini, scenarios[0])
    assert result.scenario == "draw-001"


def test_distributions_draw_as_documented():
    rng = np.random.default_rng(5)
    reference = np.random.default_rng(5)
    assert LogNormal(median=2.0, sigma=0.5).draw(rng) == pytest.approx(
        2.0 * math.exp(reference.normal(0.0, 0.5))
    )
    assert Triangular(low=1.0, mode=1.0, high=1.0).draw(rng) == 1.0
    path = Walk(drift=0.1, volatility=0.0).path(rng, 3)
    assert path == pytest.approx([math.exp(0.1), math.exp(0.2), math.exp(0.3)])


def test_bad_value_points_at_the_value(folder):
    text = GRID.replace("values: [0.6, 0.8, 1.0]", "values: [0.6, -0.8, 1.0]")
    with pytest.raises(ScenarioError) as info:
        expand(sweep_file(folder, text))
    (problem,) = info.value.problems
    assert (problem.line, problem.key) == (8, "grid.aero.values[1]")
    assert problem.message == "found -0.8: input should be greater than or equal to 0"


def test_bad_key_in_a_template_points_at_the_template(folder):
    text = GRID.replace("metal: copper, factor", "metal: copper, factr")
    with pytest.raises(ScenarioError) as info:
        load_sweep(sweep_file(folder, text))
    (problem,) = info.value.problems
    assert (problem.line, problem.key) == (10, "grid.copper.template.factr")
    assert problem.message.startswith("unknown key 'factr'; expected one of kind, metal,")


def test_bad_level_override_points_at_the_level(folder):
    text = GRID.replace("state: running}", "state: sleeping}")
    with pytest.raises(ScenarioError) as info:
        load_sweep(sweep_file(folder, text))
    (problem,) = info.value.problems
    assert (problem.line, problem.key) == (16, "grid.littleton.levels.kept[0].state")
    assert problem.message.startswith("found 'sleeping'; expected one of running, idle, closed")


def test_unknown_id_in_a_template_is_found_when_applied(folder, mini):
    text = GRID.replace("segments: [aerospace]", "customers: [skyline]")
    scenario = expand(sweep_file(folder, text))[0]
    with pytest.raises(ScenarioError) as info:
        apply(mini, scenario)
    (problem,) = info.value.problems
    assert problem.file.endswith("sweep.yaml")
    assert (problem.line, problem.key) == (7, "grid.aero.template.customers[0]")
    assert problem.message.endswith("did you mean 'skyline-aero'?")


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("name: s\n", "", "give grid or monte_carlo (one of them)"),
        ("name: s\ngrid: {}\n", "", "grid has no axes"),
        (
            "name: s\ngrid:\n  a: {template: {kind: scale_demand, factor: 1}, values: [1]}\n",
            "grid.a",
            "template has no $value to put the values in",
        ),
        (
            "name: s\ngrid:\n  a: {template: {kind: scale_demand, factor: $value}}\n",
            "grid.a",
            "template goes with a non-empty list of values",
        ),
        (
            "name: s\nmonte_carlo: {draws: 2, seed: 1}\n",
            "monte_carlo",
            "give demand or metals to draw",
        ),
        (
            "name: s\nmonte_carlo:\n  draws: 2\n  seed: 1\n  metals:\n"
            "    - {metal: copper, walk: {volatility: 0.1}}\n",
            "monte_carlo.metals[0]",
            "walk needs periods (the periods it runs over, in order)",
        ),
        (
            "name: s\nmonte_carlo:\n  draws: 2\n  seed: 1\n  demand:\n"
            "    - {distribution: {type: triangular, low: 1, mode: 0.5, high: 2}}\n",
            "monte_carlo.demand[0].distribution",
            "expected low ≤ mode ≤ high; found 1.0, 0.5, 2.0",
        ),
        (
            "name: s\nmonte_carlo:\n  draws: 2\n  seed: 1\n  demand:\n"
            "    - {distribution: {type: beta, a: 1}}\n",
            "monte_carlo.demand[0].distribution.type",
            "unknown type 'beta'; expected one of normal, lognormal, uniform, triangular",
        ),
    ],
)
def test_sweep_mistakes(folder, text, key, message):
    with pytest.raises(ScenarioError) as info:
        parse_sweep(text, "s.yaml", folder)
    assert [(p.key, p.message) for p in info.value.problems] == [(key, message)]


def test_duplicate_names_are_an_error(folder):
    text = GRID.replace("values: [1, 2.5]", "values: [2.5, 2.5]")
    with pytest.raises(
        ScenarioError, match=r"two scenarios would be named 'aero=0\.6,copper=2\.5,"
    ):
        expand(sweep_file(folder, text))


def test_missing_base(folder):
    text = GRID.replace("base: base.yaml", "base: nowhere.yaml")
    with pytest.raises(ScenarioError) as info:
        load_sweep(sweep_file(folder, text))
    (problem,) = info.value.problems
    assert (problem.line, problem.key) == (3, "base")
