"""The decision in a planner's words: what changes, where customers go, what it saves."""

from __future__ import annotations

import polars as pl

from millnet.report.format import and_list as _and
from millnet.report.format import mass as _mass
from millnet.report.format import money as _money
from millnet.report.format import plural
from millnet.results.kpis import compute
from millnet.results.results import Results

VERBS = {"idle": "Idle", "restart": "Restart", "close": "Close"}


def names(results: Results, kind: str = "plant") -> dict[str, str]:
    """Plant (or customer) id → the name people use, from the ``places`` table; ids stand for
    themselves when a plan carries no places (results written before places existed)."""
    places = results.tables.get("places")
    if places is None or places.height == 0:
        return {}
    chosen = places.filter(pl.col("kind") == kind)
    return dict(zip(chosen["id"].to_list(), chosen["name"].to_list(), strict=True))


def story(results: Results) -> list[str]:
    """Sentences telling the plan, most important first."""
    if not results.tables:
        return [f"No plan: {results.outcome.termination}.", *results.explanation]
    states = results["plant_states"]
    planned = states.filter(pl.col("planned"))
    periods = planned["period"].unique(maintain_order=True).to_list()
    plants = states["plant"].unique(maintain_order=True).to_list()
    transitions = results["transitions"]
    named = names(results)
    transitions = transitions.with_columns(
        pl.col("plant").replace_strict(named, default=pl.col("plant"), return_dtype=pl.String)
    )
    lines: list[str] = []
    span = f"{periods[0]}–{periods[-1]}" if periods else ""
    if transitions.height == 0:
        lines.append(f"Over {span}, every one of the {len(plants)} plants keeps its state.")
    else:
        changed = transitions["plant"].unique(maintain_order=True).to_list()
        first = transitions.sort("period").row(0, named=True)
        same_time = transitions.filter(pl.col("period") == first["period"])
        by_verb = same_time.group_by("transition", maintain_order=True).agg(pl.col("plant"))
        head = "; ".join(
            f"{VERBS.get(r['transition'], r['transition'])} {_and(r['plant'])}"
            for r in by_verb.iter_rows(named=True)
        )
        others = len(plants) - len(changed)
        lines.append(
            f"{head} in {first['period']}; the other {others} plants keep their state "
            f"through {periods[-1]}."
        )
        for r in transitions.sort("period", "plant").iter_rows(named=True):
            if r["period"] == first["period"]:
                continue
            verb = VERBS.get(r["transition"], r["transition"])
            lines.append(f"{verb} {r['plant']} in {r['period']}.")
    moves = results.tables.get("moves")
    if moves is not None and moves.height:
        moves = moves.with_columns(
            pl.col(c).replace_strict(named, default=pl.col(c), return_dtype=pl.String)
            for c in ("from_plant", "to_plant")
        )
    stopped = (
        transitions.filter(pl.col("to_state") != "running")
        .sort("period", "plant")["plant"]
        .unique(maintain_order=True)
        .to_list()
    )
    if moves is not None and moves.height and stopped:
        for plant in stopped:
            moved = moves.filter(pl.col("from_plant") == plant)
            if moved.height == 0:
                continue
            targets = (
                moved.group_by("to_plant")
                .agg(pl.col("quantity").sum())
                .sort("quantity", descending=True)
            )
            total = targets["quantity"].sum()
            shares = ", ".join(
                f"{r['to_plant']} ({r['quantity'] / total:.0%})"
                for r in targets.head(5).iter_rows(named=True)
            )
            more = f" and {targets.height - 5} more" if targets.height > 5 else ""
            customers = plural(moved["customer"].n_unique(), "customer")
            verb = "is" if customers.startswith("1 ") else "are"
            lines.append(
                f"{plant}'s {customers} ({_mass(total, results.mass_unit)}) {verb} "
                f"served from {shares}{more}."
            )
    savings = compute(results, "savings")
    if savings.height:
        s = savings.row(0, named=True)
        lines.append(
            f"Against keeping every plant running, the plan saves "
            f"{_money(s['savings'], results.currency)} over {span} "
            f"({s['savings'] / abs(s['all_running']):.1%} of "
            f"{_money(s['all_running'], results.currency)})."
        )
    unmet = results["unmet"]
    if unmet.height:
        lines.append(
            f"Demand left unmet: {_mass(unmet['unmet'].sum(), results.mass_unit)} in "
            f"{unmet.height} demand rows."
        )
    else:
        lines.append("All demand is served.")
    exposure = compute(results, "metal_exposure")
    copper = exposure.filter(pl.col("metal") == "copper")
    if copper.height:
        c = copper.row(0, named=True)
        lines.append(
            f"A 10 % rise in copper adds {_money(c['cost_change'], results.currency)} of metal "
            f"cost and {_money(c['revenue_change'], results.currency)} of metal-indexed revenue "
            f"(margin {_money(c['margin_change'], results.currency)})."
        )
    return lines
