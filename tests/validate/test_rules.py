"""Each validation rule: the example case passes; one targeted break gives exactly the issue."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from millnet.case import example_path, read_case
from millnet.validate import validate


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(example_path("mini"), target)
    return target


def edit(folder: Path, table: str, change: Callable[[pl.DataFrame], pl.DataFrame]) -> None:
    path = folder / f"{table}.csv"
    frame = pl.read_csv(path, infer_schema=False)
    change(frame).write_csv(path)


def errors(folder: Path) -> list:
    return list(validate(read_case(folder)).errors)


def only_error(folder: Path):
    found = errors(folder)
    assert len(found) == 1, [str(i) for i in found]
    return found[0]


def test_example_case_is_valid():
    report = validate(read_case(example_path("mini")))
    assert report.ok
    assert report.issues == ()


def test_negative_capacity_names_file_row_and_column(case_dir):
    edit(
        case_dir,
        "resources",
        lambda f: f.with_columns(
            pl.when(pl.int_range(pl.len()) == 4)
            .then(pl.lit("-5"))
            .otherwise("capacity")
            .alias("capacity")
        ),
    )
    issue = only_error(case_dir)
    assert (issue.file, issue.row, issue.column, issue.rule) == (
        "resources.csv",
        6,
        "capacity",
        "range",
    )
    assert "found -5.0; expected a number ≥ 0" in issue.message


def test_latitude_out_of_range(case_dir):
    edit(
        case_dir,
        "plants",
        lambda f: f.with_columns(
            pl.when(pl.col("id") == "mons-be").then(pl.lit("95.2")).otherwise("lat").alias("lat")
        ),
    )
    issue = only_error(case_dir)
    assert (issue.file, issue.row, issue.column) == ("plants.csv", 5, "lat")
    assert "≥ -90 and ≤ 90" in issue.message


def test_unknown_choice_suggests_the_closest(case_dir):
    edit(
        case_dir,
        "customers",
        lambda f: f.with_columns(
            pl.when(pl.col("id") == "datalink")
            .then(pl.lit("electronics"))
            .otherwise("segment")
            .alias("segment")
        ),
    )
    issue = only_error(case_dir)
    assert (issue.row, issue.column) == (4, "segment")
    assert "did you mean 'electronics_datacom'" in issue.message


def test_lower_case_country_code(case_dir):
    edit(
        case_dir,
        "customers",
        lambda f: f.with_columns(
            pl.when(pl.col("id") == "eurocab")
            .then(pl.lit("fr"))
            .otherwise("country")
            .alias("country")
        ),
    )
    issue = only_error(case_dir)
    assert (issue.row, issue.column) == (5, "country")
    assert "upper case: FR" in issue.message


def test_duplicate_primary_key_names_both_rows(case_dir):
    edit(
        case_dir,
        "plants",
        lambda f: f.with_columns(
            pl.when(pl.col("id") == "mons-be").then(pl.lit("camden-ny")).otherwise("id").alias("id")
        ),
    )
    found = errors(case_dir)
    dup = [i for i in found if i.rule == "duplicate-key"]
    assert len(dup) == 1
    assert (dup[0].file, dup[0].row, dup[0].column) == ("plants.csv", 5, "id")
    assert "same key is at row 2" in dup[0].message


def test_unknown_reference_suggests_the_closest(case_dir):
    edit(
        case_dir,
        "demand",
        lambda f: f.with_columns(
            pl.when(pl.int_range(pl.len()) == 2)
            .then(pl.lit("datalnk"))
            .otherwise("customer_id")
            .alias("customer_id")
        ),
    )
    issue = only_error(case_dir)
    assert (issue.file, issue.row, issue.column, issue.rule) == (
        "demand.csv",
        4,
        "customer_id",
        "foreign-key",
    )
    assert "no row of customers.csv has this id" in issue.message
    assert "did you mean 'datalink'" in issue.message


def test_gap_in_periods(case_dir):
    edit(
        case_dir,
        "periods",
        lambda f: f.with_columns(
            pl.when(pl.col("id") == "2009Q2")
            .then(pl.lit("2009-04-02"))
            .otherwise("start")
            .alias("start")
        ),
    )
    issue = only_error(case_dir)
    assert (issue.file, issue.row, issue.column) == ("periods.csv", 3, "start")
    assert "expected 2009-04-01" in issue.message


def test_period_orders_must_not_skip(case_dir):
    edit(
        case_dir,
        "periods",
        lambda f: f.with_columns(
            pl.when(pl.col("id") == "2009Q2").then(pl.lit("3")).otherwise("order").alias("order")
        ),
    )
    issue = only_error(case_dir)
    assert issue.column == "order"
    assert "missing 2" in issue.message


def test_plan_from_must_be_a_period(case_dir):
    toml = case_dir / "case.toml"
    toml.write_text(toml.read_text().replace('plan_from = "2009Q1"', 'plan_from = "2009Q3"'))
    issue = only_error(case_dir)
    assert (issue.file, issue.column) == ("case.toml", "plan_from")
    assert "'2009Q3'" in issue.message


def test_fixed_price_row_needs_a_price(case_dir):
    edit(
        case_dir,
        "demand",
        lambda f: f.with_columns(
            pl.when(pl.col("price_basis") == "fixed").then(None).otherwise("price").alias("price")
        ),
    )
    found = errors(case_dir)
    assert [(i.row, i.column, i.rule) for i in found] == [
        (8, "price", "price-basis"),
        (9, "price", "price-basis"),
    ]


def test_qualification_needs_product_or_family(case_dir):
    edit(
        case_dir,
        "qualifications",
        lambda f: f.with_columns(pl.lit("silver-20-19x32").alias("product_id")),
    )
    found = errors(case_dir)
    assert {(i.row, i.column, i.rule) for i in found} == {
        (2, "family", "qualification-target"),
        (3, "family", "qualification-target"),
    }


def test_missing_metal_price_names_metal_period_and_demand_rows(case_dir):
    edit(
        case_dir,
        "metal_prices",
        lambda f: f.filter(~((pl.col("metal") == "silver") & (pl.col("period_id") == "2009Q2"))),
    )
    issue = only_error(case_dir)
    assert (issue.file, issue.column) == ("metal_prices.csv", "price")
    assert "no silver price for period 2009Q2" in issue.message
    assert "row 7" in issue.message


def test_tolled_rows_need_no_copper_price(case_dir):
    # Only tolled demand in 2009Q2: its copper price is not needed.
    edit(
        case_dir,
        "demand",
        lambda f: f.with_columns(
            pl.when(pl.col("period_id") == "2009Q2")
            .then(pl.lit("true"))
            .otherwise("tolled")
            .alias("tolled")
        ),
    )
    edit(
        case_dir,
        "metal_prices",
        lambda f: f.filter(~((pl.col("metal") == "copper") & (pl.col("period_id") == "2009Q2"))),
    )
    assert errors(case_dir) == []


def test_foreign_currency_needs_rates_for_every_period(case_dir):
    edit(case_dir, "fx", lambda f: f.filter(pl.col("period_id") == "2009Q1"))
    issue = only_error(case_dir)
    assert (issue.file, issue.row, issue.column) == ("plants.csv", 5, "currency")
    assert "EUR has no exchange rate in fx for period 2009Q2" in issue.message


def test_metal_price_unit_must_parse(case_dir):
    edit(
        case_dir,
        "metal_prices",
        lambda f: f.with_columns(
            pl.when(pl.col("metal") == "tin")
            .then(pl.lit("USD per tonne"))
            .otherwise("unit")
            .alias("unit")
        ),
    )
    found = errors(case_dir)
    assert [(i.row, i.column, i.rule) for i in found] == [(6, "unit", "unit"), (7, "unit", "unit")]


def test_demand_for_a_product_no_plant_can_make_names_the_missing_resource(case_dir):
    # Only Littleton may make silver wire; take away its silver plating.
    edit(
        case_dir,
        "resources",
        lambda f: f.filter(
            ~((pl.col("plant_id") == "littleton-nh") & (pl.col("resource") == "silver_plating"))
        ),
    )
    edit(case_dir, "qualifications", lambda f: f.filter(pl.col("plant_id") == "littleton-nh"))
    issue = only_error(case_dir)
    assert (issue.file, issue.row, issue.column, issue.rule) == (
        "demand.csv",
        6,
        "product_id",
        "coverage",
    )
    assert "littleton-nh, lacks silver_plating" in issue.message
    assert "rows 6 and 7" in issue.message


def test_customer_specific_qualification_restricts_other_customers(case_dir):
    # Silver wire for a customer nobody is qualified for.
    edit(
        case_dir,
        "demand",
        lambda f: f.with_columns(
            pl.when(pl.col("customer_id") == "skyline-aero")
            .then(pl.lit("datalink"))
            .otherwise("customer_id")
            .alias("customer_id")
        ),
    )
    edit(
        case_dir,
        "qualifications",
        lambda f: f.with_columns(
            pl.when(pl.col("plant_id") == "littleton-nh")
            .then(pl.lit("skyline-aero"))
            .otherwise("customer_id")
            .alias("customer_id")
        ),
    )
    issue = only_error(case_dir)
    assert issue.rule == "coverage"
    assert "no plant that is not closed is qualified or qualifiable" in issue.message


def test_closed_plants_serve_nobody(case_dir):
    edit(
        case_dir,
        "plants",
        lambda f: f.with_columns(
            pl.when(pl.col("id") == "littleton-nh")
            .then(pl.lit("closed"))
            .otherwise("initial_state")
            .alias("initial_state")
        ),
    )
    # Camden stays qualifiable for silver but has no silver plating.
    issue = only_error(case_dir)
    assert "camden-ny, lacks silver_plating" in issue.message


def test_product_without_routing(case_dir):
    edit(case_dir, "routings", lambda f: f.filter(pl.col("product_id") != "bare-12-solid"))
    issue = only_error(case_dir)
    assert (issue.row, issue.column) == (2, "product_id")
    assert "has no routing" in issue.message


def test_freight_place_that_matches_nothing_is_a_warning(case_dir):
    edit(
        case_dir,
        "freight",
        lambda f: f.with_columns(
            pl.when(pl.col("origin") == "EU")
            .then(pl.lit("Europe"))
            .otherwise("origin")
            .alias("origin")
        ),
    )
    report = validate(read_case(case_dir))
    assert report.ok
    assert {(i.row, i.column) for i in report.warnings} == {(4, "origin"), (5, "origin")}


def test_required_table_missing(case_dir):
    (case_dir / "customers.csv").unlink()
    found = errors(case_dir)
    assert (found[0].file, found[0].rule) == ("customers.csv", "missing-table")


def test_many_bad_cells_are_summed_up():
    from millnet.case import load_example

    case = load_example("mini")
    demand = case["demand"]
    big = pl.concat([demand] * 30).with_columns(
        pl.lit(-1.0).alias("quantity"),
        (pl.col("customer_id") + pl.int_range(pl.len()).cast(pl.String)).alias("customer_id"),
    )
    report = validate(case.with_tables(demand=big))
    ranges = [i for i in report.errors if i.rule == "range"]
    assert len(ranges) == 21
    assert ranges[-1].row is None
    assert ranges[-1].message.startswith("220 more rows")


def test_cases_built_in_python_check_required_cells():
    from millnet.case import load_example

    case = load_example("mini")
    plants = case["plants"].with_columns(pl.lit(None, dtype=pl.String).alias("name"))
    report = validate(case.with_tables(plants=plants))
    required = [i for i in report.errors if i.rule == "required"]
    assert [(i.row, i.column) for i in required] == [
        (2, "name"),
        (3, "name"),
        (4, "name"),
        (5, "name"),
    ]


def test_one_capacity_unit_per_resource(case_dir):
    edit(
        case_dir,
        "resources",
        lambda f: f.with_columns(
            pl.when((pl.col("plant_id") == "mons-be") & (pl.col("resource") == "tinning"))
            .then(pl.lit("kg"))
            .otherwise("capacity_unit")
            .alias("capacity_unit")
        ),
    )
    issue = only_error(case_dir)
    assert (issue.file, issue.row, issue.column) == ("resources.csv", 13, "capacity_unit")
    assert "expected 'lb' as at jewett-city-ct" in issue.message


def test_wire_construction_must_exist(case_dir):
    edit(
        case_dir,
        "products",
        lambda f: f.with_columns(
            pl.when(pl.col("coating") == "silver")
            .then(pl.lit("F"))
            .otherwise("coating_class")
            .alias("coating_class")
        ),
    )
    issue = only_error(case_dir)
    assert (issue.file, issue.row, issue.column) == ("products.csv", 4, "coating_class")
    assert "silver class 'F' does not exist" in issue.message


def test_wire_gauge_out_of_range(case_dir):
    edit(
        case_dir,
        "products",
        lambda f: f.with_columns(
            pl.when(pl.col("id") == "bare-12-solid")
            .then(pl.lit("60"))
            .otherwise("strand_gauge")
            .alias("strand_gauge")
        ),
    )
    issue = only_error(case_dir)
    assert (issue.row, issue.column) == (2, "strand_gauge")
    assert "60" in issue.message


def test_cases_built_in_python_with_untyped_empty_columns_validate():
    from millnet.case import load_example

    case = load_example("mini")
    duties = pl.DataFrame(
        {"origin_country": [], "destination_country": [], "rate": []}
    )  # every column of type Null
    report = validate(case.with_tables(duties=duties))
    assert report.ok
