"""Generate ``docs/scenarios.md`` from the override registry and the sweep models (``make
docs``). A test compares the committed file with this output, so the docs cannot go stale."""

from __future__ import annotations

import inspect
import sys
import types
import typing
from pathlib import Path
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from millnet.scenario.overrides import COST_COLUMNS, COST_FILTERS, OVERRIDES
from millnet.scenario.spec import Scenario, dump_yaml
from millnet.scenario.sweep import (
    DISTRIBUTIONS,
    Axis,
    DemandDraw,
    MetalDraw,
    MonteCarlo,
    SolveSettings,
    Sweep,
    Walk,
)

INTRO = """\
# Scenarios and sweeps

<!-- Generated from src/millnet/scenario by `make docs`; edit the models, not this file. -->

A **scenario** is a question about a plan, written as data: "what if aerospace demand falls
40 %?", "what if copper doubles?", "what does keeping Littleton running cost?". It is a YAML file
with a name, a description and an ordered list of **overrides**, each with a `kind`. Applying
a scenario to a case gives a new case (with its own fingerprint; the original is untouched) and
the model options to plan it with; results carry the scenario's name.

```yaml
name: aerospace-minus-40
description: What if aerospace demand is 40 % lower than outlooked in every planned quarter?
overrides:
  - kind: scale_demand
    segments: [aerospace]
    factor: 0.6
```

```bash
millnet scenario check cases/iwg2009/scenarios/aerospace-minus-40.yaml --case cases/iwg2009
millnet scenario show cases/iwg2009/scenarios/keep-littleton-aerospace-minus-40.yaml
millnet solve cases/iwg2009 --scenario cases/iwg2009/scenarios/aerospace-minus-40.yaml
millnet scenario expand cases/iwg2009/sweeps/aerospace-x-copper.yaml
```

From Python:

```python
from millnet.case import read_case
from millnet.scenario import apply, load_scenario

case = read_case("cases/iwg2009")
scenario = load_scenario("cases/iwg2009/scenarios/aerospace-minus-40.yaml")
changed = apply(case, scenario)        # ScenarioCase: .case, .options, .scenario, .lineage
print(scenario.to_yaml())              # reads back to an equal scenario
```

## How scenarios are read and applied

- **Keys**: `name` (required), `description` (the question it answers), `parent` (optional),
  `overrides` (a list; may be empty). Unknown keys are errors, so a misspelt key cannot be
  silently ignored.
- **Order**: overrides apply in the order written; each sees the case as the ones before it
  left it. Two `scale_demand` overrides on the same rows multiply.
- **Parents**: `parent: other.yaml` (a path relative to this file) applies the parent's
  overrides first, then this file's; parents may have parents. A cycle is an error.
- **Periods**: demand overrides, `force_state` and `drop_customers` act on the **planned
  periods** (from `plan_from` on, in `case.toml` or an `options` override) unless they name
  `periods`, or a range with `from_period` / `to_period` (inclusive). History stays what
  happened.
- **Filters**: a row changes when it matches **every** filter given; each filter is a list of
  ids and a row matches it when its id is one of them. An id that is not in the case is an
  error naming close matches, and an override that matches nothing is an error: a typo never
  passes for "no change".
- **Model options**: `options` overrides go over the options the plan is run with (those of
  `millnet solve`'s flags), so the scenario has the last word; `force_state` adds fixed plant
  states.
- **Errors** name the file, the line and the key path, e.g.
  `aerospace.yaml, line 5, key overrides[0].segments[0]: found 'aero'; expected one of
  aerospace, …; did you mean 'aerospace'?`. `millnet scenario check` exits 1 on any.
- **YAML**: booleans are `true` and `false` only (so the country code `NO` stays text) and
  dates stay text. Quote a value when in doubt.
"""

SWEEPS = """\
# Sweeps

A **sweep** is many scenarios from one file: a **grid** (every combination of the values of
named axes) or **Monte Carlo** draws. Every scenario of a sweep is a scenario like any other,
named uniquely within the sweep, and builds on the optional `base` scenario (a path relative
to the sweep file). `millnet scenario expand SWEEP.yaml` lists them; the same file always
expands to the same scenarios.

## Grid

Each axis either puts its `values` into an override `template` where it says `$value`, or
picks one of its named `levels`, each a list of overrides (`[]` for no change). Scenario names
join `axis=value` with commas, in the order of the axes.

```yaml
name: aerospace-x-copper
description: How do aerospace demand and the copper price together change the plan?
base: ../scenarios/forbid-closures.yaml
grid:
  aerospace:
    template: {kind: scale_demand, segments: [aerospace], factor: $value}
    values: [0.6, 0.8, 1.0, 1.2]
  copper:
    template: {kind: metal_prices, metal: copper, factor: $value}
    values: [1.0, 1.5, 2.0]
  littleton:
    levels:
      free: []
      kept: [{kind: force_state, plants: [littleton-nh], state: running}]
```

gives 4 × 3 × 2 = 24 scenarios, `aerospace=0.6,copper=1.0,littleton=free` first.

## Monte Carlo

`draws` scenarios named `draw-001`, `draw-002`, …; `seed` makes them reproducible, and each
draw has its own random stream (seeded by the seed and the draw's number), so draw 7 is the
same whether the sweep has 10 draws or 1,000. A `demand` entry draws one multiplier per draw
for the demand rows it matches (the filters of `scale_demand`); a `metals` entry draws either
one multiplier applied from a period on (`distribution`) or a random walk over listed periods
(`walk`). Drawn multipliers are rounded to 4 decimals.

```yaml
name: demand-and-copper-risk
description: How robust is idling two plants to demand and copper uncertainty?
monte_carlo:
  draws: 20
  seed: 2009
  demand:
    - segments: [aerospace, electronics_datacom]
      distribution: {type: triangular, low: 0.7, mode: 0.9, high: 1.1}
    - segments: [automotive, appliance]
      distribution: {type: lognormal, median: 1.0, sigma: 0.15}
  metals:
    - metal: copper
      walk: {drift: 0.03, volatility: 0.15}
      periods: [2009Q1, 2009Q2, 2009Q3, 2009Q4, 2010Q1, 2010Q2, 2010Q3, 2010Q4]
```
"""


def _words(annotation: Any) -> str:
    """A type in a planner's words."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        inner = _words(args[0])
        bounds = _bounds(args[1:])
        return f"{inner} {bounds}".strip()
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if set(members) <= set(DISTRIBUTIONS.values()):
            return "distribution (below)"
        if set(members) <= set(OVERRIDES.values()):
            return "override (a mapping with `kind`)"
        return " or ".join(_words(a) for a in members)
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is tuple or origin is list:
        item = args[0]
        if typing.get_origin(item) is typing.Literal:
            return "list of " + ", ".join(f"`{a}`" for a in typing.get_args(item))
        return f"list of {_words(item)}"
    if origin is dict:
        return f"mapping {_words(args[0])} → {_words(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _SECTIONS.get(annotation, "mapping")
    return {float: "number", int: "whole number", str: "text", bool: "true or false"}.get(
        annotation, "any value" if annotation is Any else str(annotation)
    )


#: Nested models, by the section that documents them.
_SECTIONS: dict[type[BaseModel], str] = {
    Axis: "axis (below)",
    MonteCarlo: "mapping (`monte_carlo`, below)",
    DemandDraw: "demand entry (below)",
    MetalDraw: "metal entry (below)",
    Walk: "walk (below)",
    SolveSettings: "mapping (`solve`, below)",
}
#: Keys whose type says more in words than in annotations.
_KEY_WORDS: dict[tuple[type[BaseModel], str], str] = {
    (Axis, "template"): "override with `$value`",
    (Axis, "values"): "list of values",
    (Axis, "levels"): "mapping label → list of overrides",
    (Sweep, "grid"): "mapping axis name → axis (below)",
}


def _bounds(metadata: tuple[Any, ...] | list[Any]) -> str:
    parts = []
    for item in metadata:
        if isinstance(item, FieldInfo):
            parts.append(_bounds(item.metadata))
        elif isinstance(item, annotated_types.Ge):
            parts.append(f"≥ {item.ge}")
        elif isinstance(item, annotated_types.Gt):
            parts.append(f"> {item.gt}")
        elif isinstance(item, annotated_types.Le):
            parts.append(f"≤ {item.le}")
        elif isinstance(item, annotated_types.MinLen):
            parts.append("(not empty)" if item.min_length == 1 else f"(at least {item.min_length})")
    return " and ".join(p for p in parts if p)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def fields_table(model: type[BaseModel], skip: tuple[str, ...] = ()) -> str:
    lines = ["| key | type | required | default | description |", "|---|---|---|---|---|"]
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        kind = _KEY_WORDS.get((model, name)) or _words(info.annotation)
        bounds = _bounds(info.metadata)
        if bounds:
            kind = f"{kind} {bounds}"
        required = "yes" if info.is_required() else "no"
        default = (
            "" if info.is_required() or info.default in (None, (), "") else f"`{info.default}`"
        )
        lines.append(
            f"| `{name}` | {_cell(kind)} | {required} | {_cell(default)} "
            f"| {_cell(info.description or '')} |"
        )
    return "\n".join(lines)


def override_markdown(kind: str) -> str:
    model = OVERRIDES[kind]
    doc = inspect.cleandoc(model.__doc__ or "")
    parts = [f"## `{kind}`", "", doc, "", fields_table(model, skip=("kind",)), ""]
    if kind == "costs":
        parts += [_cost_columns(), ""]
    parts += ["Example:", "", "```yaml", dump_yaml({"overrides": [model.example]}).rstrip(), "```"]
    return "\n".join(parts) + "\n"


def _cost_columns() -> str:
    lines = ["| column | table | filters |", "|---|---|---|"]
    for column, table in COST_COLUMNS.items():
        usable = ", ".join(f"`{k}`" for k, tables in COST_FILTERS.items() if table in tables)
        lines.append(f"| `{column}` | `{table}` | {usable or '—'} |")
    return "\n".join(lines)


def _model_section(title: str, model: type[BaseModel], skip: tuple[str, ...] = ()) -> str:
    doc = inspect.cleandoc(model.__doc__ or "")
    return "\n".join([f"### {title}", "", doc, "", fields_table(model, skip), ""])


def render() -> str:
    parts = [INTRO, "## Scenario file", "", fields_table(Scenario), ""]
    parts.append("# Overrides\n")
    parts.append(
        "Every kind, with its keys. Amounts are in the case's units: quantities in the case "
        "mass unit, costs in each row's currency, metal prices in the unit of the case's "
        "`metal_prices` rows.\n"
    )
    parts += [override_markdown(kind) for kind in OVERRIDES]
    parts.append(SWEEPS)
    parts.append("## Reference\n")
    parts.append(_model_section("Sweep file", Sweep))
    parts.append(_model_section("Grid axis", Axis))
    parts.append(_model_section("`monte_carlo`", MonteCarlo))
    parts.append(_model_section("`demand` entries", DemandDraw))
    parts.append(_model_section("`metals` entries", MetalDraw))
    parts.append(_model_section("`walk`", Walk))
    parts.append(_model_section("`solve`", SolveSettings))
    parts.append("### Distributions\n")
    for name, model in DISTRIBUTIONS.items():
        parts.append(f"`type: {name}` — {inspect.cleandoc(model.__doc__ or '')}\n")
        parts.append(fields_table(model, skip=("type",)) + "\n")
    return "\n".join(parts).rstrip() + "\n"


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else Path("docs/scenarios.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
