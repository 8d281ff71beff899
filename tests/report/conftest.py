"""Fixtures of the report tests: the mini example solved once, variants of its Results, and a
results folder written from it.

The mini plan (hand-checked in tests/formulation): camden-ny and mons-be idle from 2009Q1,
eurocab's tin wire moves from mons-be to jewett-city-ct (300,000 lb in 2009Q1, 320,000 lb in
2009Q2), plan cost USD 13,142,943.50 against USD 15,018,346.23 with every plant running.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
import pytest

from millnet.case import load_example
from millnet.plan import solve_case
from millnet.results.results import Results
from millnet.solve.status import Status


@pytest.fixture(scope="session")
def mini_results() -> Results:
    return solve_case(load_example("mini"))


@pytest.fixture(scope="session")
def short_results() -> Results:
    """The mini case with every demand row ten times larger: the plants cannot make it all."""
    case = load_example("mini")
    demand = case["demand"].with_columns(pl.col("quantity") * 10)
    return solve_case(case.with_tables(demand=demand), reference=False)


@pytest.fixture
def no_places(mini_results: Results) -> Results:
    """The mini plan as results written before plans carried coordinates."""
    tables = {k: v for k, v in mini_results.tables.items() if k != "places"}
    return dataclasses.replace(mini_results, tables=tables)


@pytest.fixture
def no_plan(mini_results: Results) -> Results:
    outcome = dataclasses.replace(
        mini_results.outcome,
        status=Status.INFEASIBLE,
        termination="Infeasible",
        objective=None,
        bound=None,
        gap=None,
    )
    return dataclasses.replace(
        mini_results,
        outcome=outcome,
        tables={},
        reference_objective=None,
        explanation=("Acme Cable needs 9,000,000 lb of bare wire; the plants can make 6,000,000.",),
    )


@pytest.fixture(scope="session")
def mini_folder(mini_results: Results, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mini_results.write(tmp_path_factory.mktemp("runs") / "mini")
