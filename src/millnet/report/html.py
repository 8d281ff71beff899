"""The HTML report: one self-contained file that works offline.

Scripts (Leaflet, plotly.js, the page's own), styles and the country boundaries are inlined, and
the page never asks the network for anything (no CDN, no map tiles), so it can be mailed to a
plant manager or opened on a plane. Its content is drawn from Results and the KPI registry only.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import polars as pl
from markupsafe import Markup

from millnet.report import charts
from millnet.report.assets import asset_text
from millnet.report.format import mass, money, plural, share
from millnet.report.maps import TOP_FLOWS, map_data
from millnet.report.story import names, story
from millnet.report.tables import html_table
from millnet.results.kpis import compute
from millnet.results.results import Results

#: Rows shown in the long tables of the page (all rows are in the workbook).
TABLE_ROWS = 200

_TEMPLATES = files("millnet.report") / "templates"


def _version() -> str:
    try:
        return version("millnet")
    except PackageNotFoundError:
        return "(development)"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template_text(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def _script(text: str) -> Markup:
    """JavaScript safe to inline: a literal ``</script`` would end the element early."""
    return Markup(text.replace("</script", "<\\/script"))


def _finite(value: Any) -> Any:
    """JSON for the browser has no NaN or infinity: they become null (a gap in a chart)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _json(document: Any) -> Markup:
    text = json.dumps(_finite(document), separators=(",", ":"), allow_nan=False)
    # inside <script>, "</" and "<!--" must not appear; "\/" and "\u003c" are the same JSON
    return Markup(text.replace("</", "<\\/").replace("<!--", "\\u003c!--"))


def _rename(frame: pl.DataFrame, columns: list[str], mapping: dict[str, str]) -> pl.DataFrame:
    if not mapping:
        return frame
    return frame.with_columns(
        pl.col(c).replace_strict(mapping, default=pl.col(c), return_dtype=pl.String)
        for c in columns
    )


def _cards(results: Results) -> list[dict[str, str]]:
    outcome = results.outcome
    currency = results.currency
    cards: list[dict[str, str]] = []
    margin = results.options.get("objective") == "margin"
    gap = "" if outcome.gap is None else f"; gap {outcome.gap:.2%}"
    cards.append(
        {
            "label": "Plan margin" if margin else "Plan cost",
            "value": "–" if outcome.objective is None else money(outcome.objective, currency),
            "note": f"{outcome.status.value}{gap}",
            "tone": "" if outcome.status.has_plan else "bad",
        }
    )
    if not results.tables:
        return cards
    savings = compute(results, "savings")
    if savings.height:
        s = savings.row(0, named=True)
        cards.append(
            {
                "label": "All plants running",
                "value": money(s["all_running"], currency),
                "note": "every plant that can run keeps running",
                "tone": "",
            }
        )
        cards.append(
            {
                "label": "Extra margin" if margin else "Savings",
                "value": money(s["savings"], currency),
                "note": f"{share(s['savings'] / abs(s['all_running']))} of the all-running plan"
                if s["all_running"]
                else "",
                "tone": "good" if s["savings"] > 0 else "",
            }
        )
    transitions = results["transitions"]
    counts = transitions.group_by("transition").len()
    verbs = {"idle": "idled", "restart": "restarted", "close": "closed"}
    parts = [
        f"{n} {verbs.get(t, t)}"
        for t, n in sorted(zip(counts["transition"], counts["len"], strict=True))
    ]
    cards.append(
        {
            "label": "Plant decisions",
            "value": ", ".join(parts) if parts else "no change",
            "note": plural(results["plant_states"]["plant"].n_unique(), "plant") + " in all",
            "tone": "warn" if parts else "",
        }
    )
    served = compute(results, "unmet_demand")
    unmet = float(served["unmet"].sum()) if served.height else 0.0
    total = unmet + (float(served["shipped"].sum()) if served.height else 0.0)
    cards.append(
        {
            "label": "Demand served",
            "value": share(1 - unmet / total) if total else "–",
            "note": f"{mass(unmet, results.mass_unit)} unmet" if unmet else "all demand served",
            "tone": "bad" if unmet else "good",
        }
    )
    moves = results.tables.get("moves")
    if moves is not None:
        cards.append(
            {
                "label": "Customer moves",
                "value": f"{moves.height:,}",
                "note": f"demand rows ({mass(float(moves['quantity'].sum()), results.mass_unit)})"
                " served from another plant"
                if moves.height
                else "every customer keeps its plant",
                "tone": "",
            }
        )
    return cards


def _cost_by_term(results: Results) -> Markup:
    terms = compute(results, "cost_by_term")
    total = float(terms["amount"].sum())
    frame = terms.select(
        pl.col("term").replace_strict(
            charts.TERM_LABELS, default=pl.col("term"), return_dtype=pl.String
        ),
        pl.col("amount").alias("plan"),
        (pl.col("amount") / total if total else pl.lit(None, pl.Float64)).alias("share"),
    )
    reference = results.tables.get("reference_costs")
    headers = {"term": "term", "plan": f"plan [{results.currency}]", "share": "share [%]"}
    kinds: dict[str, str | None] = {"plan": "money", "share": "share"}
    if reference is not None and reference.height:
        ref = reference.group_by("term").agg(pl.col("amount").sum().alias("all_running"))
        ref = ref.with_columns(
            pl.col("term").replace_strict(
                charts.TERM_LABELS, default=pl.col("term"), return_dtype=pl.String
            )
        )
        frame = (
            frame.join(ref, on="term", how="full", coalesce=True)
            .with_columns(pl.col("plan").fill_null(0.0), pl.col("all_running").fill_null(0.0))
            .with_columns((pl.col("plan") - pl.col("all_running")).alias("change"))
            .select("term", "all_running", "plan", "change", "share")
        )
        headers |= {
            "all_running": f"all running [{results.currency}]",
            "change": f"change [{results.currency}]",
        }
        kinds |= {"all_running": "money", "change": "money"}
    return html_table(
        frame, "costs", results.currency, results.mass_unit, headers=headers, kinds=kinds
    )


def _cost_by_plant(results: Results) -> Markup:
    by_plant = compute(results, "cost_by_plant")
    if by_plant.height == 0:
        return html_table(by_plant, "costs", results.currency, results.mass_unit)
    periods = by_plant["period"].unique(maintain_order=True).sort().to_list()
    wide = (
        by_plant.pivot(on="period", index="plant", values="amount")
        .with_columns(pl.col(p).fill_null(0.0) for p in periods)
        .with_columns(pl.sum_horizontal(periods).alias("total"))
        .select("plant", *periods, "total")
        .sort("total", descending=True)
    )
    wide = _rename(wide, ["plant"], names(results))
    money_columns = [*periods, "total"]
    return html_table(
        wide,
        "costs",
        results.currency,
        results.mass_unit,
        headers={c: f"{c} [{results.currency}]" for c in money_columns},
        kinds=dict.fromkeys(money_columns, "money"),
    )


def _moves(results: Results) -> tuple[Markup | None, Markup | None]:
    moves = results.tables.get("moves")
    if moves is None or moves.height == 0:
        return None, None
    plants = names(results)
    customers = names(results, "customer")
    summary = (
        moves.group_by("from_plant", "to_plant")
        .agg(
            pl.col("customer").n_unique().alias("customers"),
            pl.len().alias("rows"),
            pl.col("quantity").sum(),
        )
        .sort("quantity", "from_plant", "to_plant", descending=[True, False, False])
    )
    summary = _rename(summary, ["from_plant", "to_plant"], plants)
    detail = moves.sort("quantity", descending=True)
    detail = _rename(_rename(detail, ["from_plant", "to_plant"], plants), ["customer"], customers)
    unit = results.mass_unit
    return (
        html_table(
            summary,
            "moves",
            results.currency,
            unit,
            headers={"from_plant": "from", "to_plant": "to", "rows": "demand rows"},
            kinds={"customers": "count", "rows": "count"},
        ),
        html_table(detail, "moves", results.currency, unit, limit=TABLE_ROWS),
    )


def _unmet(results: Results) -> Markup | None:
    unmet = results["unmet"]
    if unmet.height == 0:
        return None
    rows = (
        unmet.select(
            "customer",
            "product",
            "period",
            "quantity",
            "unmet",
            (pl.col("unmet") / pl.col("quantity")).alias("share"),
        )
        .sort("unmet", descending=True)
        .pipe(_rename, ["customer"], names(results, "customer"))
    )
    return html_table(
        rows,
        "unmet",
        results.currency,
        results.mass_unit,
        limit=TABLE_ROWS,
        headers={"share": "unmet share [%]", "quantity": f"ordered [{results.mass_unit}]"},
        kinds={"share": "share"},
    )


def _exposure(results: Results) -> Markup:
    table = compute(results, "metal_exposure")
    c, m = results.currency, results.mass_unit
    return html_table(
        table,
        "metal",
        c,
        m,
        headers={
            "mass": f"shipped [{m}]",
            "cost_change": f"metal cost [{c}]",
            "revenue_change": f"indexed revenue [{c}]",
            "margin_change": f"margin [{c}]",
        },
        kinds={
            "mass": "mass",
            "cost_change": "money",
            "revenue_change": "money",
            "margin_change": "money",
        },
        empty="The plan ships no metal.",
    )


def _option_text(value: object) -> str:
    if isinstance(value, tuple | list):
        return f"{len(value)} forced" if value else "none"
    return "default" if value is None else str(value)


def _facts(results: Results, generated: str) -> list[tuple[str, str]]:
    outcome = results.outcome
    facts = [
        ("case", results.case_name),
        ("case fingerprint", results.case_fingerprint),
        ("scenario", results.scenario or "base"),
        ("status", f"{outcome.status.value} ({outcome.termination})"),
        (
            "objective",
            "–" if outcome.objective is None else f"{outcome.objective:,.0f} {results.currency}",
        ),
        ("bound", "–" if outcome.bound is None else f"{outcome.bound:,.0f} {results.currency}"),
        ("gap", "–" if outcome.gap is None else f"{outcome.gap:.4%}"),
        ("solver", outcome.solver),
        ("currency, mass unit", f"{results.currency}, {results.mass_unit}"),
        ("report made", generated),
    ]
    facts += [(f"time: {k.removesuffix('_s')}", f"{v:.2f} s") for k, v in results.timings.items()]
    return facts


def render_html(
    results: Results, *, top_flows: int = TOP_FLOWS, generated: datetime | None = None
) -> str:
    """The report of ``results`` as one HTML document (a string); ``top_flows`` bounds the
    flows drawn on the map per period."""
    generated = generated or datetime.now().astimezone()
    stamp = generated.strftime("%Y-%m-%d %H:%M %Z").strip()
    has_plan = bool(results.tables)
    title = f"Network plan — {results.case_name}"
    subtitle = [results.case_name]
    if results.scenario:
        subtitle.append(f"scenario {results.scenario}")
    history = False
    chart_figures: dict[str, Any] = {}
    context: dict[str, Any] = {}
    if has_plan:
        states = results["plant_states"]
        planned = states.filter(pl.col("planned"))["period"].unique(maintain_order=True)
        history = bool(states.filter(~pl.col("planned")).height)
        if planned.len():
            subtitle.append(f"planned {planned[0]}–{planned[-1]}")
        steps = charts.bridge_steps(results)
        chart_figures = {
            "chart-timeline": charts.state_timeline(results),
            "chart-terms": charts.cost_by_term_bars(results),
            "chart-utilisation": charts.utilisation_heatmap(results),
        }
        if steps.height:
            chart_figures["chart-bridge"] = charts.cost_bridge(results)
        unmet_rows = _unmet(results)
        if unmet_rows is not None:
            chart_figures["chart-unmet"] = charts.unmet_by_period(results)
        moves_summary, moves_detail = _moves(results)
        qualifications = results.tables.get("qualifications")
        if steps.height and "reference_costs" in results.tables:
            bridge_note = (
                "The cost of keeping every plant running, then each term's change in this plan "
                "(red: the term costs more, green: less), down to the plan's cost. The axis "
                "does not start at zero."
            )
        elif steps.height:
            bridge_note = (
                "The cost of keeping every plant running, the savings of this plan, and the "
                "plan's cost (the axis does not start at zero). These results do not hold the "
                "all-running plan's cost by term, so the savings are one step; the plan's own "
                "terms are below."
            )
        elif results.options.get("objective") == "margin":
            bridge_note = (
                "A margin plan: its cost by term is below; the extra margin it earns against "
                "keeping every plant running is in the summary."
            )
        else:
            bridge_note = (
                "The plan's cost by term. These results hold no all-running plan to compare "
                "with (solved without the reference)."
            )
        context |= {
            "cost_by_term": _cost_by_term(results),
            "cost_by_plant": _cost_by_plant(results),
            "moves_summary": moves_summary,
            "moves_detail": moves_detail,
            "unmet_rows": unmet_rows,
            "exposure": _exposure(results),
            "metal": html_table(
                results["metal"], "metal", results.currency, results.mass_unit, limit=TABLE_ROWS
            ),
            "qualifications": html_table(
                qualifications, "qualifications", results.currency, results.mass_unit
            )
            if qualifications is not None and qualifications.height
            else None,
            "bridge_note": bridge_note,
            "has_bridge": bool(steps.height),
        }
    subtitle += [results.outcome.status.value, f"made {stamp}"]
    geo = map_data(results, top=top_flows) if has_plan else None
    toc = [("summary", "Summary")]
    if has_plan:
        toc += [
            ("map-section", "Map"),
            ("timeline", "Plant states"),
            ("costs", "Costs"),
            ("utilisation", "Utilisation"),
            ("moves", "Customer moves"),
            ("unmet", "Unmet demand"),
            ("metal", "Metal"),
        ]
    toc.append(("about", "About"))
    page = _environment().get_template("report.html.j2")
    return page.render(
        title=title,
        subtitle=subtitle,
        toc=toc,
        version=_version(),
        generated=stamp,
        cards=_cards(results),
        story=story(results),
        has_plan=has_plan,
        has_map=geo is not None,
        history=history,
        state_colours=charts.STATE_COLOURS,
        facts=_facts(results, stamp),
        options=[(k, _option_text(v)) for k, v in results.options.items()],
        data_json=_json({"charts": chart_figures, "map": geo}),
        leaflet_css=Markup(asset_text("leaflet.css")),
        report_css=Markup(_template_text("report.css")),
        leaflet_js=_script(asset_text("leaflet.js")),
        plotly_js=_script(asset_text("plotly.js")),
        report_js=_script(_template_text("report.js")),
        **context,
    )


def write_html(results: Results, path: str | Path, **options: Any) -> Path:
    """Write the report of ``results`` to ``path`` (see :func:`render_html`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(results, **options), encoding="utf-8")
    return path
