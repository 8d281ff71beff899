"""Plotly figures (plain ``{"data", "layout"}`` dicts) drawn from Results and the KPI registry.

Plain dicts rather than ``plotly.graph_objects``: they serialise to the JSON plotly.js reads
without importing the Python package, and they only use trace types of the vendored cartesian
bundle (bar, heatmap), which is why the cost bridge is bars on a moving base, not a waterfall.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from millnet.report.format import money
from millnet.report.story import names
from millnet.results.kpis import compute
from millnet.results.results import Results

Figure = dict[str, Any]

#: Colours of the plant states, shared by the timeline, the map and the page's legend.
STATE_COLOURS = {"running": "#2e7d32", "idle": "#f2a900", "closed": "#c62828"}
#: History periods (before the plan) in paler shades of the same colours.
HISTORY_COLOURS = {"running": "#a5d6a7", "idle": "#ffe08a", "closed": "#ef9a9a"}
_STATES = tuple(STATE_COLOURS)

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12}

#: Readable names of the cost terms in ``costs``.
TERM_LABELS = {
    "fixed_running": "Fixed (running)",
    "fixed_idle": "Fixed (idle)",
    "idle": "Idling",
    "restart": "Restarts",
    "close": "Closures",
    "variable": "Variable",
    "freight": "Freight",
    "duty": "Duty",
    "metal": "Metal",
    "qualification": "Qualification",
    "unmet_penalty": "Unmet penalty",
}


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    return {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
        "font": FONT,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        **extra,
    }


def _discrete_scale(colours: list[str]) -> list[list[Any]]:
    """A stepped colour scale: value k (0 ≤ k < n) is drawn in ``colours[k]``."""
    n = len(colours)
    scale: list[list[Any]] = []
    for k, colour in enumerate(colours):
        scale += [[k / n, colour], [(k + 1) / n, colour]]
    return scale


def state_timeline(results: Results) -> Figure:
    """Plant × period heatmap of states; history periods pale, each change of state labelled
    with its transition (IDLE, RESTART, CLOSE) in the period it takes effect."""
    states = results["plant_states"]
    named = names(results)
    plants = states["plant"].unique(maintain_order=True).to_list()
    periods = states["period"].unique(maintain_order=True).to_list()
    changes = {
        (r["plant"], r["period"]): r["transition"].upper()
        for r in results["transitions"].iter_rows(named=True)
    }
    cells = {
        (r["plant"], r["period"]): (r["state"], r["planned"]) for r in states.iter_rows(named=True)
    }
    z: list[list[int | None]] = []
    text: list[list[str]] = []
    for plant in plants:
        zrow: list[int | None] = []
        trow: list[str] = []
        for period in periods:
            state, planned = cells.get((plant, period), (None, True))
            if state is None:
                zrow.append(None)
                trow.append("")
                continue
            zrow.append(_STATES.index(state) + (0 if planned else len(_STATES)))
            trow.append(changes.get((plant, period), state if planned else ""))
        z.append(zrow)
        text.append(trow)
    colours = [STATE_COLOURS[s] for s in _STATES] + [HISTORY_COLOURS[s] for s in _STATES]
    first_planned = next(
        (i for i, p in enumerate(periods) if cells.get((plants[0], p), (None, True))[1]), 0
    )
    shapes = []
    if first_planned > 0:
        shapes.append(
            {
                "type": "line",
                "x0": first_planned - 0.5,
                "x1": first_planned - 0.5,
                "y0": -0.5,
                "y1": len(plants) - 0.5,
                "line": {"color": "#37474f", "width": 2, "dash": "dot"},
            }
        )
    labels = [named.get(p, p) for p in plants]
    return {
        "data": [
            {
                "type": "heatmap",
                "x": periods,
                "y": labels,
                "z": z,
                "text": text,
                "texttemplate": "%{text}",
                "textfont": {"size": 10, "color": "#ffffff"},
                "hovertemplate": "%{y}<br>%{x}: %{text}<extra></extra>",
                "colorscale": _discrete_scale(colours),
                # value k sits in the middle of the k-th colour band
                "zmin": -0.5,
                "zmax": len(colours) - 0.5,
                "showscale": False,
                "xgap": 2,
                "ygap": 2,
            }
        ],
        "layout": _layout(
            max(160, 28 * len(plants) + 60),
            xaxis={"type": "category", "side": "top", "tickangle": 0},
            yaxis={"type": "category", "autorange": "reversed", "automargin": True},
            shapes=shapes,
            margin={"l": 10, "r": 10, "t": 40, "b": 10},
        ),
    }


def _share(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def utilisation_heatmap(results: Results) -> Figure:
    """(Plant · resource) × planned period heatmap of the used share of capacity."""
    table = compute(results, "utilisation")
    named = names(results)
    periods = table["period"].unique(maintain_order=True).to_list()
    keys = table.select("plant", "resource").unique(maintain_order=True)
    rows = [(r["plant"], r["resource"]) for r in keys.iter_rows(named=True)]
    values = {
        (r["plant"], r["resource"], r["period"]): r["utilisation"]
        for r in table.iter_rows(named=True)
    }
    # a resource with no capacity has no share used: a blank cell, not "nan%"
    z = [[_share(values.get((p, res, t))) for t in periods] for p, res in rows]
    text = [["" if v is None else f"{v:.0%}" for v in zrow] for zrow in z]
    labels = [f"{named.get(p, p)} · {res}" for p, res in rows]
    return {
        "data": [
            {
                "type": "heatmap",
                "x": periods,
                "y": labels,
                "z": z,
                "text": text,
                "texttemplate": "%{text}" if len(periods) * len(rows) <= 1500 else "",
                "textfont": {"size": 10},
                "hovertemplate": "%{y}<br>%{x}: %{text} of capacity<extra></extra>",
                "colorscale": [
                    [0.0, "#f5f7fa"],
                    [0.5, "#90caf9"],
                    [0.85, "#1e88e5"],
                    [1.0, "#0d47a1"],
                ],
                "zmin": 0,
                "zmax": 1,
                "colorbar": {"tickformat": ".0%", "thickness": 12, "len": 0.8},
                "xgap": 1,
                "ygap": 1,
            }
        ],
        "layout": _layout(
            max(160, 20 * len(rows) + 60),
            xaxis={"type": "category", "side": "top", "tickangle": 0},
            yaxis={"type": "category", "autorange": "reversed", "automargin": True},
            margin={"l": 10, "r": 10, "t": 40, "b": 10},
        ),
    }


def bridge_steps(results: Results) -> pl.DataFrame:
    """The steps of the cost bridge from the all-running plan to this plan: ``label``, ``kind``
    (total | delta), ``amount``.

    With per-term costs of the all-running plan (a ``reference_costs`` table): the all-running
    total, the change of every term (plan − all running, largest first) and the plan total.
    Without them (only the reference objective is known): the all-running total, the savings as
    one step, and the plan total. Empty when there is nothing to bridge: no reference plan, or a
    margin plan (its objective is not a cost).
    """
    schema = {"label": pl.String, "kind": pl.String, "amount": pl.Float64}
    savings = compute(results, "savings")
    if results.options.get("objective", "cost") != "cost" or savings.height == 0:
        return pl.DataFrame(schema=schema)
    plan_terms = compute(results, "cost_by_term")
    reference_costs = results.tables.get("reference_costs")
    plan_total = float(plan_terms["amount"].sum())
    rows: list[tuple[str, str, float]] = []
    if reference_costs is not None and reference_costs.height:
        ref_terms = reference_costs.group_by("term").agg(pl.col("amount").sum())
        deltas = (
            ref_terms.join(plan_terms, on="term", how="full", coalesce=True, suffix="_plan")
            .select(
                "term",
                (pl.col("amount_plan").fill_null(0.0) - pl.col("amount").fill_null(0.0)).alias(
                    "delta"
                ),
            )
            .filter(pl.col("delta").abs() > 0.5)
            .sort(pl.col("delta").abs(), "term", descending=[True, False])
        )
        rows.append(("All plants running", "total", float(ref_terms["amount"].sum())))
        rows += [
            (TERM_LABELS.get(r["term"], r["term"]), "delta", r["delta"])
            for r in deltas.iter_rows(named=True)
        ]
    else:
        s = savings.row(0, named=True)
        rows.append(("All plants running", "total", s["all_running"]))
        rows.append(("Savings", "delta", plan_total - s["all_running"]))
    rows.append(("Plan", "total", plan_total))
    return pl.DataFrame(rows, schema=schema, orient="row")


def _bridge_range(levels: list[float]) -> list[float]:
    """A y range around the levels the bridge moves between, so that changes of a few percent
    of a large total stay visible (the axis then does not start at zero, as bridges do)."""
    low, high = min(levels), max(levels)
    span = high - low or abs(high) * 0.05 or 1.0
    return [max(0.0, low - 0.6 * span), high + 0.35 * span]


def cost_bridge(results: Results) -> Figure:
    """The bridge of :func:`bridge_steps` as bars on a moving base: totals in grey, cost
    increases in red and decreases in green, each labelled with its amount; the y axis zoomed
    on the levels the bridge passes through."""
    steps = bridge_steps(results)
    currency = results.currency
    base: list[float] = []
    height: list[float] = []
    colours: list[str] = []
    levels: list[float] = []
    running = 0.0
    for r in steps.iter_rows(named=True):
        if r["kind"] == "total":
            base.append(0.0)
            height.append(r["amount"])
            running = r["amount"]
            colours.append("#546e7a")
        else:
            base.append(running)
            height.append(r["amount"])
            running += r["amount"]
            colours.append("#c62828" if r["amount"] > 0 else "#2e7d32")
        levels.append(running)
    text = [
        money(a, currency) if k == "total" else ("+" if a > 0 else "") + money(a, currency)
        for a, k in zip(steps["amount"], steps["kind"], strict=True)
    ]
    return {
        "data": [
            {
                "type": "bar",
                "x": steps["label"].to_list(),
                "y": height,
                "base": base,
                "marker": {"color": colours},
                "text": text,
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{x}: %{text}<extra></extra>",
            }
        ],
        "layout": _layout(
            340,
            xaxis={"type": "category", "automargin": True},
            yaxis={
                "title": {"text": currency},
                "tickformat": "~s",
                "range": _bridge_range(levels) if levels else None,
            },
            margin={"l": 60, "r": 10, "t": 30, "b": 10},
            showlegend=False,
        ),
    }


def cost_by_term_bars(results: Results) -> Figure:
    """The plan's cost by term as horizontal bars, largest on top, each labelled."""
    terms = compute(results, "cost_by_term")
    labels = [TERM_LABELS.get(t, t) for t in terms["term"]]
    amounts = terms["amount"].to_list()
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": amounts,
                "marker": {"color": "#7aa6d6"},
                "text": [money(a, results.currency) for a in amounts],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{y}: %{text}<extra></extra>",
            }
        ],
        "layout": _layout(
            max(160, 30 * len(labels) + 50),
            xaxis={"title": {"text": results.currency}, "tickformat": "~s"},
            yaxis={"type": "category", "autorange": "reversed", "automargin": True},
            margin={"l": 10, "r": 70, "t": 10, "b": 40},
            showlegend=False,
        ),
    }


def unmet_by_period(results: Results) -> Figure:
    """Served and unmet quantity by period, stacked."""
    table = compute(results, "unmet_demand")
    periods = table["period"].to_list()
    unit = results.mass_unit
    return {
        "data": [
            {
                "type": "bar",
                "name": "served",
                "x": periods,
                "y": table["shipped"].to_list(),
                "marker": {"color": "#90a4ae"},
                "hovertemplate": f"%{{x}}: %{{y:,.0f}} {unit} served<extra></extra>",
            },
            {
                "type": "bar",
                "name": "unmet",
                "x": periods,
                "y": table["unmet"].to_list(),
                "marker": {"color": "#c62828"},
                "hovertemplate": f"%{{x}}: %{{y:,.0f}} {unit} unmet<extra></extra>",
            },
        ],
        "layout": _layout(
            260,
            barmode="stack",
            xaxis={"type": "category"},
            yaxis={"title": {"text": unit}, "tickformat": "~s"},
            legend={"orientation": "h", "y": 1.12},
            margin={"l": 60, "r": 10, "t": 30, "b": 30},
        ),
    }
