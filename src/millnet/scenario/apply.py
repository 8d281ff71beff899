"""Apply a scenario to a case: a pure function from (case, scenario, options) to a new case and
the options to plan it with, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError as PydanticValidationError

from millnet.case import Case
from millnet.errors import MillnetError
from millnet.model.options import ModelOptions
from millnet.scenario.context import State
from millnet.scenario.overrides import Options
from millnet.scenario.source import ScenarioError
from millnet.scenario.spec import Scenario, load_scenario


@dataclass(frozen=True, eq=False)
class ScenarioCase:
    """A case with a scenario applied, and the model options to plan it with."""

    case: Case
    options: ModelOptions
    #: The scenario's name (the ``scenario`` of results), and its chain of parents, root first.
    scenario: str
    lineage: tuple[str, ...]
    #: Fingerprint of the case before the scenario.
    base_fingerprint: str
    #: What the overrides decided that the files do not say (e.g. which customer was largest).
    notes: tuple[str, ...] = ()


def apply(
    case: Case, scenario: Scenario | str | Path, options: ModelOptions | None = None
) -> ScenarioCase:
    """Apply ``scenario`` (or the scenario file at that path) to ``case``.

    Overrides apply in order, the root parent's first; each sees the case as the ones before
    left it. Model option overrides go over ``options`` (default: the default options);
    ``force_state`` overrides are added to its ``force_states`` (later ones win for the same
    plant and period). ``case`` is not changed; the new case has its own fingerprint when any
    table changed. Raises :class:`ScenarioError` naming file, line and key when an override
    does not fit the case (an unknown id, a filter that matches nothing).
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    options = options or ModelOptions()
    if case.meta is None:
        raise MillnetError("the case has no valid settings (case.toml), so no planned periods")
    steps = scenario.steps()
    periods = tuple(case["periods"].sort("order")["id"].to_list())
    plan_from = options.plan_from or case.meta.plan_from
    for override, _ in steps:
        if isinstance(override, Options) and "plan_from" in override.model_fields_set:
            plan_from = override.plan_from  # type: ignore[attr-defined]
    planned = periods[periods.index(plan_from) :] if plan_from in periods else periods
    state = State(
        case=case,
        options={},
        forced={(p, t): s for p, t, s in options.force_states},
        periods=periods,
        planned=planned,
    )
    for override, at in steps:
        state = override.apply(state, at)
    merged = {**options.model_dump(), **state.options}
    merged["force_states"] = tuple((p, t, s) for (p, t), s in state.forced.items())
    try:
        final = ModelOptions(**merged)
    except PydanticValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise ScenarioError(
            [scenario.source.problem(("overrides",), f"model options: {first['msg']}")]
        ) from None
    return ScenarioCase(
        case=state.case,
        options=final,
        scenario=scenario.name,
        lineage=scenario.lineage,
        base_fingerprint=case.fingerprint,
        notes=state.notes,
    )
