"""The ``options`` override: model options for a scenario, checked as ModelOptions checks them."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, create_model

from millnet.model.options import ModelOptions
from millnet.scenario.context import At, State
from millnet.scenario.overrides.base import Override
from millnet.scenario.source import ScenarioError


def _options_model() -> type[Override]:
    """The ``options`` override: every model option but ``force_states`` (that is
    ``force_state``), typed and constrained exactly as in ModelOptions, all optional."""
    fields: dict[str, Any] = {"kind": (Literal["options"], "options")}
    for name, info in ModelOptions.model_fields.items():
        if name == "force_states":
            continue
        annotation = (
            Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        )
        fields[name] = (annotation, Field(None, description=info.description))
    model = create_model("Options", __base__=_OptionsBase, **fields)
    model.__doc__ = _OptionsBase.__doc__
    return model


class _OptionsBase(Override):
    """Set model options for this scenario: objective, single sourcing, closures allowed, the
    most plants idle or closed, the first planned period, the unmet-demand penalty….

    Only the keys given change; a later ``options`` override wins. They are applied over the
    options the plan is run with (the command line's), so the scenario has the last word.
    """

    example: ClassVar[dict[str, Any]] = {"kind": "options", "forbid_closures": True}

    def option_values(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"kind"})

    def apply(self, state: State, at: At) -> State:
        values = self.option_values()
        plan_from = values.get("plan_from")
        if plan_from is not None and plan_from not in state.periods:
            raise ScenarioError(
                [state.unknown(at, ("plan_from",), plan_from, state.periods, "period")]
            )
        return dataclasses.replace(state, options={**state.options, **values})


Options = _options_model()
