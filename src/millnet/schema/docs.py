"""Generate ``docs/case-format.md`` from the table declarations (``make docs``).

A test compares the committed file with this output, so the docs cannot go stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from millnet.schema.core import Column, Table
from millnet.schema.meta import CaseMeta
from millnet.schema.tables import TABLES

INTRO = """\
# The millnet case format

<!-- Generated from src/millnet/schema by `make docs`; edit the declarations, not this file. -->

A case is one of:

- a **folder of CSV files**, one per table (`plants.csv`, `demand.csv`, …), plus `case.toml`;
- a **folder of Parquet files**, one per table (`plants.parquet`, …), plus `case.toml`;
- an **Excel workbook** (`.xlsx`) with one sheet per table, named as the table, and a sheet
  named `case` holding the settings as `key` / `value` rows.

The same case loads identically from all three, and `millnet convert` moves between them without
losing anything (the case fingerprint stays the same). `millnet template NEW.xlsx` writes an
empty workbook with every table and column described.

Conventions:

- The first row of every file or sheet holds the column names, exactly as below. Columns may
  come in any order; extra columns are kept (as text) and ignored by the model.
- CSV files are comma-delimited UTF-8 (a byte-order mark is fine). Other encodings and
  semicolon- or tab-delimited files are read with a warning that says so.
- Numbers use a decimal point and no thousands separators; `NaN` and `inf` are not numbers.
  Dates are written `YYYY-MM-DD`. Booleans are `true`/`false` (also `yes`/`no`, `1`/`0`).
- Spaces around a value are ignored; a blank cell is a missing value.
- Countries are ISO 3166 alpha-2 codes (`US`, `BE`, `FR`, `IT`), currencies ISO 4217 codes.
- Issues name the file (or `book.xlsx[sheet]`), the row as a spreadsheet shows it (the header
  is row 1, the first data row is row 2) and the column.
- Units refer to the case's settings: *currency* is the row's currency (or the case currency),
  *mass* the case mass unit, *distance* the case distance unit.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _required(column: Column) -> str:
    if column.required and not column.nullable:
        return "yes"
    if column.required:
        return "column yes, cells may be blank"
    return "no"


def table_markdown(table: Table) -> str:
    lines = [f"## `{table.name}`", "", table.description, ""]
    facts = [f"- Required table: {'yes' if table.required else 'no (absent = empty)'}."]
    if table.primary_key:
        facts.append(f"- Key (unique): {', '.join(f'`{c}`' for c in table.primary_key)}.")
    for fk in table.foreign_keys:
        cols = ", ".join(f"`{c}`" for c in fk.columns)
        refs = ", ".join(f"`{c}`" for c in fk.ref_columns)
        facts.append(f"- {cols} refers to {refs} of `{fk.table}`.")
    lines += [*facts, ""]
    lines.append("| column | type | unit | required | default | allowed values | description |")
    lines.append("|---|---|---|---|---|---|---|")
    for c in table.columns:
        default = "" if c.default is None else f"`{c.default}`"
        lines.append(
            f"| `{c.name}` | {c.dtype} | {_cell(c.unit)} | {_required(c)} | {default} "
            f"| {_cell(c.expectation())} | {_cell(c.description)} |"
        )
    return "\n".join(lines) + "\n"


def settings_markdown() -> str:
    lines = ["## `case.toml` (settings)", ""]
    lines.append("| key | required | description |")
    lines.append("|---|---|---|")
    for name, field in CaseMeta.model_fields.items():
        required = "yes" if field.is_required() else "no"
        lines.append(f"| `{name}` | {required} | {_cell(field.description or '')} |")
    example = CaseMeta(
        name="iwg2009",
        description="Copper-wire network, 2008-2010",
        currency="USD",
        mass_unit="lb",
        distance_unit="mi",
        plan_from="2009Q1",
    ).to_toml()
    lines += ["", "Example:", "", "```toml", example.rstrip(), "```", ""]
    return "\n".join(lines)


def render() -> str:
    parts = [INTRO, settings_markdown()]
    parts += [table_markdown(t) for t in TABLES.values()]
    return "\n".join(parts)


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else Path("docs/case-format.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
