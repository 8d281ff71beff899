"""Knobs: one number that changes a case, for break-even searches.

A knob is a scenario override with its ``factor`` left open: ``demand:aerospace`` is a
``scale_demand`` of the aerospace segment, and the break-even search sets its factor. The
named knobs below cover the usual questions; any override kind with a ``factor`` can be given
in full instead, as an inline YAML mapping without the factor::

    --vary demand:aerospace
    --vary "{kind: costs, column: cost_per_mass_distance, modes: [ocean]}"

Building on the scenario overrides keeps one definition of what "scale aerospace demand"
means (planned periods only, unknown ids named with the file and key).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError as PydanticValidationError

from millnet.analysis.words import check_name
from millnet.case import Case
from millnet.errors import UsageError
from millnet.model.options import ModelOptions
from millnet.scenario import OVERRIDES, Scenario, ScenarioError, apply
from millnet.schema.tables import METALS, SEGMENTS


@dataclass(frozen=True)
class Knob:
    """A named knob: ``NAME:TARGET`` → an override whose factor is the knob's value."""

    name: str
    #: What follows the colon, as shown in help (SEGMENT, METAL, PLANT …).
    target: str
    description: str
    #: The override (without its factor) for a target.
    override: Callable[[str], dict[str, Any]]
    #: Known targets in a case (for the error naming a wrong one).
    targets: Callable[[Case], list[str]]


def _plants(case: Case) -> list[str]:
    return case["plants"]["id"].to_list()


def _modes(case: Case) -> list[str]:
    return sorted(set(case["freight"]["mode"].drop_nulls().to_list()))


KNOBS: dict[str, Knob] = {
    knob.name: knob
    for knob in (
        Knob(
            "demand",
            "SEGMENT",
            "Multiplier of the demand of a customer segment in the planned periods.",
            lambda target: {"kind": "scale_demand", "segments": [target]},
            lambda case: [s for s in SEGMENTS if s in set(case["customers"]["segment"])],
        ),
        Knob(
            "metal",
            "METAL",
            "Multiplier of a metal's index price from the first planned period on (premiums "
            "unchanged).",
            lambda target: {"kind": "metal_prices", "metal": target},
            lambda case: [m for m in METALS if m in set(case["metal_prices"]["metal"])],
        ),
        Knob(
            "fixed-cost",
            "PLANT",
            "Multiplier of a plant's fixed cost per period while running.",
            lambda target: {"kind": "costs", "column": "fixed_cost_running", "plants": [target]},
            _plants,
        ),
        Knob(
            "capacity",
            "PLANT",
            "Multiplier of the capacity of every resource of a plant.",
            lambda target: {"kind": "capacity", "plants": [target]},
            _plants,
        ),
        Knob(
            "freight",
            "MODE",
            "Multiplier of the freight rate per mass and distance of a transport mode.",
            lambda target: {"kind": "costs", "column": "cost_per_mass_distance", "modes": [target]},
            _modes,
        ),
    )
}


@dataclass(frozen=True)
class BoundKnob:
    """A knob read from ``--vary`` and checked against a case: ``apply`` gives the case and the
    options at a value."""

    spec: str
    override: dict[str, Any]

    def scenario(self, value: float) -> Scenario:
        data = {
            "name": f"{self.spec} = {value:g}",
            "overrides": [{**self.override, "factor": value}],
        }
        try:
            return Scenario.model_validate(data)
        except PydanticValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"][2:])
            raise UsageError(
                f"--vary {self.spec}: {first['msg']}" + (f" (key {where})" if where else "")
            ) from None

    def apply(self, case: Case, options: ModelOptions, value: float) -> tuple[Case, ModelOptions]:
        applied = apply(case, self.scenario(value), options)
        return applied.case, applied.options

    def check(self, case: Case) -> BoundKnob:
        """Apply the knob once, so that an id the case lacks is named before any solve."""
        try:
            self.apply(case, ModelOptions(), 1.0)
        except ScenarioError as exc:
            messages = "; ".join(problem.message for problem in exc.problems)
            raise UsageError(f"--vary {self.spec}: {messages}") from None
        return self


def parse_knob(spec: str, case: Case) -> BoundKnob:
    """Read a ``--vary`` value (``NAME:TARGET`` or an inline override mapping) and check it
    against ``case``; raise :class:`UsageError` naming what is wrong and what would be right."""
    text = spec.strip()
    if text.startswith("{"):
        return _inline(text, case)
    name, colon, target = text.partition(":")
    check_name(name, list(KNOBS), "knob")
    knob = KNOBS[name]
    if not colon or not target:
        raise UsageError(
            f"--vary {spec}: give the {knob.target.lower()}, e.g. {name}:{_example(knob, case)}"
        )
    check_name(target, knob.targets(case), knob.target.lower())
    return BoundKnob(spec=text, override=knob.override(target)).check(case)


def _example(knob: Knob, case: Case) -> str:
    known = knob.targets(case)
    return known[0] if known else knob.target


def _inline(text: str, case: Case) -> BoundKnob:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"--vary {text}: not a YAML mapping ({exc})") from None
    if not isinstance(data, dict) or "kind" not in data:
        raise UsageError(f"--vary {text}: expected a mapping with a kind, e.g. {{kind: capacity}}")
    kind = str(data["kind"])
    check_name(kind, list(OVERRIDES), "override kind")
    if "factor" not in OVERRIDES[kind].model_fields:
        with_factor = [k for k, model in OVERRIDES.items() if "factor" in model.model_fields]
        raise UsageError(
            f"--vary {text}: override {kind} has no factor to vary; kinds with one: "
            f"{', '.join(with_factor)}"
        )
    if "factor" in data:
        raise UsageError(f"--vary {text}: leave the factor out; --low and --high set it")
    return BoundKnob(spec=text, override=data).check(case)
