"""docs/scenarios.md is generated from the override registry, and its examples work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from millnet.case import load_example
from millnet.scenario import OVERRIDES, apply, parse_scenario
from millnet.scenario.docs import render
from millnet.scenario.sweep import expand, parse_sweep
from millnet.validate import validate

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "scenarios.md"


def test_scenario_docs_are_generated_from_the_registry():
    assert DOCS.read_text(encoding="utf-8") == render(), (
        "docs/scenarios.md is stale: run `make docs`"
    )


def test_every_kind_and_key_is_documented():
    text = render()
    for kind, model in OVERRIDES.items():
        assert f"## `{kind}`" in text
        for name in model.model_fields:
            if name != "kind":
                assert f"| `{name}` |" in text, (kind, name)


@pytest.mark.parametrize("kind", list(OVERRIDES))
def test_every_example_applies_to_mini_and_keeps_it_valid(kind):
    model = OVERRIDES[kind]
    assert model.example["kind"] == kind
    scenario = parse_scenario(f"name: example\noverrides:\n  - {model.example}\n")
    result = apply(load_example("mini"), scenario)
    assert validate(result.case).ok


def test_yaml_examples_in_the_docs_read():
    blocks = re.findall(r"```yaml\n(.*?)```", render(), flags=re.DOTALL)
    documents = [b for b in blocks if b.startswith("name:")]
    assert len(documents) >= 3
    sweeps = ROOT / "cases" / "iwg2009" / "sweeps"
    for block in documents:
        if "grid:" in block or "monte_carlo:" in block:
            assert expand(parse_sweep(block, "docs/scenarios.md", sweeps))
        else:
            parse_scenario(block, "docs/scenarios.md")


def test_every_key_has_a_description_for_forms():
    # the web editor builds its forms from these schemas
    for kind, model in OVERRIDES.items():
        properties = model.model_json_schema()["properties"]
        assert properties["kind"]["const"] == kind
        for name, schema in properties.items():
            if name != "kind":
                assert schema.get("description"), (kind, name)
