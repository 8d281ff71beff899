"""Golden LP files: the exact rows of every constraint family, and the objective, on tiny cases.

``golden/<Family>.lp`` holds the rows of one family (a constraint name of the model, e.g.
``Plant-restart``; ``Objective`` for the objective) as linopy's LP writer puts them, with
explicit names (``running(p,t)`` is plant p in period t), for the tiny cases listed for the
family in :data:`FAMILIES`; each case's rows follow a ``\\ case …`` comment line. Two things are
normalised: variable and row labels (``#12``) are dropped, as they number everything built
before and so change with any unrelated family; numbers are written to 12 significant digits,
as their last bits depend on the order in which costs are added up.

A change to the formulation shows up here as a diff of readable rows. After an intended change,
rewrite the files and review their diff::

    MILLNET_UPDATE_GOLDEN=1 .venv/bin/pytest tests/formulation/test_golden.py

A new family needs a golden file: :func:`test_every_family_has_a_golden_file` collects the
family names from the models of the cases below and from the ``define_*`` functions of
``millnet/model/build.py`` (the names they give their rows; for a function without literal
names, the name its docstring starts with) and fails for any family without a file. Give the
family a case in :data:`FAMILIES` and rewrite the files.
"""

from __future__ import annotations

import ast
import inspect
import os
import re
from functools import cache
from pathlib import Path

import pytest
from tiny_cases import demand, plant, tiny_case

import millnet.model.build as build_module
from millnet.model.build import build
from millnet.model.data import prepare
from millnet.model.options import ModelOptions

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("MILLNET_UPDATE_GOLDEN") == "1"
#: A family name as build.py writes it: ``Lane-link``, ``Plant-restart-lead``.
FAMILY_NAME = re.compile(r"^[A-Z][a-z]+(?:-[a-z]+)+$")
#: Row names that are not families: rows fixing single decisions, if any ever are added.
ONE_OFF = re.compile(r"^(Force|Fix)")
OBJECTIVE = "Objective"
LABEL = re.compile(r"#\d+")
TERM = re.compile(r"^([+-])(\S+) (\S+)$")
RHS = re.compile(r"^(<=|>=|=) (\S+)$")


def lifecycle():
    """Two plants over two periods with every lifecycle cost, a minimum idle time, a restart
    lead and a minimum output."""
    return tiny_case(
        [
            plant("A", fixed_cost_running=1000, fixed_cost_idle=100, cost_to_idle=50,
                  cost_to_restart=300, cost_to_close=2000, min_idle_periods=2,
                  min_output=10, capacity=500, variable=2),
            plant("B", initial_state="idle", fixed_cost_running=1500, fixed_cost_idle=200,
                  cost_to_idle=80, cost_to_restart=400, cost_to_close=2500,
                  restart_lead_periods=1, capacity=300, variable=1),
        ],
        [demand("C1", "P1", 100), demand("C1", "P2", 120)],
        periods=2,
        freight={("A", "C1"): 3.0, ("B", "C1"): 4.0},
    )  # fmt: skip


def qualification():
    """W only at A (qualified) and B (qualifiable at 500, lead 1), over two periods."""
    return tiny_case(
        [plant("A"), plant("B")],
        [demand("C1", "P1", 100), demand("C1", "P2", 100)],
        periods=2,
        qualifications=[
            {"plant_id": "A", "product_id": "W", "status": "qualified"},
            {
                "plant_id": "B",
                "product_id": "W",
                "status": "qualifiable",
                "requalification_cost": 500.0,
                "requalification_lead_periods": 1,
            },
        ],
    )


def sourcing():
    """Two plants; C1 orders in P1 and P2, C2 in P2 only."""
    return tiny_case(
        [plant("A", capacity=60, variable=1), plant("B", capacity=200, variable=2)],
        [demand("C1", "P1", 50), demand("C1", "P2", 100), demand("C2", "P2", 30)],
        periods=2,
    )


def moving():
    """As sourcing; today B serves C1 (a move costs 30) and A serves C2 (the option's 10)."""
    return tiny_case(
        [plant("A", capacity=60, variable=1), plant("B", capacity=200, variable=2)],
        [demand("C1", "P1", 50), demand("C1", "P2", 100), demand("C2", "P2", 30)],
        periods=2,
        sourcing=[("C1", "B", 30.0), ("C2", "A", None)],
    )


def economics():
    """A (US, USD) and E (BE, EUR at 1.2 then 1.5 USD), Z closed at the start; duty BE to US 5 %;
    W holds 0.5 lb copper (3 USD/lb, premium 0.1); C1 pays a fixed price, C2 metal plus 2."""
    return tiny_case(
        [
            plant("A", fixed_cost_running=1000, fixed_cost_idle=100, variable=2),
            plant("E", country="BE", currency="EUR", fixed_cost_running=800,
                  fixed_cost_idle=90, cost_to_close=700, variable=1),
            plant("Z", initial_state="closed", fixed_cost_running=500, cost_to_close=400),
        ],
        [
            demand("C1", "P1", 100, price=10),
            demand("C1", "P2", 100, price=12),
            demand("C2", "P2", 40, price_basis="metal_plus_adder", price=None,
                   conversion_adder=2.0),
        ],
        periods=2,
        freight={("A", "C1"): 3.0, ("E", "C1"): 6.0, ("A", "C2"): 1.0, ("E", "C2"): 5.0},
        duties=[("BE", "US", 0.05)],
        fx=[("P1", "EUR", 1.2), ("P2", "EUR", 1.5)],
        product={"copper_per_unit": 0.5},
        copper_price=3.0,
        copper_premium=0.1,
    )  # fmt: skip


#: Tiny cases by name: (case, model options).
CASES = {
    "lifecycle": (lifecycle, ModelOptions(max_idle=1, max_closed=1)),
    "qualification": (qualification, ModelOptions()),
    "sourcing, single_source=period": (sourcing, ModelOptions(single_source="period")),
    "sourcing, single_source=horizon": (sourcing, ModelOptions(single_source="horizon")),
    "moving, single_source=period": (
        moving,
        ModelOptions(single_source="period", move_cost=10),
    ),
    "economics": (economics, ModelOptions()),
    "economics, objective=margin": (economics, ModelOptions(objective="margin")),
}

#: The cases whose rows make each family's golden file.
FAMILIES = {
    "Plant-state-one": ("lifecycle",),
    "Plant-restart": ("lifecycle",),
    "Plant-idle": ("lifecycle",),
    "Plant-closed-final": ("lifecycle",),
    "Plant-min-idle": ("lifecycle",),
    "Plant-restart-lead": ("lifecycle",),
    "Plant-restart-exact": ("lifecycle",),
    "Plant-count-idle": ("lifecycle",),
    "Plant-count-closed": ("lifecycle",),
    "Demand-balance": ("lifecycle",),
    "Lane-link": ("lifecycle",),
    "Resource-capacity": ("lifecycle",),
    "Plant-min-output": ("lifecycle",),
    "Qualification-once": ("qualification",),
    "Qualification-lane": ("qualification",),
    "Single-source-lane": ("sourcing, single_source=period", "sourcing, single_source=horizon"),
    "Single-source-one": ("sourcing, single_source=period", "sourcing, single_source=horizon"),
    "Move-off": ("moving, single_source=period",),
    OBJECTIVE: (
        "lifecycle",
        "qualification",
        "moving, single_source=period",
        "economics",
        "economics, objective=margin",
    ),
}


@cache
def built(case_name: str):
    factory, options = CASES[case_name]
    return build(prepare(factory(), options))


@cache
def lp_text(case_name: str, directory: Path) -> str:
    path = directory / f"{re.sub(r'[^a-z]+', '-', case_name)}.lp"
    built(case_name).model.to_file(path, io_api="lp", explicit_coordinate_names=True)
    return path.read_text(encoding="utf-8")


def lp_name(family: str) -> str:
    """The family's row name in an LP file (linopy writes ``-`` as ``_``)."""
    return family.replace("-", "_")


def number(text: str) -> str:
    """A coefficient or right-hand side to 12 significant digits (``8.2275``, not
    ``8.227500000000001``: the last bits depend on the order of additions), zero unsigned."""
    value = float(text)
    return format(value if value != 0 else 0.0, ".12g")


def normalise(line: str) -> str:
    """An LP line without labels, its numbers as :func:`number` writes them."""
    line = LABEL.sub("", line).rstrip()
    if term := TERM.match(line):
        sign, value, rest = term.groups()
        return f"{sign}{number(value)} {rest}"
    if rhs := RHS.match(line):
        return f"{rhs.group(1)} {number(rhs.group(2))}"
    return line


def family_rows(text: str, family: str) -> list[str]:
    """The lines of the family's rows (or the objective's sense and terms), normalised."""
    lines = [normalise(line) for line in text.splitlines()]
    start = lines.index("s.t.")
    if family == OBJECTIVE:
        return [line for line in lines[:start] if line]
    keep, out = False, []
    header = re.compile(rf"^{re.escape(lp_name(family))}(\(.*\))?:$")
    for line in lines[start + 1 :]:
        if line.endswith(":") and not line.startswith(("+", "-")):
            keep = bool(header.match(line))
        elif not line or line in ("bounds", "binary", "general", "end"):
            keep = False
        if keep:
            out.append(line)
    return out


def golden_text(family: str, directory: Path) -> str:
    out = [
        f"\\ Rows of {family}, written by tests/formulation/test_golden.py",
        "\\ (MILLNET_UPDATE_GOLDEN=1 rewrites this file)",
    ]
    for case_name in FAMILIES[family]:
        factory, _ = CASES[case_name]
        data = built(case_name).data
        plants = ", ".join(f"{p} ({i})" for i, p in enumerate(data.plants))
        periods = ", ".join(f"{p} ({i})" for i, p in enumerate(data.periods))
        rows = family_rows(lp_text(case_name, directory), family)
        assert rows, f"case '{case_name}' has no rows of {family}"
        out += [
            f"\\ case {case_name}: {inspect.getdoc(factory)}".replace("\n", " "),
            f"\\   plants {plants}; periods {periods}",
            *rows,
        ]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_rows_match_golden_file(family, tmp_path_factory):
    text = golden_text(family, tmp_path_factory.getbasetemp())
    path = GOLDEN / f"{family}.lp"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}; run with MILLNET_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def build_py_families() -> dict[str, set[str]]:
    """``define_*`` function → the family names it declares: the name literals in its body
    (``"Plant-restart"``), or, for a function that adds rows or the objective under no literal
    name, the name its docstring starts with (``Objective: …``)."""
    tree = ast.parse(Path(inspect.getfile(build_module)).read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for node in tree.body:
        if not (isinstance(node, ast.FunctionDef) and node.name.startswith("define_")):
            continue
        doc = ast.get_docstring(node) or ""
        body = node.body[1:] if doc else node.body
        names, adds = set(), False
        for child in (n for stmt in body for n in ast.walk(stmt)):
            if isinstance(child, ast.Constant) and FAMILY_NAME.match(str(child.value)):
                names.add(child.value)
            if isinstance(child, ast.Attribute) and child.attr in (
                "add_constraints",
                "add_objective",
            ):
                adds = True
        if adds and not names:
            headline = doc.split(":", 1)[0].strip()
            assert headline, f"{node.name} adds rows but names no family"
            names.add(headline)
        found[node.name] = names
    return found


def test_every_family_has_a_golden_file():
    in_models = {
        name
        for case_name in CASES
        for name in built(case_name).model.constraints
        if not ONE_OFF.match(name)
    }
    declared = build_py_families()
    assert declared["define_objective"] == {OBJECTIVE}
    families = in_models | set().union(*declared.values())
    assert families >= set(FAMILIES) - {OBJECTIVE}, "a family in FAMILIES is no longer built"
    files = {path.stem for path in GOLDEN.glob("*.lp")}
    assert sorted(families - files) == [], "families without a golden file"
    assert sorted(families - set(FAMILIES)) == [], "families without a case in FAMILIES"
    assert sorted(files - families) == [], "golden files of no family (delete them)"
    assert len({lp_name(f) for f in families}) == len(families)
