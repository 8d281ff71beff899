"""Scenarios as data: named overrides of a case and its model options, read from YAML, applied
by a pure function, and expanded from sweeps (grids and Monte Carlo draws)."""

from millnet.scenario.apply import ScenarioCase, apply
from millnet.scenario.overrides import OVERRIDES, Override
from millnet.scenario.source import Problem, ScenarioError
from millnet.scenario.spec import Scenario, load_scenario, parse_scenario

__all__ = [
    "OVERRIDES",
    "Override",
    "Problem",
    "Scenario",
    "ScenarioCase",
    "ScenarioError",
    "apply",
    "load_scenario",
    "parse_scenario",
]
