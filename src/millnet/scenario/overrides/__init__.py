"""The overrides a scenario can make, one pydantic model per ``kind``, in ONE registry.

Each override is data (what a planner writes in YAML) plus one pure ``apply`` that takes the
case and options as the previous overrides left them and returns new ones. The registry
:data:`OVERRIDES` is the single list of kinds: validation, ``docs/scenarios.md`` and the web
editor's forms are all generated from it, so a new kind is one class and one line here.
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from millnet.scenario.overrides.base import Channel, Ids, Metal, Override, PlantState, Segment
from millnet.scenario.overrides.demand import (
    DemandFromPeriod,
    DropCustomers,
    ScaleDemand,
    SetDemand,
)
from millnet.scenario.overrides.network import (
    COST_COLUMNS,
    COST_FILTERS,
    Capacity,
    Costs,
    ForceState,
)
from millnet.scenario.overrides.options import Options
from millnet.scenario.overrides.prices import MetalPrices

#: Every override kind, by its ``kind`` tag: the one list docs and forms are generated from.
OVERRIDES: dict[str, type[Override]] = {
    model.model_fields["kind"].default: model
    for model in (
        ScaleDemand,
        SetDemand,
        DemandFromPeriod,
        MetalPrices,
        ForceState,
        Capacity,
        Costs,
        DropCustomers,
        Options,
    )
}

#: Any registered override, told apart by ``kind``.
AnyOverride = Annotated[
    Union[tuple(OVERRIDES.values())],  # type: ignore[valid-type]  # noqa: UP007
    Field(discriminator="kind"),
]


__all__ = [
    "COST_COLUMNS",
    "COST_FILTERS",
    "OVERRIDES",
    "AnyOverride",
    "Capacity",
    "Channel",
    "Costs",
    "DemandFromPeriod",
    "DropCustomers",
    "ForceState",
    "Ids",
    "Metal",
    "MetalPrices",
    "Options",
    "Override",
    "PlantState",
    "ScaleDemand",
    "Segment",
    "SetDemand",
]
