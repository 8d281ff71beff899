"""Conductor geometry, coatings, metal content, resistance and metal cost of copper wire.

Pure, vectorised functions: each takes scalars, numpy arrays or polars Series and broadcasts.
The reference for every formula and number is the domain note ``wire.md`` (§1 geometry,
§2 plating, §3 pricing); each function's docstring gives its equation and source.

Typical use::

    from millnet.wire import wire_content, price_build_up, price_per_lb

    c = wire_content("20 AWG 19/32", "silver", "A")        # 19 strands of 32 AWG, B298 class A
    c.copper_lb_per_kft, c.silver_ozt_per_kft               # 3.668 lb, 0.677 troy oz
    price_build_up(
        c.masses_lb_per_kft(),
        {"copper": 1.55, "silver": price_per_lb(12.5, "USD/ozt")},
        yield_loss=0.02,
    ).price_per_lb
"""

from millnet.wire.coating import (
    COATING_KINDS,
    CoatedStrand,
    CoatingSpec,
    class_weight_pct,
    coated_strand,
    coating_kind,
    parse_coating,
)
from millnet.wire.constants import (
    COATING_CLASSES,
    COPPER,
    METALS,
    NICKEL,
    NICKEL_CLASSES_WEIGHT_PCT,
    SILVER,
    SILVER_CLASSES_WEIGHT_PCT,
    TIN,
    TROY_OZ_PER_LB,
    Metal,
)
from millnet.wire.construction import Construction, parse_construction
from millnet.wire.content import METAL_NAMES, ConductorContent, conductor_content, wire_content
from millnet.wire.cost import (
    PRICE_UNITS,
    PriceBuildUp,
    metal_cost,
    metal_costs,
    parse_price_list,
    price_build_up,
    price_per_lb,
)
from millnet.wire.geometry import (
    area_in2,
    area_mm2,
    awg_diameter_in,
    awg_diameter_mm,
    circular_mils,
    diameter_factor,
    format_gauge,
    gauge_numbers,
    lay_factor,
    mass_lb_per_kft,
    parse_gauge,
    resistance_at_temperature,
    resistance_ohm_per_kft,
)
from millnet.wire.table import OUTPUT_COLUMNS, products_metal_content

__all__ = [
    "COATING_CLASSES",
    "COATING_KINDS",
    "COPPER",
    "METALS",
    "METAL_NAMES",
    "NICKEL",
    "NICKEL_CLASSES_WEIGHT_PCT",
    "OUTPUT_COLUMNS",
    "PRICE_UNITS",
    "SILVER",
    "SILVER_CLASSES_WEIGHT_PCT",
    "TIN",
    "TROY_OZ_PER_LB",
    "CoatedStrand",
    "CoatingSpec",
    "ConductorContent",
    "Construction",
    "Metal",
    "PriceBuildUp",
    "area_in2",
    "area_mm2",
    "awg_diameter_in",
    "awg_diameter_mm",
    "circular_mils",
    "class_weight_pct",
    "coated_strand",
    "coating_kind",
    "conductor_content",
    "diameter_factor",
    "format_gauge",
    "gauge_numbers",
    "lay_factor",
    "mass_lb_per_kft",
    "metal_cost",
    "metal_costs",
    "parse_coating",
    "parse_construction",
    "parse_gauge",
    "parse_price_list",
    "price_build_up",
    "price_per_lb",
    "products_metal_content",
    "resistance_at_temperature",
    "resistance_ohm_per_kft",
    "wire_content",
]
