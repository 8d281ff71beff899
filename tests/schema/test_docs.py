from pathlib import Path

from millnet.schema import TABLES
from millnet.schema.docs import render

DOCS = Path(__file__).resolve().parents[2] / "docs" / "case-format.md"


def test_case_format_docs_are_generated_from_the_declarations():
    assert DOCS.read_text(encoding="utf-8") == render(), (
        "docs/case-format.md is stale: run `make docs`"
    )


def test_every_table_and_column_is_documented():
    text = render()
    for name, table in TABLES.items():
        assert f"## `{name}`" in text
        for column in table.columns:
            assert f"| `{column.name}` |" in text


def test_keys_and_references_name_declared_columns():
    for table in TABLES.values():
        for column in table.primary_key:
            assert table.has_column(column), (table.name, column)
        for fk in table.foreign_keys:
            assert all(table.has_column(c) for c in fk.columns)
            target = TABLES[fk.table]
            assert all(target.has_column(c) for c in fk.ref_columns)
