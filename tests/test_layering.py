"""Imports only go downhill: schema → case → validate → … → cli."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "millnet"

#: Each layer may import only from the layers listed for it (and the shared base modules).
BASE = {"errors", "issues"}
ALLOWED = {
    "schema": set(),
    "wire": set(),
    "case": {"schema"},
    "validate": {"schema", "case", "wire"},
    "generate": {"schema", "case", "wire"},
    "importers": {"schema", "case"},
    "model": {"schema", "case", "validate", "wire"},
    "solve": {"model"},
    "results": {"model", "solve"},
    "scenario": {"schema", "case", "validate", "wire", "model"},
    "analysis": {"schema", "case", "validate", "model", "solve", "results", "scenario", "plan"},
    "store": {"model", "solve", "results", "scenario"},
    "distributed": {
        "schema",
        "case",
        "validate",
        "model",
        "solve",
        "results",
        "scenario",
        "plan",
        "analysis",
        "store",
    },
    "report": {"results"},
    "web": {
        "schema",
        "case",
        "validate",
        "wire",
        "generate",
        "importers",
        "model",
        "results",
        "scenario",
        "plan",
        "analysis",
        "store",
        "distributed",
        "report",
        "explain_infeasible",
    },
}


def imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    layers = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "millnet" and len(parts) > 1:
                layers.add(parts[1])
    return layers


def test_imports_go_downhill():
    offences = []
    for layer, allowed in ALLOWED.items():
        folder = SRC / layer
        if not folder.exists():
            continue
        for path in folder.rglob("*.py"):
            bad = imported_layers(path) - allowed - BASE - {layer}
            if bad:
                offences.append(f"{path.relative_to(SRC)} imports {sorted(bad)}")
    assert offences == []
