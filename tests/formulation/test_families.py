"""Every constraint family and option on a tiny case whose optimum is worked out by hand.

Each test states its arithmetic in a comment: the alternatives a planner would weigh, their
costs, and the best one. The plan must match it exactly: objective, plant states per period,
flows and unmet demand. Cases are built by :mod:`tiny_cases` (product W on resource ``line``, zero
metal, freight through the lanes table; plants cost 1 to idle or close unless told).
"""

from __future__ import annotations

import pytest
from tiny_cases import demand, flows, plant, solve, states, tiny_case, unmet

from millnet.model.options import ModelOptions
from millnet.plan import solve_case

REL = 1e-9


def approx(value):
    return pytest.approx(value, rel=REL)


def amounts(results, term: str) -> dict[tuple[str | None, str], float]:
    """(plant, period) → amount of one cost term."""
    table = results.tables["costs"].filter(term=term)
    return {(r["plant"], r["period"]): r["amount"] for r in table.iter_rows(named=True)}


# --- plant lifecycle ------------------------------------------------------------------------


def test_fixed_running_versus_idle():
    # One period, 100 units (price 10, so 100 per unit unmet); closing costs 1e6.
    #   A runs (1000 + 2·100), B idles (200 + 80 to idle)  = 1480  ← best
    #   B runs (1500 + 1·100), A idles (100 + 50 to idle)  = 1750
    #   both run: 2500 + 1·100                             = 2600
    #   both idle: 300 + 130 + 100·100                     = 10430
    case = tiny_case(
        [
            plant("A", fixed_cost_running=1000, fixed_cost_idle=100, cost_to_idle=50,
                  cost_to_close=1e6, variable=2),
            plant("B", fixed_cost_running=1500, fixed_cost_idle=200, cost_to_idle=80,
                  cost_to_close=1e6, variable=1),
        ],
        [demand("C1", "P1", 100)],
    )  # fmt: skip
    r = solve(case)
    assert r.outcome.objective == approx(1480)
    assert states(r) == {"A": ("running",), "B": ("idle",)}
    assert flows(r) == approx({("A", "C1", "P1"): 100})
    assert unmet(r) == {}
    assert amounts(r, "idle") == approx({("B", "P1"): 80})
    assert amounts(r, "fixed_idle") == approx({("B", "P1"): 200})


@pytest.mark.parametrize(
    ("to_idle", "restart", "objective", "path"),
    [
        # idle, idle, run: 50 + 2·100 + 300 + 1000 = 1550 (run ×3 = 3000;
        # idle, run, run = 50 + 100 + 300 + 2000 = 2450; run, idle, run = 2450)
        (50, 300, 1550, ("idle", "idle", "running")),
        # idling now costs 1600: idle, idle, run = 1600 + 200 + 300 + 1000 = 3100 > 3000
        (1600, 300, 3000, ("running", "running", "running")),
        # restarting now costs 2000: idle, idle, run = 50 + 200 + 2000 + 1000 = 3250 > 3000
        (50, 2000, 3000, ("running", "running", "running")),
    ],
)
def test_cost_to_idle_and_restart(to_idle, restart, objective, path):
    # A runs at the start (run 1000, idle 100 per period); demand only in P3: 100 units at
    # price 10 (10 000 unmet); closing costs 1e6.
    case = tiny_case(
        [plant("A", fixed_cost_running=1000, fixed_cost_idle=100, cost_to_idle=to_idle,
               cost_to_restart=restart, cost_to_close=1e6)],
        [demand("C1", "P3", 100)],
        periods=3,
    )  # fmt: skip
    r = solve(case)
    assert r.outcome.objective == approx(objective)
    assert states(r) == {"A": path}
    assert flows(r) == approx({("A", "C1", "P3"): 100})
    assert unmet(r) == {}


def closing_case():
    """A runs at the start (run 1000, idle 900, close 100); B is idle at the start (run 1500,
    idle, restart and close free); Z is closed at the start (its costs never count). Demand:
    100 units in P1 and P3 (price 10)."""
    return tiny_case(
        [
            plant("A", fixed_cost_running=1000, fixed_cost_idle=900, cost_to_idle=0,
                  cost_to_close=100),
            plant("B", initial_state="idle", fixed_cost_running=1500, cost_to_idle=0,
                  cost_to_close=0),
            plant("Z", initial_state="closed", fixed_cost_running=5000, fixed_cost_idle=700,
                  cost_to_idle=60, cost_to_restart=70, cost_to_close=400),
        ],
        [demand("C1", "P1", 100), demand("C1", "P3", 100)],
        periods=3,
    )  # fmt: skip


def test_closure_is_final_and_costs_once():
    # A: run, closed, closed (close 100 once) and B runs P3: 1000 + 100 + 1500 = 2600 ← best
    #    run, idle, run: 1000 + 900 + 1000 = 2900;  run ×3 = 3000
    #    closed from P1, B runs P1 and P3: 100 + 3000 = 3100
    #    (run, closed, run = 2100 would be best if a closed plant could restart)
    # Z stays closed at no cost (closing an already closed plant costs nothing).
    r = solve(closing_case())
    assert r.outcome.objective == approx(2600)
    assert states(r) == {
        "A": ("running", "closed", "closed"),
        "B": ("idle", "idle", "running"),
        "Z": ("closed", "closed", "closed"),
    }
    assert flows(r) == approx({("A", "C1", "P1"): 100, ("B", "C1", "P3"): 100})
    assert unmet(r) == {}
    assert amounts(r, "close") == approx({("A", "P2"): 100})


def test_forbid_closures():
    # The closing case without closures: A run, idle, run = 1000 + 900 + 1000 = 2900 ← best
    #   (run, idle, idle and B runs P3 = 1000 + 1800 + 1500 = 4300; run ×3 = 3000)
    # Z, closed at the start, stays closed: forbidding closures does not reopen it.
    r = solve(closing_case(), forbid_closures=True)
    assert r.outcome.objective == approx(2900)
    assert states(r) == {
        "A": ("running", "idle", "running"),
        "B": ("idle", "idle", "idle"),
        "Z": ("closed", "closed", "closed"),
    }
    assert flows(r) == approx({("A", "C1", "P1"): 100, ("A", "C1", "P3"): 100})
    assert unmet(r) == {}


@pytest.mark.parametrize(
    ("min_idle", "objective", "a_path", "b_path"),
    [
        # A may idle for one period only: run, idle, run = 1000 + 100 + 1000 = 2100
        (1, 2100, ("running", "idle", "running"), ("idle", "idle", "idle")),
        # Once idle, A stays idle two periods:
        #   A run, idle, idle and B runs P3: 1000 + 200 + 1500         = 2700 ← best
        #   A idle, idle, run and B runs P1 then idles: 200 + 1000 + 1500 + 50 = 2750
        #   A run ×3                                                   = 3000
        (2, 2700, ("running", "idle", "idle"), ("idle", "idle", "running")),
    ],
)
def test_min_idle(min_idle, objective, a_path, b_path):
    # A runs at the start (run 1000, idle 100), B is idle (run 1500, 50 to idle); restarts are
    # free, closing costs 1e6; demand 100 in P1 and P3 (price 10).
    case = tiny_case(
        [
            plant("A", fixed_cost_running=1000, fixed_cost_idle=100, cost_to_idle=0,
                  cost_to_close=1e6, min_idle_periods=min_idle),
            plant("B", initial_state="idle", fixed_cost_running=1500, cost_to_idle=50,
                  cost_to_close=1e6, min_idle_periods=min_idle),
        ],
        [demand("C1", "P1", 100), demand("C1", "P3", 100)],
        periods=3,
    )  # fmt: skip
    r = solve(case)
    assert r.outcome.objective == approx(objective)
    assert states(r) == {"A": a_path, "B": b_path}
    served_p3 = "A" if a_path[2] == "running" else "B"
    assert flows(r) == approx({("A", "C1", "P1"): 100, (served_p3, "C1", "P3"): 100})
    assert unmet(r) == {}


@pytest.mark.parametrize(
    ("lead", "objective", "path", "served", "short"),
    [
        # Demand P1 10, P2 100 (price 5: 50 per unit unmet).
        #   restart in P1, run P1-P2, produce in P2: 300 + 2000 + 10·50 unmet = 2800 ← best
        #   idle ×2: 200 + 110·50 = 5700;  restart in P2: 100 + 300 + 1000 + 5500 = 6900
        (1, 2800, ("running", "running"), {"P2": 100}, {"P1": 10}),
        # Demand P1 10, P2 10, P3 100: restart in P1, produce in P3 only:
        #   300 + 3000 + 20·50 = 4300 ← best;  idle ×3: 300 + 120·50 = 6300
        (2, 4300, ("running", "running", "running"), {"P3": 100}, {"P1": 10, "P2": 10}),
    ],
)
def test_restart_lead(lead, objective, path, served, short):
    # A is idle at the start (run 1000, idle 100, restart 300): a restart pays running cost
    # `lead` periods before the plant produces anything.
    periods = lead + 1
    quantities = {"P1": 10, "P2": 10, "P3": 100} if lead == 2 else {"P1": 10, "P2": 100}
    case = tiny_case(
        [plant("A", initial_state="idle", fixed_cost_running=1000, fixed_cost_idle=100,
               cost_to_restart=300, cost_to_close=1e6, restart_lead_periods=lead)],
        [demand("C1", p, q, price=5) for p, q in quantities.items()],
        periods=periods,
    )  # fmt: skip
    r = solve(case)
    assert r.outcome.objective == approx(objective)
    assert states(r) == {"A": path}
    assert flows(r) == approx({("A", "C1", p): q for p, q in served.items()})
    assert unmet(r) == approx({("C1", p): q for p, q in short.items()})
    assert amounts(r, "restart") == approx({("A", "P1"): 300})
    # it pays running cost in every period, the lead included
    assert amounts(r, "fixed_running") == approx({("A", p): 1000 for p in quantities})


def test_restart_lead_cannot_be_used_to_run_without_output():
    # A runs at the start; restart lead 1 (restart 10), min output 80; var 1 per unit, B 3.
    # Demand 100, 50, 100 (price 10). In P2 A cannot ship its 80, so it does not produce:
    # it idles, and a restart in P3 would give no output before P4.
    #   A run, idle, idle; B serves P2 and P3: 100 + 150 + 300 = 550 ← best
    #   A run, idle, run (restart 10, no output in P3): 560
    # A running plant that was not restarted produces, so "running in P2 without output, at
    # the price of a restart" (100 + 10 + 150 + 100 = 360) is no plan.
    case = tiny_case(
        [plant("A", variable=1, cost_to_idle=0, cost_to_restart=10, restart_lead_periods=1,
               min_output=80),
         plant("B", variable=3)],
        [demand("C1", "P1", 100), demand("C1", "P2", 50), demand("C1", "P3", 100)],
        periods=3,
    )  # fmt: skip
    r = solve(case)
    assert r.outcome.objective == approx(550)
    assert states(r) == {
        "A": ("running", "idle", "idle"),
        "B": ("running", "running", "running"),
    }
    assert flows(r) == approx(
        {("A", "C1", "P1"): 100, ("B", "C1", "P2"): 50, ("B", "C1", "P3"): 100}
    )
    assert unmet(r) == {}


@pytest.mark.parametrize(
    ("force", "objective", "a_path", "b_path"),
    [
        # Free: A runs, B idles: 2·(1000 + 2·100 + 200) + 80 = 2880
        ((), 2880, ("running", "running"), ("idle", "idle")),
        # A idle in P1: P1 B runs (1500 + 100) + A idle (100 + 50) = 1750;
        # P2 A runs (1000 + 200) + B idles (200 + 80) = 1480 (B running: 1500 + 100 + 100 = 1700)
        ((("A", "P1", "idle"),), 3230, ("idle", "running"), ("running", "idle")),
        # B closed in P1 stays closed: 1e6 + 2·(1000 + 200) = 1 002 400
        ((("B", "P1", "closed"),), 1_002_400, ("running", "running"), ("closed", "closed")),
    ],
)
def test_forced_states(force, objective, a_path, b_path):
    # A: run 1000, idle 100, 50 to idle, var 2; B: run 1500, idle 200, 80 to idle, var 1;
    # restarts free, closing 1e6; 100 units in P1 and P2 (price 10).
    case = tiny_case(
        [
            plant("A", fixed_cost_running=1000, fixed_cost_idle=100, cost_to_idle=50,
                  cost_to_close=1e6, variable=2),
            plant("B", fixed_cost_running=1500, fixed_cost_idle=200, cost_to_idle=80,
                  cost_to_close=1e6, variable=1),
        ],
        [demand("C1", "P1", 100), demand("C1", "P2", 100)],
        periods=2,
    )  # fmt: skip
    r = solve(case, force_states=force)
    assert r.outcome.objective == approx(objective)
    assert states(r) == {"A": a_path, "B": b_path}
    expected = {
        ("A" if a == "running" else "B", "C1", p): 100
        for p, a in zip(("P1", "P2"), a_path, strict=True)
    }
    assert flows(r) == approx(expected)
    assert unmet(r) == {}


@pytest.mark.parametrize(
    ("max_idle", "objective", "path"),
    [
        # A runs (1000 + 100), B and C idle (200): 1300
        (None, 1300, ("running", "idle", "idle")),
        # One idle plant at most: A and B run, C idles: 1000 + 900 + 100 + 100 = 2100
        #   (A, C run: 2200; B, C run, A idles: 1900 + 100 + 200 = 2200)
        (1, 2100, ("running", "running", "idle")),
        # None idle: all run, A ships: 2900 + 100 = 3000 (closing one costs 10 000)
        (0, 3000, ("running", "running", "running")),
    ],
)
def test_max_idle(max_idle, objective, path):
    # Runs cost A 1000, B 900, C 1000; idle 100 each; var 1, 2, 3; demand 100 (price 10).
    case = tiny_case(
        [
            plant(p, fixed_cost_running=run, fixed_cost_idle=100, cost_to_idle=0,
                  cost_to_close=1e4, variable=v)
            for p, run, v in (("A", 1000, 1), ("B", 900, 2), ("C", 1000, 3))
        ],
        [demand("C1", "P1", 100)],
    )  # fmt: skip
    r = solve(case, max_idle=max_idle)
    assert r.outcome.objective == approx(objective)
    assert states(r) == {p: (s,) for p, s in zip("ABC", path, strict=True)}
    assert flows(r) == approx({("A", "C1", "P1"): 100})
    assert unmet(r) == {}


@pytest.mark.parametrize(
    ("max_closed", "objective", "path"),
    [
        # A runs (1000 + 100); B and C close (50 each) rather than idle (100, 200): 1200
        (None, 1200, ("running", "closed", "closed")),
        # One closure at most: C closes (saves 150), B idles: 1100 + 100 + 50 = 1250
        #   (B closes, C idles: 1100 + 50 + 200 = 1350)
        (1, 1250, ("running", "idle", "closed")),
    ],
)
def test_max_closed(max_closed, objective, path):
    # Runs cost 1000 each; idle A 100, B 100, C 200; closing 50 (A 1e4); var A 1, B and C 5.
    case = tiny_case(
        [
            plant("A", fixed_cost_running=1000, fixed_cost_idle=100, cost_to_idle=0,
                  cost_to_close=1e4, variable=1),
            plant("B", fixed_cost_running=1000, fixed_cost_idle=100, cost_to_idle=0,
                  cost_to_close=50, variable=5),
            plant("C", fixed_cost_running=1000, fixed_cost_idle=200, cost_to_idle=0,
                  cost_to_close=50, variable=5),
        ],
        [demand("C1", "P1", 100)],
    )  # fmt: skip
    r = solve(case, max_closed=max_closed)
    assert r.outcome.objective == approx(objective)
    assert states(r) == {p: (s,) for p, s in zip("ABC", path, strict=True)}
    assert flows(r) == approx({("A", "C1", "P1"): 100})


@pytest.mark.parametrize(
    ("meta_from", "option_from", "objective", "path"),
    [
        # Planned P2-P3 only: A idles in P2 (100) and runs in P3 (1000) = 1100; P1 is history
        # (reported idle, as A starts) and its 1000 units are not planned.
        ("P2", None, 1100, ("idle", "idle", "running")),
        (None, "P2", 1100, ("idle", "idle", "running")),
        # The option wins over the case: plan P1-P3; run, idle, run = 2100 (run ×3 = 3000)
        ("P2", "P1", 2100, ("running", "idle", "running")),
    ],
)
def test_plan_from(meta_from, option_from, objective, path):
    # A is idle at the start (run 1000, idle 100, restart and idling free); demand 1000 in P1
    # and 100 in P3 (price 10).
    case = tiny_case(
        [plant("A", initial_state="idle", fixed_cost_running=1000, fixed_cost_idle=100,
               cost_to_idle=0, cost_to_close=1e6)],
        [demand("C1", "P1", 1000), demand("C1", "P3", 100)],
        periods=3,
        plan_from=meta_from,
    )  # fmt: skip
    r = solve(case, plan_from=option_from)
    assert r.outcome.objective == approx(objective)
    assert states(r) == {"A": path}
    table = r.tables["plant_states"]
    history = (option_from or meta_from) == "P2"
    assert table["period"].to_list() == ["P1", "P2", "P3"]
    assert table["planned"].to_list() == [not history, True, True]
    expected = {("A", "C1", "P3"): 100}
    if not history:
        expected[("A", "C1", "P1")] = 1000
    assert flows(r) == approx(expected)
    assert unmet(r) == {}


@pytest.mark.parametrize(
    ("min_output", "objective", "a_state", "served"),
    [
        # A ships C1 (1 per unit), B ships C2 (3 < A's 1 + 5): 50 + 150 = 200
        (0, 200, "running", {("A", "C1"): 50, ("B", "C2"): 50}),
        # A must ship 80: C1 50 + C2 30 at 6, B ships C2's other 20: 50 + 180 + 60 = 290
        #   (A idles, B ships all: 1 + 300 = 301)
        (80, 290, "running", {("A", "C1"): 50, ("A", "C2"): 30, ("B", "C2"): 20}),
        # A cannot ship 120 of 100 demanded: it idles (1), B ships all (300): 301
        (120, 301, "idle", {("B", "C1"): 50, ("B", "C2"): 50}),
    ],
)
def test_min_output(min_output, objective, a_state, served):
    # A: var 1, freight 0 to C1 and 5 to C2; B: var 3, freight 0; 50 units each (price 10).
    case = tiny_case(
        [plant("A", variable=1, min_output=min_output), plant("B", variable=3)],
        [demand("C1", "P1", 50), demand("C2", "P1", 50)],
        freight={("A", "C2"): 5.0},
    )
    r = solve(case)
    assert r.outcome.objective == approx(objective)
    assert states(r) == {"A": (a_state,), "B": ("running",)}
    assert flows(r) == approx({(p, c, "P1"): q for (p, c), q in served.items()})
    assert unmet(r) == {}


# --- sourcing -------------------------------------------------------------------------------


def test_capacity_with_usage_and_yield():
    # W: draw usage 1.5 at yield 0.9 (load 5/3 per unit), then strand usage 1 (load 1).
    # A: draw 900 (0.6 per unit of capacity), strand 600 (0.5): at most min(900·0.6, 600) = 540
    #    units, at 5/3·0.6 + 0.5 = 1.5 per unit.  B: unlimited, 5/3·1.2 + 1.0 = 3 per unit.
    # 1000 units (price 20): A 540·1.5 + B 460·3 = 810 + 1380 = 2190
    case = tiny_case(
        [plant("A"), plant("B")],
        [demand("C1", "P1", 1000, price=20)],
        routing=[("draw", 1.5, 0.9), ("strand", 1.0, 1.0)],
        resources=[
            ("A", "draw", 900, 0.6),
            ("A", "strand", 600, 0.5),
            ("B", "draw", 1e6, 1.2),
            ("B", "strand", 1e6, 1.0),
        ],
    )
    r = solve(case)
    assert r.outcome.objective == approx(2190)
    assert states(r) == {"A": ("running",), "B": ("running",)}
    assert flows(r) == approx({("A", "C1", "P1"): 540, ("B", "C1", "P1"): 460})
    assert unmet(r) == {}
    used = {
        (u["plant"], u["resource"]): u["used"]
        for u in r.tables["utilisation"].iter_rows(named=True)
    }
    assert used == approx(
        {("A", "draw"): 900, ("A", "strand"): 540, ("B", "draw"): 460 * 5 / 3, ("B", "strand"): 460}
    )


@pytest.mark.parametrize(
    ("lead", "objective", "served"),
    [
        # bought in P1, usable at once: B ships everything: 500 + 3·100 = 800
        (0, 800, {"P1": "B", "P2": "B", "P3": "B"}),
        # bought in P1, usable from P2: 1000 + 2·100 + 500 = 1700
        #   (bought in P2: 2000 + 100 + 500 = 2600; never: 3000)
        (1, 1700, {"P1": "A", "P2": "B", "P3": "B"}),
        # bought in P1, usable from P3: 2000 + 100 + 500 = 2600 (never: 3000)
        (2, 2600, {"P1": "A", "P2": "A", "P3": "B"}),
    ],
)
def test_qualification(lead, objective, served):
    # W may be made only at A (qualified) and B (qualifiable at 500, lead `lead`); freight from
    # A 10, from B 1; 100 units per period (price 20).
    case = tiny_case(
        [plant("A"), plant("B")],
        [demand("C1", p, 100, price=20) for p in ("P1", "P2", "P3")],
        periods=3,
        freight={("A", "C1"): 10.0, ("B", "C1"): 1.0},
        qualifications=[
            {"plant_id": "A", "product_id": "W", "status": "qualified"},
            {
                "plant_id": "B",
                "product_id": "W",
                "status": "qualifiable",
                "requalification_cost": 500.0,
                "requalification_lead_periods": lead,
            },
        ],
    )
    r = solve(case)
    assert r.outcome.objective == approx(objective)
    assert states(r) == {"A": ("running",) * 3, "B": ("running",) * 3}
    assert flows(r) == approx({(p, "C1", t): 100 for t, p in served.items()})
    assert unmet(r) == {}
    bought = r.tables["qualifications"]
    assert bought.select("plant", "period", "cost", "lead").rows() == [("B", "P1", 500.0, lead)]


@pytest.mark.parametrize(
    ("mode", "objective", "served"),
    [
        # split: P1 A 50 (50); P2 A 60 + B 40 (60 + 80) = 190
        ("off", 190, {("A", "P1"): 50, ("A", "P2"): 60, ("B", "P2"): 40}),
        # one plant per row: P1 A 50 (50); P2 B 100 (200) = 250
        ("period", 250, {("A", "P1"): 50, ("B", "P2"): 100}),
        # one plant for the horizon: A cannot ship P2's 100, so B ships both: 300
        ("horizon", 300, {("B", "P1"): 50, ("B", "P2"): 100}),
    ],
)
def test_single_sourcing(mode, objective, served):
    # A: capacity 60, var 1; B: capacity 200, var 2; demand 50 in P1, 100 in P2 (price 10).
    case = tiny_case(
        [plant("A", capacity=60, variable=1), plant("B", capacity=200, variable=2)],
        [demand("C1", "P1", 50), demand("C1", "P2", 100)],
        periods=2,
    )
    r = solve(case, single_source=mode)
    assert r.outcome.objective == approx(objective)
    assert states(r) == {"A": ("running",) * 2, "B": ("running",) * 2}
    assert flows(r) == approx({(p, "C1", t): q for (p, t), q in served.items()})
    assert unmet(r) == {}


@pytest.mark.parametrize(
    ("mode", "move_cost", "objective", "served", "moved"),
    [
        # C1 is served by B today. One plant per row: moving P1 to A costs 50 + 200 (P2 at B)
        # + 30 = 280 < 300 (both at B)
        ("period", 30, 280, {("A", "P1"): 50, ("B", "P2"): 100}, 30),
        # a move of 60 makes it 310: C1 stays at B
        ("period", 60, 300, {("B", "P1"): 50, ("B", "P2"): 100}, 0),
        # split freely, a share s away from B costs 100 s: for s ≤ 0.6 (A's capacity in P2) the
        # plan costs 300 − 50 s (P1) − 100 s (P2) + 100 s, for s > 0.6 240 − 50 s + 100 s; both
        # are least at s = 0.6: 270, of which 60 is the move
        ("off", 100, 270, {("A", "P1"): 30, ("B", "P1"): 20, ("A", "P2"): 60, ("B", "P2"): 40}, 60),
    ],
)
def test_move_cost(mode, move_cost, objective, served, moved):
    # A: capacity 60, var 1; B: capacity 200, var 2; demand 50 in P1, 100 in P2
    case = tiny_case(
        [plant("A", capacity=60, variable=1), plant("B", capacity=200, variable=2)],
        [demand("C1", "P1", 50), demand("C1", "P2", 100)],
        periods=2,
        sourcing=[("C1", "B", move_cost)],
    )
    r = solve(case, single_source=mode)
    assert r.outcome.objective == approx(objective)
    assert flows(r) == approx({(p, "C1", t): q for (p, t), q in served.items()})
    assert amounts(r, "move") == (approx({("B", "P1"): moved}) if moved else {})


def test_move_cost_from_the_option_and_moves_against_the_sourcing_table():
    case = tiny_case(
        [plant("A", capacity=60, variable=1), plant("B", capacity=200, variable=2)],
        [demand("C1", "P1", 50), demand("C1", "P2", 100)],
        periods=2,
        sourcing=[("C1", "B", None)],
    )
    # no cost stated in the row: the option's 30 applies (as in the first case above)
    results = solve_case(case, ModelOptions(single_source="period", move_cost=30))
    assert results.outcome.objective == approx(280)
    moves = results.tables["moves"].select("customer", "period", "from_plant", "to_plant")
    assert moves.rows() == [("C1", "P1", "B", "A")]
    # without a cost, the move is free: the plan of single sourcing per period (250)
    assert solve(case, single_source="period").outcome.objective == approx(250)


def test_duty():
    # A (US, capacity 60) freight 8; B (MX) freight 4 plus duty 10 % of the price 50 = 5.
    # 100 units: A 60·8 + B 40·(4 + 5) = 480 + 360 = 840 (without the duty B would ship all:
    # 400).
    case = tiny_case(
        [plant("A", capacity=60), plant("B", country="MX")],
        [demand("C1", "P1", 100, price=50)],
        freight={("A", "C1"): 8.0, ("B", "C1"): 4.0},
        duties=[("MX", "US", 0.1)],
    )
    r = solve(case)
    assert r.outcome.objective == approx(840)
    assert flows(r) == approx({("A", "C1", "P1"): 60, ("B", "C1", "P1"): 40})
    assert unmet(r) == {}
    duty = {row["plant"]: row["duty"] for row in r.tables["flows"].iter_rows(named=True)}
    assert duty == approx({"A": 0.0, "B": 5.0})
    assert amounts(r, "duty") == approx({("B", "P1"): 200})


def test_fx_by_period():
    # E costs in EUR (1.2 USD in P1, 1.5 in P2): run 100, idle 50, var 10 EUR per unit;
    # closing 1e6 EUR; U (USD): var 14, idles at 10 + 1. Demand 100 per period (price 20).
    # P1: E runs and ships: 120 + 1200 = 1320 (E idle + U ships: 60 + 1400 = 1460)
    # P2: E idles, U ships: 75 + 1400 = 1475 (E ships: 150 + 1500 = 1650)
    # total 2795
    case = tiny_case(
        [
            plant("E", country="BE", currency="EUR", fixed_cost_running=100,
                  fixed_cost_idle=50, cost_to_idle=0, cost_to_close=1e6, variable=10),
            plant("U", fixed_cost_idle=10, variable=14),
        ],
        [demand("C1", "P1", 100, price=20), demand("C1", "P2", 100, price=20)],
        periods=2,
        fx=[("P1", "EUR", 1.2), ("P2", "EUR", 1.5)],
    )  # fmt: skip
    r = solve(case)
    assert r.outcome.objective == approx(2795)
    assert states(r) == {"E": ("running", "idle"), "U": ("running", "running")}
    assert flows(r) == approx({("E", "C1", "P1"): 100, ("U", "C1", "P2"): 100})
    assert unmet(r) == {}
    assert amounts(r, "fixed_running") == approx({("E", "P1"): 120})
    assert amounts(r, "fixed_idle") == approx({("E", "P2"): 75})
    assert amounts(r, "variable") == approx({("E", "P1"): 1200, ("U", "P2"): 1400})


# --- unmet demand and the objective ---------------------------------------------------------


@pytest.mark.parametrize(
    ("penalty", "objective", "b_ships"),
    [
        # default 10 × price 3 = 30 per unit < B's 35: A 60·2 + 40·30 = 1320
        (None, 1320, 0),
        # 40 per unit: B ships the other 40 at 35: 120 + 1400 = 1520
        (40.0, 1520, 40),
        # 20 per unit: 120 + 40·20 = 920
        (20.0, 920, 0),
    ],
)
def test_unmet_penalty(penalty, objective, b_ships):
    # A: capacity 60, var 2; B: var 35; 100 units at price 3.
    case = tiny_case(
        [plant("A", capacity=60, variable=2), plant("B", variable=35)],
        [demand("C1", "P1", 100, price=3)],
    )
    r = solve(case, unmet_penalty=penalty)
    assert r.outcome.objective == approx(objective)
    expected = {("A", "C1", "P1"): 60}
    if b_ships:
        expected[("B", "C1", "P1")] = b_ships
    assert flows(r) == approx(expected)
    assert unmet(r) == approx({} if b_ships else {("C1", "P1"): 40})
    if not b_ships:
        unit = r.tables["unmet"]["penalty"].to_list()
        assert unit == approx([penalty or 30.0])


def test_unmet_without_a_price():
    # Price 0: the fallback penalty 1e6 per unit. A (capacity 6, var 5) ships 6 of 10:
    # 30 + 4·1e6 = 4 000 030
    case = tiny_case(
        [plant("A", capacity=6, variable=5)],
        [demand("C1", "P1", 10, price=0)],
    )
    r = solve(case)
    assert r.outcome.objective == approx(4_000_030)
    assert flows(r) == approx({("A", "C1", "P1"): 6})
    assert unmet(r) == approx({("C1", "P1"): 4})


@pytest.mark.parametrize(
    ("objective_kind", "objective", "short"),
    [
        # cost: serve both rows (penalties 30 and 10 per unit > 2): 150·2 + 40 = 340
        ("cost", 340, {}),
        # margin: C1 earns 3 − 2, C2 would lose 1 − 2, so it goes unmet: 100·1 − 40 = 60
        #   (A idle: −100)
        ("margin", 60, {("C2", "P1"): 50}),
    ],
)
def test_margin_leaves_unprofitable_demand_unmet(objective_kind, objective, short):
    # A: run 40, idle 100, var 2. C1: 100 units at 3; C2: 50 units at 1.
    case = tiny_case(
        [plant("A", fixed_cost_running=40, fixed_cost_idle=100, cost_to_idle=0, variable=2)],
        [demand("C1", "P1", 100, price=3), demand("C2", "P1", 50, price=1)],
    )
    r = solve(case, objective=objective_kind)
    assert r.outcome.objective == approx(objective)
    assert states(r) == {"A": ("running",)}
    expected = {("A", "C1", "P1"): 100}
    if not short:
        expected[("A", "C2", "P1")] = 50
    assert flows(r) == approx(expected)
    assert unmet(r) == approx(short)


@pytest.mark.parametrize(("objective_kind", "objective"), [("cost", 350), ("margin", 110)])
def test_metal_content_and_price(objective_kind, objective):
    # W holds 0.5 lb copper per lb; copper 3.0 + premium 0.2 = 3.2 per lb; routing yield 0.8,
    # so a unit shipped takes 1.25 units: metal 0.5·3.2·1.25 = 2.0 per unit, variable
    # 1.25·0.8 = 1.0 per unit.
    # C1 (metal plus adder 2): revenue 0.5·3.2 + 2 = 3.6, cost 3.0 per unit, 100 units.
    # C2 (same, tolled: brings its copper): revenue 2, cost 1.0 per unit, 50 units.
    # cost = 100·3 + 50·1 = 350; margin = 100·0.6 + 50·1 = 110
    rows = [
        demand("C1", "P1", 100, price_basis="metal_plus_adder", price=None,
               conversion_adder=2.0),
        demand("C2", "P1", 50, price_basis="metal_plus_adder", price=None,
               conversion_adder=2.0, tolled=True),
    ]  # fmt: skip
    case = tiny_case(
        [plant("A", variable=0.8)],
        rows,
        routing=[("line", 1.0, 0.8)],
        product={"copper_per_unit": 0.5},
        copper_price=3.0,
        copper_premium=0.2,
    )
    r = solve(case, objective=objective_kind)
    assert r.outcome.objective == approx(objective)
    assert flows(r) == approx({("A", "C1", "P1"): 100, ("A", "C2", "P1"): 50})
    assert unmet(r) == {}
    per_unit = {
        row["customer"]: (row["variable"], row["metal"], row["revenue"])
        for row in r.tables["flows"].iter_rows(named=True)
    }
    assert per_unit == {"C1": approx((1.0, 2.0, 3.6)), "C2": approx((1.0, 0.0, 2.0))}
    metal = r.tables["metal"].select("metal", "period", "mass", "cost").rows()
    assert metal == [("copper", "P1", approx(62.5), approx(200.0))]
