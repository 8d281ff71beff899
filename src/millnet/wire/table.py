"""Metal content of a whole products table in one vectorised pass.

Rows are named as in a spreadsheet: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

from millnet.errors import MillnetError
from millnet.wire.coating import coating_kind, parse_coating
from millnet.wire.content import METAL_NAMES, conductor_content
from millnet.wire.geometry import lay_factor, parse_gauge

#: Input columns: ``gauge`` is required, the others may be absent (then all null).
INPUT_COLUMNS = ("gauge", "strands", "strand_gauge", "coating", "coating_class", "lay_factor")
#: Columns added (or replaced) by :func:`products_metal_content`, in order.
OUTPUT_COLUMNS = (
    "lay_factor",
    "area_cmil",
    "coating_weight_pct",
    "coating_thickness_uin",
    *(f"{metal}_lb_per_kft" for metal in METAL_NAMES),
    "total_lb_per_kft",
    *(f"{metal}_lb_per_lb" for metal in METAL_NAMES),
    "resistance_ohm_per_kft_20c",
)


def _row_error(index: int, first_row: int, column: str, exc: MillnetError) -> MillnetError:
    return MillnetError(f"row {index + first_row}, column {column}: {exc.message}")


def _column(products: pl.DataFrame, name: str) -> pl.Series:
    if name in products.columns:
        return products.get_column(name)
    return pl.Series(name, [None] * products.height, dtype=pl.Null)


def _text(series: pl.Series) -> np.ndarray:
    """Column as an object array of stripped strings, None for null or blank cells."""
    values = series.cast(pl.String).str.strip_chars()
    values = pl.select(pl.when(values.str.len_chars() > 0).then(values)).to_series()
    return np.asarray(values.to_list(), dtype=object)


def _map_unique(
    values: np.ndarray, parse: Callable[[Any], Any], column: str, first_row: int, dtype: Any
) -> np.ndarray:
    """``parse`` applied to each distinct value once; an error names the first row holding it.

    None cells are passed to ``parse`` as None (once).
    """
    keys = np.where(np.equal(values, None), "\x1f", values).astype(str)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    parsed = []
    for position in first.tolist():
        try:
            parsed.append(parse(values[position]))
        except MillnetError as exc:
            raise _row_error(position, first_row, column, exc) from None
    return np.asarray(parsed, dtype=dtype)[inverse]


def _optional_gauge(value: str | None) -> float:
    return np.nan if value is None else float(parse_gauge(value))


def _numbers(series: pl.Series, column: str, first_row: int) -> np.ndarray:
    """Numeric column as floats (NaN for null); text that is not a number is an error."""
    if series.dtype == pl.Null:
        return np.full(series.len(), np.nan)
    numbers = series.cast(pl.Float64, strict=False)
    bad = numbers.is_null() & series.is_not_null()
    if series.dtype == pl.String:
        bad = bad & (series.str.strip_chars().str.len_chars() > 0)
    if bad.any():
        index = int(bad.arg_true()[0])
        raise MillnetError(
            f"row {index + first_row}, column {column}: '{series[index]}' is not a number"
        )
    return numbers.fill_nan(None).to_numpy().astype(float)


def products_metal_content(
    products: pl.DataFrame,
    *,
    outside: bool = False,
    rounded_diameter: bool = True,
    allow_missing: bool = False,
    first_row: int = 2,
) -> pl.DataFrame:
    """Per-1,000-ft and per-lb metal masses and resistance for every row of a products table.

    Input columns (``gauge`` required; the others optional, absent meaning all null):

    ============== ============================================================================
    gauge          nominal AWG size, int or string: ``20``, ``"20"``, ``"4/0"``, ``"0000"``
    strands        strand count N; null → 1
    strand_gauge   AWG size of each strand; null → ``gauge``
    coating        null, ``"none"``, ``"bare"`` → bare; ``"tin"``, ``"silver"``, ``"nickel"``
                   (also ``"Sn"``, ``"Ag"``, ``"Ni"``, ``"tinned"``)
    coating_class  null for bare; an ASTM class (silver ``A``-``E`` per B298, nickel ``2``,
                   ``4``, ``7``, ``10``, ``27`` per B355, optionally ``"class A"``); a weight % of
                   the coated wire such as ``"2%"``; or a thickness such as ``"40uin"``,
                   ``"40 µin"`` or ``"1um"``. Tin (B33, no classes) needs a % or a thickness.
    lay_factor     k overriding the default by strand count; null → default (wire.md §1.5)
    ============== ============================================================================

    The formulas are those of :func:`millnet.wire.conductor_content`, evaluated once over all
    rows (each distinct gauge and coating string is parsed once). ``outside=True`` puts every
    coating outside the stated diameter; ``rounded_diameter`` as for
    :func:`~millnet.wire.conductor_content`. The result is ``products`` with the columns of
    :data:`OUTPUT_COLUMNS` added (replacing same-named ones), in the same row order. A row with
    neither ``gauge`` nor ``strand_gauge`` is an error, or, with ``allow_missing=True`` (for
    products that are not wire), gets null outputs.

    Raises:
        MillnetError: naming the row (header = row 1, first data row = ``first_row``) and
            column of the first invalid value.
    """
    if "gauge" not in products.columns:
        raise MillnetError("column gauge is missing; expected an AWG size on every row")
    if products.height == 0:
        return products.with_columns(
            pl.lit(None, dtype=pl.Float64).alias(c) for c in OUTPUT_COLUMNS
        )

    gauge = _map_unique(
        _text(_column(products, "gauge")), _optional_gauge, "gauge", first_row, float
    )
    strand_gauge = _map_unique(
        _text(_column(products, "strand_gauge")), _optional_gauge, "strand_gauge", first_row, float
    )
    strand_gauge = np.where(np.isnan(strand_gauge), gauge, strand_gauge)
    wire = ~np.isnan(strand_gauge)
    if not allow_missing and not wire.all():
        index = int(np.argmin(wire))
        raise MillnetError(f"row {index + first_row}, column gauge: missing; expected an AWG size")

    strands = _numbers(_column(products, "strands"), "strands", first_row)
    strands = np.where(np.isnan(strands), 1.0, strands)
    bad = (strands < 1) | (strands != np.round(strands))
    if bad.any():
        index = int(np.argmax(bad))
        raise MillnetError(
            f"row {index + first_row}, column strands: {strands[index]:g} is not a strand "
            "count; expected a whole number of at least 1"
        )
    override = _numbers(_column(products, "lay_factor"), "lay_factor", first_row)
    try:
        k = lay_factor(strands, override)
    except MillnetError:
        index = int(np.argmax(np.isfinite(override) & (override < 1)))
        raise MillnetError(
            f"row {index + first_row}, column lay_factor: {override[index]:g} is not valid; "
            "expected k ≥ 1"
        ) from None

    coating_text = _text(_column(products, "coating"))
    kinds = _map_unique(coating_text, coating_kind, "coating", first_row, object)
    class_text = _text(_column(products, "coating_class"))
    pairs = np.char.add(
        np.char.add(kinds.astype(str), "\x1f"),
        np.where(np.equal(class_text, None), "", class_text).astype(str),
    )

    def parse_pair(pair: str) -> tuple[float, float]:
        kind, _, text = pair.partition("\x1f")
        spec = parse_coating(kind, text or None)
        return (
            np.nan if spec.weight_pct is None else spec.weight_pct,
            np.nan if spec.thickness_uin is None else spec.thickness_uin,
        )

    specs = _map_unique(pairs.astype(object), parse_pair, "coating_class", first_row, float)

    content = conductor_content(
        strand_gauge[wire].astype(int),
        strands[wire],
        coating=kinds[wire],
        weight_pct=specs[wire, 0],
        thickness_uin=specs[wire, 1],
        outside=outside,
        lay_factor_override=k[wire],
        rounded_diameter=rounded_diameter,
    )
    values = content.as_dict()
    values["lay_factor"] = k[wire]
    columns = []
    for name in OUTPUT_COLUMNS:
        column = np.full(products.height, np.nan)
        column[wire] = values[name]
        columns.append(pl.Series(name, column, nan_to_null=True))
    return products.with_columns(columns)
