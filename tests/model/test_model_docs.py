from pathlib import Path

from millnet.model.docs import render

DOCS = Path(__file__).resolve().parents[2] / "docs" / "model.md"


def test_model_docs_are_generated_from_the_docstrings():
    assert DOCS.read_text(encoding="utf-8") == render(), "docs/model.md is stale: run `make docs`"


def test_every_family_has_its_math_documented():
    text = render()
    for family in (
        "Plant-state",
        "Plant-restart-lead",
        "Resource-capacity",
        "Lane-link",
        "Demand-balance",
        "Qualification",
        "Single-sourcing",
        "Objective",
    ):
        assert family in text
