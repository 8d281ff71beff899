"""Synthetic networks: valid, exactly the requested candidates per demand row, seeded."""

from __future__ import annotations

import ast
from pathlib import Path

import polars as pl
import pytest

from millnet.case import Case, read_case
from millnet.errors import MillnetError
from millnet.generate import NetworkSpec, generate_network, reference_case, write_case_files
from millnet.schema.tables import CHANNELS, SEGMENTS
from millnet.validate import validate

SMALL = NetworkSpec(plants=6, customers=50, periods=4, products=24, candidates_per_demand=3)


@pytest.fixture(scope="module")
def small() -> Case:
    return generate_network(SMALL)


def candidates(case: Case) -> pl.DataFrame:
    """(customer_id, product_id, plant_id) for every plant that may serve a demand pair and
    has every resource of the product's routing."""
    pairs = case["demand"].select("customer_id", "product_id").unique()
    listed = case["qualifications"].select("customer_id", "product_id", "plant_id")
    steps = case["routings"].group_by("product_id").agg(pl.len().alias("steps"))
    have = (
        case["routings"]
        .join(case["resources"].filter(pl.col("capacity") > 0), on="resource")
        .group_by("product_id", "plant_id")
        .agg(pl.len().alias("have"))
        .join(steps, on="product_id")
        .filter(pl.col("have") == pl.col("steps"))
        .select("product_id", "plant_id")
    )
    return pairs.join(listed, on=["customer_id", "product_id"]).join(
        have, on=["product_id", "plant_id"]
    )


def test_small_network_validates(small):
    report = validate(small)
    assert report.ok, report.errors[:3]
    assert report.warnings == ()
    assert small["plants"].height == 6
    assert small["customers"].height == 50
    assert small["products"].height == 24
    assert small["periods"]["id"].to_list() == ["2008Q1", "2008Q2", "2008Q3", "2008Q4"]
    assert small["demand"].height == 50 * 2 * 4
    assert small.meta.plan_from is None


@pytest.mark.parametrize("k", [1, 3])
def test_each_demand_row_has_exactly_k_candidate_plants(k):
    case = generate_network(
        NetworkSpec(plants=6, customers=50, periods=4, products=24, candidates_per_demand=k)
    )
    per_pair = candidates(case).group_by("customer_id", "product_id").agg(pl.len().alias("n"))
    assert per_pair.height == case["demand"].select("customer_id", "product_id").n_unique()
    assert set(per_pair["n"]) == {k}
    assert case["qualifications"].height == per_pair.height * k


def test_candidates_may_equal_the_number_of_plants():
    spec = NetworkSpec(plants=5, customers=30, periods=2, products=10, candidates_per_demand=5)
    case = generate_network(spec)
    assert validate(case).ok
    per_pair = candidates(case).group_by("customer_id", "product_id").agg(pl.len().alias("n"))
    assert set(per_pair["n"]) == {5}


def test_same_seed_same_case_other_seed_other_case():
    first = generate_network(SMALL)
    again = generate_network(SMALL)
    other = generate_network(NetworkSpec(**{**SMALL.__dict__, "seed": SMALL.seed + 1}))
    assert first.fingerprint == again.fingerprint
    assert first.fingerprint != other.fingerprint


def test_shape_like_the_reference_case():
    case = generate_network(NetworkSpec(plants=19, customers=300, periods=14, products=80))
    assert validate(case).ok
    assert set(case["customers"]["segment"]) == set(SEGMENTS)
    assert set(case["customers"]["channel"]) == set(CHANNELS)
    plants = case["plants"]
    assert dict(plants.group_by("currency").len().iter_rows()) == {"USD": 15, "EUR": 4}
    assert plants["id"].n_unique() == 19
    assert case.meta.plan_from == "2009Q1"
    # Prices past 2010 extend the reference series.
    periods = case["periods"]["id"].to_list()
    assert periods[-1] == "2011Q2"
    copper = case["metal_prices"].filter(pl.col("metal") == "copper")
    assert copper.height == 14
    assert copper["price"][0] == 3.80
    assert case["fx"].height == 14
    roles = set(plants["role"])
    assert any("rod breakdown" in r for r in roles)
    assert any("plating" in r for r in roles)


def test_more_products_than_the_catalogue_gives_variants():
    case = generate_network(
        NetworkSpec(plants=2, customers=20, periods=1, products=150, candidates_per_demand=2)
    )
    ids = case["products"]["id"]
    assert ids.n_unique() == 150
    assert ids.str.ends_with("-v2").any()
    assert validate(case).ok


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"plants": 0}, "plants must be at least 1; got 0"),
        ({"candidates_per_demand": 7}, "candidates_per_demand cannot exceed plants (6); got 7"),
        ({"products_per_customer": 30}, "products_per_customer cannot exceed products (24)"),
        ({"periods": 0}, "periods must be at least 1; got 0"),
        ({"seed": -1}, "seed must be 0 or more; got -1"),
    ],
)
def test_bad_specs_raise_one_clear_error(changes, message):
    spec = NetworkSpec(**{**SMALL.__dict__, **changes})
    with pytest.raises(MillnetError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        generate_network(spec)


def test_write_case_files_keeps_other_files(tmp_path, small):
    (tmp_path / "README.md").write_text("keep me")
    written = write_case_files(small, tmp_path)
    assert (tmp_path / "README.md").read_text() == "keep me"
    assert {p.name for p in written} >= {"case.toml", "plants.csv", "demand.csv"}
    assert read_case(tmp_path).fingerprint == small.fingerprint


def test_reference_case_and_networks_share_the_building_blocks():
    case = reference_case()
    assert case.name == "iwg2009"
    assert validate(case).ok


def test_generate_imports_only_lower_layers():
    allowed = {"schema", "case", "wire", "errors", "issues", "generate"}
    folder = Path(__file__).resolve().parents[2] / "src" / "millnet" / "generate"
    offences = []
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "millnet" and len(parts) > 1 and parts[1] not in allowed:
                    offences.append(f"{path.name} imports {name}")
    assert offences == []
