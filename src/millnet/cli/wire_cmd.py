"""`millnet wire`: metal content, resistance and metal cost of one conductor."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from millnet.cli._common import console, print_json
from millnet.errors import UsageError
from millnet.wire import (
    METAL_NAMES,
    CoatingSpec,
    ConductorContent,
    Construction,
    coating_kind,
    format_gauge,
    parse_coating,
    parse_construction,
    parse_price_list,
    price_build_up,
    wire_content,
)
from millnet.wire.constants import MM_PER_IN
from millnet.wire.cost import metal_costs


def _coating_spec(
    coating: str | None,
    coating_class: str | None,
    weight_pct: float | None,
    thickness_uin: float | None,
) -> CoatingSpec:
    given = {
        "--class": coating_class,
        "--weight-pct": weight_pct,
        "--thickness-uin": thickness_uin,
    }
    named = [option for option, value in given.items() if value is not None]
    if coating is None:
        if named:
            raise UsageError(f"{named[0]} needs --coating (tin, silver or nickel)")
        return parse_coating(None)
    kind = coating_kind(coating)
    if len(named) > 1:
        raise UsageError(f"{' and '.join(named)} both given; use one of them")
    if kind == "bare" and named:
        raise UsageError(f"{named[0]} given with --coating {coating}; a bare wire has no coating")
    if kind != "bare" and not named:
        classes = "--class, " if kind in ("silver", "nickel") else ""
        raise UsageError(f"--coating {kind} needs {classes}--weight-pct or --thickness-uin")
    return parse_coating(kind, coating_class, weight_pct=weight_pct, thickness_uin=thickness_uin)


def _report(
    construction: Construction,
    spec: CoatingSpec,
    content: ConductorContent,
    *,
    outside: bool,
    rounded_diameter: bool,
    temperature_c: float,
) -> dict[str, Any]:
    values = {name: float(value) for name, value in content.as_dict().items()}
    report: dict[str, Any] = {
        "construction": construction.label,
        "gauge": None if construction.gauge is None else format_gauge(construction.gauge),
        "strands": construction.strands,
        "strand_gauge": format_gauge(construction.strand_gauge),
        "lay_factor": values["lay_factor"],
        "coating": spec.kind,
        "coating_class": spec.class_name,
        "coating_convention": "outside" if outside else "inside",
        "rounded_diameter": rounded_diameter,
        "diameter_in": values["diameter_in"],
        "diameter_mm": values["diameter_in"] * MM_PER_IN,
    }
    for name in (
        "strand_diameter_in",
        "copper_strand_diameter_in",
        "finished_strand_diameter_in",
        "area_cmil",
        "area_in2",
        "area_mm2",
        "copper_area_cmil",
        "coating_area_cmil",
        "coating_weight_pct",
        "coating_thickness_uin",
        *(f"{metal}_lb_per_kft" for metal in METAL_NAMES),
        "total_lb_per_kft",
        "silver_ozt_per_kft",
        *(f"{metal}_lb_per_lb" for metal in METAL_NAMES),
        "ft_per_lb",
        "resistance_ohm_per_kft_20c",
        "resistance_ohm_per_lb_20c",
    ):
        report[name] = values[name]
    report["temperature_c"] = temperature_c
    report["resistance_ohm_per_kft_at_temperature"] = float(
        content.resistance_ohm_per_kft(temperature_c)
    )
    return report


def _cost(
    content: ConductorContent,
    *,
    prices: str | None,
    premiums: str | None,
    yield_loss: float,
    adder: float,
    tolled: bool,
) -> dict[str, Any]:
    price_list = parse_price_list(prices or "")
    premium_list = parse_price_list(premiums or "", what="premium")
    masses = content.masses_lb_per_kft()
    options = {"premiums": premium_list, "yield_loss": yield_loss, "tolled": tolled}
    by_metal = metal_costs(masses, price_list, **options)
    build = price_build_up(masses, price_list, conversion_adder_per_lb=adder, **options)
    return {
        "prices_usd_per_lb": price_list,
        "premiums_usd_per_lb": premium_list,
        "yield_loss": yield_loss,
        "tolled": tolled,
        "conversion_adder_per_lb": adder,
        "metal_cost_by_metal_per_kft": {metal: float(c) for metal, c in by_metal.items()},
        "metal_cost_per_kft": float(build.metal_cost),
        "metal_cost_per_lb": float(build.metal_cost_per_lb),
        "conversion_per_kft": float(build.conversion),
        "price_per_kft": float(build.price),
        "price_per_lb": float(build.price_per_lb),
    }


_ROWS = (
    ("construction", "construction", "", "{}"),
    ("strands", "strands", "", "{}"),
    ("strand_gauge", "strand gauge", "AWG", "{}"),
    ("lay_factor", "lay factor k", "", "{:.3f}"),
    ("strand_diameter_in", "strand diameter (stated)", "in", "{:.5f}"),
    ("diameter_in", "conductor diameter", "in", "{:.5f}"),
    ("area_cmil", "area N·d²", "cmil", "{:,.1f}"),
    ("area_mm2", "area", "mm²", "{:.4f}"),
    ("coating", "coating", "", "{}"),
    ("coating_convention", "coating placed", "", "{} the stated diameter"),
    ("coating_weight_pct", "coating weight", "%", "{:.3f}"),
    ("coating_thickness_uin", "coating thickness", "µin", "{:.1f}"),
    ("copper_lb_per_kft", "copper", "lb/kft", "{:.4f}"),
    ("silver_lb_per_kft", "silver", "lb/kft", "{:.4f}"),
    ("silver_ozt_per_kft", "silver", "troy oz/kft", "{:.4f}"),
    ("nickel_lb_per_kft", "nickel", "lb/kft", "{:.4f}"),
    ("tin_lb_per_kft", "tin", "lb/kft", "{:.4f}"),
    ("total_lb_per_kft", "total", "lb/kft", "{:.4f}"),
    ("ft_per_lb", "length", "ft/lb", "{:.2f}"),
    ("resistance_ohm_per_kft_20c", "resistance at 20 °C", "Ω/kft", "{:.4g}"),
    ("resistance_ohm_per_kft_at_temperature", "resistance at T", "Ω/kft", "{:.4g}"),
    ("metal_cost_per_kft", "metal cost", "USD/kft", "{:,.4f}"),
    ("metal_cost_per_lb", "metal cost", "USD/lb", "{:,.4f}"),
    ("conversion_per_kft", "conversion", "USD/kft", "{:,.4f}"),
    ("price_per_kft", "price", "USD/kft", "{:,.4f}"),
    ("price_per_lb", "price", "USD/lb", "{:,.4f}"),
)


def _print_table(report: dict[str, Any]) -> None:
    table = Table(title=f"Wire {report['construction']}", title_justify="left")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    table.add_column("unit")
    coating = report["coating"]
    for key, label, unit, template in _ROWS:
        if key not in report:
            continue
        metal = key.split("_", 1)[0]
        if metal in ("silver", "nickel", "tin") and metal != coating:
            continue
        if coating == "bare" and key.startswith("coating_"):
            continue
        shown_unit = unit
        if key == "resistance_ohm_per_kft_at_temperature":
            if report["temperature_c"] == 20.0:
                continue
            label = f"resistance at {report['temperature_c']:g} °C"
        if key == "coating" and report["coating_class"]:
            shown_unit = f"class {report['coating_class']}"
        table.add_row(label, template.format(report[key]), shown_unit)
    console.print(table)


def wire(
    construction: Annotated[
        str,
        typer.Argument(
            help="Conductor: '12 AWG', '4/0 AWG', '20 AWG 19/32' (19 strands of 32 AWG) or "
            "'19/32'.",
            show_default=False,
        ),
    ],
    coating: Annotated[
        str | None,
        typer.Option("--coating", help="Coating: bare, tin, silver or nickel.", show_default=False),
    ] = None,
    coating_class: Annotated[
        str | None,
        typer.Option(
            "--class",
            help="Coating class: silver A-E (ASTM B298), nickel 2, 4, 7, 10, 27 (ASTM B355); "
            "also '2%' (weight) or '40uin' (thickness).",
            show_default=False,
        ),
    ] = None,
    weight_pct: Annotated[
        float | None,
        typer.Option(
            "--weight-pct", help="Coating as % of the coated wire's weight.", show_default=False
        ),
    ] = None,
    thickness_uin: Annotated[
        float | None,
        typer.Option(
            "--thickness-uin",
            help="Coating as radial thickness over the copper, µin.",
            show_default=False,
        ),
    ] = None,
    outside: Annotated[
        bool,
        typer.Option(
            "--outside",
            help="The AWG diameter is the copper's; the coating is added outside it. Default: "
            "the AWG diameter is the finished diameter, coating inside.",
        ),
    ] = False,
    lay_factor: Annotated[
        float | None,
        typer.Option(
            "--lay-factor",
            help="Lay factor k (default 1.02 up to 19 strands, 1.03 up to 49, 1.04 above).",
            show_default=False,
        ),
    ] = None,
    temperature: Annotated[
        float,
        typer.Option("--temperature", help="Temperature for the resistance, °C."),
    ] = 20.0,
    prices: Annotated[
        str | None,
        typer.Option(
            "--prices",
            help="Metal prices, USD/lb unless a unit follows: 'copper=1.55,silver=12.5/ozt,"
            "nickel=4.8,tin=13600/t'.",
            show_default=False,
        ),
    ] = None,
    premiums: Annotated[
        str | None,
        typer.Option(
            "--premiums",
            help="Premiums over the index, same form: 'copper=5USc/lb'.",
            show_default=False,
        ),
    ] = None,
    yield_loss: Annotated[
        float | None,
        typer.Option(
            "--yield-loss", help="Yield-loss allowance on metal, e.g. 0.02.", show_default=False
        ),
    ] = None,
    adder: Annotated[
        float | None,
        typer.Option(
            "--adder", help="Conversion adder, USD per lb of product.", show_default=False
        ),
    ] = None,
    tolled: Annotated[
        bool,
        typer.Option("--tolled", help="Customer-owned copper: drop the copper term."),
    ] = False,
    unrounded_diameter: Annotated[
        bool,
        typer.Option(
            "--unrounded-diameter",
            help="Use the unrounded AWG formula diameter instead of the 4-figure ASTM B258 value.",
        ),
    ] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON document to stdout.")
    ] = False,
) -> None:
    """Metal content, DC resistance and metal cost of one conductor, per 1,000 ft and per lb.

    Example: millnet wire "20 AWG 19/32" --coating silver --class A --json

    With cost: millnet wire "12 AWG" --prices copper=1.55 --yield-loss 0.02 --adder 0.4

    Other coatings: --coating nickel --class 27; --coating tin --weight-pct 2;
    --coating silver --thickness-uin 40 --outside (40 µin over the copper strand).
    """
    parsed = parse_construction(construction)
    spec = _coating_spec(coating, coating_class, weight_pct, thickness_uin)
    wants_cost = prices is not None or adder is not None or tolled
    if not wants_cost:
        for option, value in (("--premiums", premiums), ("--yield-loss", yield_loss)):
            if value is not None:
                raise UsageError(f"{option} needs --prices")
    content = wire_content(
        parsed,
        spec,
        outside=outside,
        lay_factor_override=lay_factor,
        rounded_diameter=not unrounded_diameter,
    )
    report = _report(
        parsed,
        spec,
        content,
        outside=outside,
        rounded_diameter=not unrounded_diameter,
        temperature_c=temperature,
    )
    if wants_cost:
        report.update(
            _cost(
                content,
                prices=prices,
                premiums=premiums,
                yield_loss=0.0 if yield_loss is None else yield_loss,
                adder=0.0 if adder is None else adder,
                tolled=tolled,
            )
        )
    if json_output:
        print_json(report)
    else:
        _print_table(report)
