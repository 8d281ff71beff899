"""A whole products table in one pass, and row/column error messages."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from millnet.errors import MillnetError
from millnet.wire import OUTPUT_COLUMNS, products_metal_content, wire_content

PRODUCTS = pl.DataFrame(
    {
        "id": ["bare12", "ag19_32", "ni19_32", "ni27", "sn19_34", "bare4_0", "ag40u"],
        "gauge": ["12", "20", "20", "20", "22", "4/0", "20"],
        "strands": [None, 19, 19, 19, 19, None, 19],
        "strand_gauge": [None, "32", "32", "32", "34", None, "32"],
        "coating": [None, "silver", "nickel", "Ni", "tin", "none", "silver"],
        "coating_class": [None, "A", "2", "27", "2%", None, "40uin"],
    }
)
SAME_AS = [
    ("12 AWG", None, None),
    ("20 AWG 19/32", "silver", "A"),
    ("20 AWG 19/32", "nickel", "2"),
    ("20 AWG 19/32", "nickel", "27"),
    ("22 AWG 19/34", "tin", "2%"),
    ("4/0 AWG", None, None),
    ("20 AWG 19/32", "silver", "40uin"),
]


def test_every_row_matches_the_single_conductor_result():
    result = products_metal_content(PRODUCTS)
    assert result.columns == [*PRODUCTS.columns, *OUTPUT_COLUMNS]
    assert result.get_column("id").to_list() == PRODUCTS.get_column("id").to_list()
    for row, (construction, coating, cls) in zip(
        result.iter_rows(named=True), SAME_AS, strict=True
    ):
        alone = wire_content(construction, coating, cls).as_dict()
        for column in OUTPUT_COLUMNS:
            assert row[column] == pytest.approx(float(alone[column]), rel=1e-12), column


def test_worked_example_rows():
    result = products_metal_content(PRODUCTS)
    assert round(result["copper_lb_per_kft"][0], 2) == 19.77
    assert round(result["nickel_lb_per_kft"][3], 3) == 1.001
    assert round(result["tin_lb_per_kft"][4], 3) == 0.046
    per_lb = result.select(pl.sum_horizontal(pl.col("^.*_lb_per_lb$"))).to_series()
    np.testing.assert_allclose(per_lb.to_numpy(), 1.0)


def test_integer_gauges_absent_columns_and_outside_convention():
    frame = pl.DataFrame({"gauge": [12, -3, 0]})
    result = products_metal_content(frame)
    assert result["lay_factor"].to_list() == [1.0, 1.0, 1.0]
    assert result["copper_lb_per_kft"][1] > result["copper_lb_per_kft"][2]
    # Coating outside the stated diameter: every row keeps the copper of its bare conductor.
    outside = products_metal_content(PRODUCTS, outside=True)
    bare = products_metal_content(PRODUCTS.drop("coating", "coating_class"))
    np.testing.assert_allclose(outside["copper_lb_per_kft"], bare["copper_lb_per_kft"])


def test_lay_factor_column_overrides_the_default():
    frame = pl.DataFrame(
        {
            "gauge": ["20", "20"],
            "strands": [19, 19],
            "strand_gauge": ["32", "32"],
            "lay_factor": [None, 1.026],
        }
    )
    result = products_metal_content(frame)
    assert result["lay_factor"].to_list() == [1.02, 1.026]
    ratio = result["copper_lb_per_kft"][1] / result["copper_lb_per_kft"][0]
    assert ratio == pytest.approx(1.026 / 1.02)


def test_rows_without_a_conductor_may_be_allowed():
    frame = pl.DataFrame({"gauge": ["12", None], "coating": [None, None]})
    with pytest.raises(MillnetError, match="row 3, column gauge: missing"):
        products_metal_content(frame)
    result = products_metal_content(frame, allow_missing=True)
    assert result["copper_lb_per_kft"][1] is None
    assert round(result["copper_lb_per_kft"][0], 2) == 19.77


def test_empty_table():
    result = products_metal_content(pl.DataFrame({"gauge": pl.Series([], dtype=pl.String)}))
    assert result.height == 0
    assert set(OUTPUT_COLUMNS) <= set(result.columns)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"gauge": ["12", "60"]}, "row 3, column gauge: gauge '60' is out of range"),
        (
            {"gauge": ["12", "20"], "strand_gauge": [None, "x"]},
            "row 3, column strand_gauge: gauge 'x' is not an AWG size",
        ),
        ({"gauge": ["12", "20"], "strands": [1, 0]}, "row 3, column strands: 0 is not a strand"),
        (
            {"gauge": ["12", "20"], "strands": ["1", "x"]},
            "row 3, column strands: 'x' is not a number",
        ),
        (
            {"gauge": ["12", "20"], "coating": [None, "gold"]},
            "row 3, column coating: coating 'gold' does not exist",
        ),
        (
            {"gauge": ["12", "20"], "coating": ["silver", "silver"], "coating_class": ["A", "F"]},
            r"row 3, column coating_class: silver class 'F' does not exist; expected one of "
            r"A, B, C, D, E \(ASTM B298\)",
        ),
        (
            {"gauge": ["12", "20"], "coating": ["tin", None]},
            "row 2, column coating_class: tin coating needs a weight %",
        ),
        (
            {"gauge": ["12", "20"], "coating_class": [None, "A"]},
            "row 3, column coating_class: coating specification 'A' given for a bare wire",
        ),
        (
            {"gauge": ["12", "20"], "lay_factor": [None, 0.9]},
            "row 3, column lay_factor: 0.9 is not valid",
        ),
        ({"strands": [1]}, "column gauge is missing"),
    ],
)
def test_invalid_rows_name_the_row_and_column(columns, message):
    with pytest.raises(MillnetError, match=message):
        products_metal_content(pl.DataFrame(columns, strict=False))
