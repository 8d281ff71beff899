"""The vocabulary of table declarations: :class:`Column`, :class:`ForeignKey`, :class:`Table`.

A table is declared once, as data. Reading (dtypes, required cells), validation (ranges, choices,
codes, keys), ``docs/case-format.md`` and the Excel template are all generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import polars as pl

DType = Literal["str", "float", "int", "bool", "date"]
#: Special formats a text column can have, each checked by validation.
Kind = Literal["country", "currency", "metal_unit"]

POLARS_DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "float": pl.Float64(),
    "int": pl.Int64(),
    "bool": pl.Boolean(),
    "date": pl.Date(),
}

DTYPE_WORDS: dict[str, str] = {
    "str": "text",
    "float": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "date": "a date (YYYY-MM-DD)",
}


@dataclass(frozen=True)
class Column:
    """One column of a case table.

    ``required`` columns must be present in the file and every cell filled, unless ``nullable``
    (then the column must be present but cells may be blank). Optional columns may be absent;
    absent or blank cells take ``default`` (or stay blank when there is none).
    """

    name: str
    dtype: DType
    description: str
    unit: str = ""
    required: bool = True
    nullable: bool = False
    default: object = None
    min: float | None = None
    max: float | None = None
    #: True when ``min`` itself is not allowed (e.g. yield must be > 0).
    min_exclusive: bool = False
    choices: tuple[str, ...] | None = None
    kind: Kind | None = None

    @property
    def polars_dtype(self) -> pl.DataType:
        return POLARS_DTYPES[self.dtype]

    @property
    def may_be_blank(self) -> bool:
        return self.nullable or not self.required

    def expectation(self) -> str:
        """What a valid cell looks like, in words (used in messages and docs)."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        words = DTYPE_WORDS[self.dtype]
        if self.kind == "country":
            words = "an ISO 3166 alpha-2 country code (e.g. US, BE, FR, IT)"
        elif self.kind == "currency":
            words = "an ISO 4217 currency code (e.g. USD, EUR)"
        elif self.kind == "metal_unit":
            words = "a price unit CURRENCY/MASS (e.g. USD/lb, USD/ozt, USD/t, EUR/kg)"
        bounds = []
        if self.min is not None:
            bounds.append(f"{'>' if self.min_exclusive else '≥'} {_num(self.min)}")
        if self.max is not None:
            bounds.append(f"≤ {_num(self.max)}")
        if bounds:
            words += " " + " and ".join(bounds)
        return words


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


@dataclass(frozen=True)
class ForeignKey:
    """``columns`` of this table must name an existing row of ``table`` (by ``ref_columns``).

    Blank cells are not checked (a nullable reference means "any").
    """

    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A case table: one CSV/Parquet file or one workbook sheet, named ``name``."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    #: A case must have this table (an absent optional table is an empty one).
    required: bool = True
    #: Least number of data rows a valid case has in this table.
    min_rows: int = 0
    _by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {c.name: c for c in self.columns})

    def column(self, name: str) -> Column:
        return self._by_name[name]

    def has_column(self, name: str) -> bool:
        return name in self._by_name

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def empty_frame(self) -> pl.DataFrame:
        """A frame with every declared column and no rows."""
        return pl.DataFrame(schema={c.name: c.polars_dtype for c in self.columns})
