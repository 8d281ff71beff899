"""The reference case: what keeping Littleton running through 2009–2010 would cost, and why."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from millnet.analysis.explain import explain_plant
from millnet.case import read_case

CASE = Path(__file__).resolve().parents[2] / "cases" / "iwg2009"

pytestmark = pytest.mark.slow


def test_keeping_littleton_running_costs_more_for_its_fixed_cost():
    e = explain_plant(read_case(CASE), "littleton-nh", states=["running"])
    assert e.status == "optimal"
    assert e.optimal_states[0] == "idle"
    running = e.alternative("running")
    assert running is not None
    assert running.delta > 0
    # its own running fixed cost is what weighs most against running it
    worst = running.drivers.filter(pl.col("delta") > 0).row(0, named=True)
    assert (worst["term"], worst["scope"]) == ("fixed_running", "plant")
    assert running.reason.startswith("keeping littleton-nh running costs USD ")
    assert " more over 2009–2010 " in running.reason
    assert ": its fixed and transition costs of USD " in running.reason
    assert running.drivers["delta"].sum() == pytest.approx(running.delta, rel=1e-6)
