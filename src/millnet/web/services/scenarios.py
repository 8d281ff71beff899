"""Scenarios in the web app: list a case's scenario files, turn the editor's fields into a
scenario (through the scenario package's model, so it validates exactly as a YAML file does),
check it against the case and save it as YAML in the workspace."""

from __future__ import annotations

from typing import Any

from millnet.case import Case
from millnet.model.options import ModelOptions
from millnet.scenario.apply import ScenarioCase, apply
from millnet.scenario.spec import Scenario, load_scenario
from millnet.web.models import ScenarioForm
from millnet.web.workspace import Workspace


def listing(workspace: Workspace, case_id: str) -> list[dict[str, Any]]:
    """Name, source (shipped with the case or saved here) and description of each scenario."""
    saved = workspace.scenarios_dir / case_id
    found = []
    for name, path in workspace.scenario_files(case_id).items():
        description = ""
        try:
            description = load_scenario(path).description
        except Exception as exc:
            description = f"cannot be read: {exc}"
        found.append(
            {
                "name": name,
                "source": "saved" if path.parent == saved else "shipped",
                "description": description.strip(),
            }
        )
    return found


def overrides_of(form: ScenarioForm) -> list[dict[str, Any]]:
    """The editor's rows as override data, in the order a planner reads them: demand, metal
    prices, forced states, options."""
    overrides: list[dict[str, Any]] = []
    for shock in form.demand:
        entry: dict[str, Any] = {
            "kind": "scale_demand",
            "segments": [shock.segment],
            "factor": round(1 + shock.change_pct / 100, 10),
        }
        if shock.periods:
            entry["periods"] = list(shock.periods)
        overrides.append(entry)
    for metal in form.metal:
        entry = {"kind": "metal_prices", "metal": metal.metal, "factor": metal.factor}
        if metal.from_period:
            entry["from_period"] = metal.from_period
        overrides.append(entry)
    for forced in form.force:
        entry = {"kind": "force_state", "plants": [forced.plant], "state": forced.state}
        if forced.periods:
            entry["periods"] = list(forced.periods)
        overrides.append(entry)
    options = form.options.model_dump(exclude_none=True)
    if options:
        overrides.append({"kind": "options", **options})
    return overrides


def scenario_of(form: ScenarioForm) -> Scenario:
    """The scenario model for the editor's fields; its validation errors name the key."""
    from millnet.scenario.spec import dump_yaml, parse_scenario

    data = {"name": form.name, "description": form.description, "overrides": overrides_of(form)}
    # Through YAML text, so the errors read as they would for a file (key and line).
    return parse_scenario(dump_yaml(data), f"scenario {form.name}")


def check(case: Case, scenario: Scenario) -> ScenarioCase:
    """Apply to the case: unknown segments, plants or periods are errors naming the key."""
    return apply(case, scenario, ModelOptions())


def save(workspace: Workspace, case_id: str, form: ScenarioForm) -> dict[str, Any]:
    scenario = scenario_of(form)
    applied = check(workspace.read(case_id), scenario)
    path = workspace.saved_scenario_path(case_id, form.name)
    text = scenario.to_yaml()
    path.write_text(text, encoding="utf-8")
    return {
        "name": form.name,
        "yaml": text,
        "notes": list(applied.notes),
        "fingerprint": applied.case.fingerprint,
        "force_states": [list(t) for t in applied.options.force_states],
    }
