"""Say why a case has no feasible plan: which rule, which plants, periods or demand.

The model always has a way to leave demand unmet, so infeasibility comes from rules that force
something: forced states, minimum outputs, minimum idle or restart lead times, plant counts, or
single sourcing. Each is relaxed in turn; the ones whose relaxation gives a plan are named, with
the plants (and forced states) involved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from millnet.model.build import build
from millnet.model.data import ModelData
from millnet.solve.options import SolveOptions
from millnet.solve.run import run
from millnet.solve.status import Status

Relaxation = tuple[str, Callable[[ModelData], ModelData | None]]


def _with_options(data: ModelData, **update: object) -> ModelData:
    return dataclasses.replace(data, options=data.options.model_copy(update=update))


def _plants(data: ModelData, mask: np.ndarray) -> str:
    names = [p for p, m in zip(data.plants, mask, strict=True) if m]
    return ", ".join(names[:10]) + (" …" if len(names) > 10 else "")


RELAXATIONS: list[Relaxation] = [
    (
        "forced plant states",
        lambda d: _with_options(d, force_states=()) if d.options.force_states else None,
    ),
    (
        "the minimum output of running plants",
        lambda d: (
            dataclasses.replace(d, min_output=np.zeros_like(d.min_output))
            if float(d.min_output.max(initial=0)) > 0
            else None
        ),
    ),
    (
        "minimum idle periods",
        lambda d: (
            dataclasses.replace(d, min_idle=np.zeros_like(d.min_idle))
            if int(d.min_idle.max(initial=0)) > 1
            else None
        ),
    ),
    (
        "restart lead times",
        lambda d: (
            dataclasses.replace(d, restart_lead=np.zeros_like(d.restart_lead))
            if int(d.restart_lead.max(initial=0)) > 0
            else None
        ),
    ),
    (
        "the limits on idle or closed plants",
        lambda d: (
            _with_options(d, max_idle=None, max_closed=None)
            if d.options.max_idle is not None or d.options.max_closed is not None
            else None
        ),
    ),
    (
        "the ban on closures",
        lambda d: _with_options(d, forbid_closures=False) if d.options.forbid_closures else None,
    ),
    (
        "single sourcing",
        lambda d: (
            _with_options(d, single_source="off") if d.options.single_source != "off" else None
        ),
    ),
]


def _feasible(data: ModelData, options: SolveOptions) -> bool:
    return run(build(data), options).status.has_plan


def explain(data: ModelData, options: SolveOptions | None = None) -> tuple[str, ...]:
    """Sentences naming what makes the plan impossible (empty when nothing is found)."""
    options = (options or SolveOptions()).model_copy(update={"time_limit": None, "log": False})
    reasons = []
    for rule, relax in RELAXATIONS:
        relaxed = relax(data)
        if relaxed is None or not _feasible(relaxed, options):
            continue
        reasons.append(_detail(rule, data, options))
    if not reasons:
        outcome = run(build(data), options)
        if outcome.status is Status.INFEASIBLE:
            reasons.append(
                "no single rule explains it: the combination of plant lifecycle rules leaves no "
                "plan; check forced states against restart lead and minimum idle times"
            )
    return tuple(reasons)


def _detail(rule: str, data: ModelData, options: SolveOptions) -> str:
    if rule == "forced plant states":
        culprits = []
        for index, forced in enumerate(data.options.force_states[:20]):
            rest = data.options.force_states[:index] + data.options.force_states[index + 1 :]
            if _feasible(_with_options(data, force_states=rest), options):
                culprits.append(f"{forced[0]} {forced[2]} in {forced[1]}")
        named = "; ".join(culprits) if culprits else "together, not one by one"
        return f"forced plant states conflict with the plant rules: {named}"
    if rule == "the minimum output of running plants":
        return (
            "the minimum output of running plants cannot be met by the demand they may serve "
            f"(plants with a minimum: {_plants(data, data.min_output > 0)})"
        )
    if rule == "minimum idle periods":
        return (
            "minimum idle periods leave too few running periods "
            f"(plants: {_plants(data, data.min_idle > 1)})"
        )
    if rule == "restart lead times":
        return (
            "restart lead times leave no time to produce "
            f"(plants: {_plants(data, data.restart_lead > 0)})"
        )
    return f"{rule} make every plan impossible; relaxing them gives a plan"
