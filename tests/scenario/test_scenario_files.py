"""Scenario files: parents, cycles, YAML round trips and equality by content."""

from __future__ import annotations

from pathlib import Path

import pytest

from millnet.case import load_example
from millnet.scenario import (
    OVERRIDES,
    Scenario,
    ScenarioError,
    apply,
    load_scenario,
    parse_scenario,
)


@pytest.fixture(scope="module")
def mini():
    return load_example("mini")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_parent_overrides_apply_first(tmp_path, mini):
    write(tmp_path, "base.yaml", "name: base\noverrides:\n  - {kind: scale_demand, factor: 2}\n")
    write(
        tmp_path,
        "mid/mid.yaml",
        "name: mid\nparent: ../base.yaml\noverrides:\n"
        "  - {kind: set_demand, customers: [eurocab], quantity: 10}\n",
    )
    child = write(
        tmp_path,
        "child.yaml",
        "name: child\nparent: mid/mid.yaml\noverrides:\n"
        "  - {kind: scale_demand, customers: [eurocab, acme-cable], factor: 3}\n",
    )
    scenario = load_scenario(child)
    assert scenario.lineage == ("base", "mid", "child")
    assert [o.kind for o, _ in scenario.steps()] == ["scale_demand", "set_demand", "scale_demand"]
    result = apply(mini, scenario)
    q = {
        (r["customer_id"], r["period_id"]): r["quantity"]
        for r in result.case["demand"].iter_rows(named=True)
    }
    # base doubles everything, mid sets eurocab to 10, child triples eurocab and acme-cable
    assert q[("eurocab", "2009Q1")] == 30.0
    assert q[("acme-cable", "2009Q1")] == 900000.0 * 2 * 3
    assert q[("datalink", "2009Q2")] == 840000.0
    assert result.scenario == "child"
    assert result.lineage == ("base", "mid", "child")


def test_errors_in_a_parent_name_the_parents_file(tmp_path, mini):
    write(
        tmp_path,
        "base.yaml",
        "name: base\noverrides:\n  - {kind: scale_demand, customers: [acme], factor: 2}\n",
    )
    child = write(tmp_path, "child.yaml", "name: child\nparent: base.yaml\n")
    with pytest.raises(ScenarioError) as info:
        apply(mini, load_scenario(child))
    (problem,) = info.value.problems
    assert problem.file == str(tmp_path / "base.yaml")
    assert (problem.line, problem.key) == (3, "overrides[0].customers[0]")


def test_parent_cycle_is_an_error_naming_the_chain(tmp_path):
    write(tmp_path, "a.yaml", "name: a\nparent: b.yaml\n")
    write(tmp_path, "b.yaml", "name: b\ndescription: loops back\nparent: a.yaml\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "a.yaml")
    (problem,) = info.value.problems
    assert problem.file.endswith("b.yaml")
    assert (problem.line, problem.key) == (3, "parent")
    assert problem.message == "parents form a cycle: a.yaml → b.yaml → a.yaml"


def test_a_scenario_that_is_its_own_parent(tmp_path):
    path = write(tmp_path, "self.yaml", "name: self\nparent: self.yaml\n")
    with pytest.raises(ScenarioError, match=r"cycle: self.yaml → self.yaml"):
        load_scenario(path)


def test_missing_parent_names_the_line_of_parent(tmp_path):
    path = write(tmp_path, "child.yaml", "name: child\n\nparent: gone.yaml\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.key) == (3, "parent")
    assert problem.message.startswith("no such scenario file: ")


def test_every_kind_round_trips_through_yaml():
    scenario = Scenario.model_validate(
        {
            "name": "all kinds",
            "description": "Every override kind once.\nSecond line.",
            "overrides": [model.example for model in OVERRIDES.values()],
        }
    )
    text = scenario.to_yaml()
    again = parse_scenario(text)
    assert again == scenario
    assert again.to_yaml() == text
    assert hash(again) == hash(scenario)
    assert "description: |-\n  Every override kind once.\n  Second line.\n" in text


def test_to_yaml_writes_what_a_person_would(tmp_path):
    scenario = parse_scenario(
        "name: t\nparent: base.yaml\noverrides:\n"
        "  - kind: scale_demand\n    segments: [aerospace, medical]\n    factor: 0.6\n"
        "  - {kind: options, max_idle: null}\n"
    )
    assert scenario.to_yaml() == (
        "name: t\n"
        "parent: base.yaml\n"
        "overrides:\n"
        "- kind: scale_demand\n"
        "  segments: [aerospace, medical]\n"
        "  factor: 0.6\n"
        "- kind: options\n"
        "  max_idle: null\n"
    )


def test_options_keep_an_explicit_null_and_omit_what_was_not_given(mini):
    scenario = parse_scenario("name: t\noverrides:\n  - {kind: options, max_idle: null}\n")
    assert scenario.overrides[0].to_data() == {"kind": "options", "max_idle": None}
    from millnet.model.options import ModelOptions

    result = apply(mini, scenario, ModelOptions(max_idle=2, forbid_closures=True))
    assert result.options.max_idle is None
    assert result.options.forbid_closures is True


def test_scenarios_compare_by_content_not_by_file(tmp_path):
    text = "name: same\noverrides:\n  - {kind: scale_demand, factor: 2}\n"
    from_file = load_scenario(write(tmp_path, "same.yaml", text))
    assert from_file == parse_scenario(text)
    assert from_file != parse_scenario(text.replace("factor: 2", "factor: 3"))


def test_with_parent_builds_on_a_scenario_in_memory(mini):
    base = parse_scenario("name: base\noverrides:\n  - {kind: options, forbid_closures: true}\n")
    child = parse_scenario("name: child\noverrides:\n  - {kind: scale_demand, factor: 0.5}\n")
    combined = child.with_parent(base, "base.yaml")
    assert combined.parent == "base.yaml"
    assert combined.lineage == ("base", "child")
    result = apply(mini, combined)
    assert result.options.forbid_closures is True
    assert result.case["demand"]["quantity"].sum() == pytest.approx(3_600_000 / 2)


def test_scenario_is_frozen():
    scenario = parse_scenario("name: t\n")
    with pytest.raises(ValueError, match="frozen"):
        scenario.name = "u"  # type: ignore[misc]


def test_apply_reads_a_path(tmp_path, mini):
    path = write(tmp_path, "s.yaml", "name: s\noverrides:\n  - {kind: scale_demand, factor: 0}\n")
    assert apply(mini, path).case["demand"]["quantity"].sum() == 0
    assert apply(mini, str(path)).scenario == "s"


def test_scenarios_pickle_with_their_parents_and_lines():
    # sweeps run scenarios in other processes: a scenario must travel whole
    import pickle

    root = Path(__file__).resolve().parents[2] / "cases" / "iwg2009" / "scenarios"
    scenario = load_scenario(root / "keep-littleton-aerospace-minus-40.yaml")
    again = pickle.loads(pickle.dumps(scenario))
    assert again == scenario
    assert again.lineage == ("aerospace-minus-40", "keep-littleton-aerospace-minus-40")
    assert again.source.line(("overrides", 0, "plants")) == 8
