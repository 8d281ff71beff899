"""The product catalogue: bare, tinned, silver- and nickel-plated copper wire and braids, with
routings and metal content.

Constructions are the common ones of the stranding tables (wire.md §1.5); coatings follow
ASTM B33/B298/B355 (wire.md §2.1). Metal content per lb of product comes from the wire engine
(:func:`millnet.wire.products_metal_content`). Routings, usages and yields are assumptions
after wire.md §7 (yield losses by operation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from millnet.errors import MillnetError
from millnet.wire import format_gauge, products_metal_content

#: Process resources, in routing order.
RESOURCES = (
    "rod_breakdown",
    "drawing",
    "silver_plating",
    "nickel_plating",
    "fine_drawing",
    "tinning",
    "stranding",
    "braiding",
)

#: Product families and what they are.
FAMILIES: dict[str, str] = {
    "bare_redraw": "heavy bare copper wire and redraw, drawn straight from 8 mm rod",
    "bare_solid": "solid bare copper wire, 12-26 AWG",
    "bare_fine": "solid bare fine and ultra-fine wire, 27-40 AWG",
    "bare_stranded": "bare stranded and bunched conductors",
    "tin_solid": "solid tinned copper (bus wire)",
    "tin_stranded": "tinned stranded conductors (strands tinned before stranding)",
    "silver_plated": "silver-plated stranded conductors for aerospace hookup wire",
    "nickel_plated": "nickel-plated stranded conductors for high-temperature wire",
    "braid": "flat and tubular copper braids and flexible connectors",
}
#: Families that only qualified plants may make (aerospace, AS9100 / AS9102; wire.md §5.3).
AEROSPACE_FAMILIES = ("silver_plated", "nickel_plated")

#: Yield (good output per unit of input) of each step [A], after wire.md §7: rod breakdown
#: 0.5 % loss, fine drawing 1-3 %, Ag/Ni plating 2-5 %; tinning, stranding and braiding are
#: given no loss there and are assumed at 0.5-1 %.
STEP_YIELD = {
    "rod_breakdown": 0.995,
    "drawing": 0.99,
    "silver_plating": 0.97,
    "nickel_plating": 0.97,
    "fine_drawing": 0.98,
    "tinning": 0.995,
    "stranding": 0.995,
    "braiding": 0.99,
}
#: Finest strand drawn by the intermediate (``drawing``) step; finer strands need fine drawing.
DRAWING_FINEST_AWG = 26

# Stranded constructions: (conductor AWG, strands, strand AWG), after the common tables.
_STRANDED = (
    (8, 19, 21), (8, 133, 29), (10, 37, 26), (10, 105, 30), (12, 19, 25), (12, 65, 30),
    (14, 19, 27), (14, 41, 30), (16, 19, 29), (16, 26, 30), (18, 7, 26), (18, 16, 30),
    (18, 19, 30), (20, 7, 28), (20, 10, 30), (20, 19, 32), (22, 7, 30), (22, 19, 34),
    (24, 7, 32), (24, 19, 36), (26, 7, 34), (26, 19, 38), (28, 7, 36), (28, 19, 40),
    (30, 7, 38),
)  # fmt: skip
# Plated (aerospace style) constructions.
_PLATED = (
    (12, 37, 28), (14, 19, 27), (16, 19, 29), (18, 19, 30), (20, 7, 28), (20, 19, 32),
    (22, 7, 30), (22, 19, 34), (24, 7, 32), (24, 19, 36), (26, 7, 34), (26, 19, 38),
    (28, 7, 36), (28, 19, 40), (30, 7, 38),
)  # fmt: skip
#: Take-up of a braid's crossing carriers over straight strands [A] (wire.md gives lay factors
#: for stranding only, 1.02-1.04).
BRAID_LAY_FACTOR = 1.06
TIN_STRANDED_CLASS = "2%"  # wire.md §8 item 1: 1.5-2.5 % by weight [A]
TIN_SOLID_CLASS = "50uin"  # wire.md §8 item 1: 30-60 µin [A]


@dataclass(frozen=True)
class ProductSpec:
    id: str
    family: str
    description: str
    gauge: str
    strands: int
    strand_gauge: str
    coating: str
    coating_class: str | None
    lay_factor: float | None = None


def _solid(family: str, gauge: int, coating: str, cls: str | None, what: str) -> ProductSpec:
    prefix = {"none": "bare", "tin": "tin"}[coating]
    g = format_gauge(gauge)
    return ProductSpec(
        f"{prefix}-{g.replace('/', '-')}-solid",
        family,
        f"{g} AWG solid {what}",
        g,
        1,
        g,
        coating,
        cls,
    )


def _stranded(
    family: str, gauge: int, n: int, sg: int, coating: str, cls: str | None, what: str
) -> ProductSpec:
    prefix = {"none": "bare", "tin": "tin", "silver": "silver", "nickel": "nickel"}[coating]
    suffix = f"-{cls.lower()}" if coating in ("silver", "nickel") else ""
    return ProductSpec(
        f"{prefix}-{gauge}-{n}x{sg}{suffix}",
        family,
        f"{gauge} AWG {n}/{sg} {what}",
        str(gauge),
        n,
        str(sg),
        coating,
        cls,
    )


def _equivalent_gauge(strands: int, strand_gauge: int) -> str:
    """Nearest AWG of the same area as ``strands`` × ``strand_gauge`` (for naming only)."""
    d_strand = 0.005 * 92 ** ((36 - strand_gauge) / 39)
    d_eq = d_strand * np.sqrt(strands)
    n = int(np.clip(np.round(36 - 39 * np.log(d_eq / 0.005) / np.log(92)), -3, 40))
    return format_gauge(n)


def _braid(carriers: int, ends: int, sg: int, coating: str) -> ProductSpec:
    n = carriers * ends
    kind = "tinned" if coating == "tin" else "bare"
    return ProductSpec(
        f"braid-{'tin' if coating == 'tin' else 'bare'}-{carriers}x{ends}x{sg}",
        "braid",
        f"{kind} copper braid, {carriers} carriers x {ends} ends of {sg} AWG",
        _equivalent_gauge(n, sg),
        n,
        str(sg),
        coating,
        TIN_STRANDED_CLASS if coating == "tin" else None,
        BRAID_LAY_FACTOR,
    )


def full_catalogue() -> list[ProductSpec]:
    """Every product the generators may use, in a fixed order (families, then size)."""
    items: list[ProductSpec] = []
    items += [
        _solid("bare_redraw", g, "none", None, "bare copper from rod (ASTM B3)")
        for g in (2, 4, 6, 8, 10)
    ]
    items += [_solid("bare_solid", g, "none", None, "bare copper (ASTM B3)") for g in range(12, 27)]
    items += [
        _solid("bare_fine", g, "none", None, "bare fine copper (ASTM B3)") for g in range(27, 41)
    ]
    items += [
        _stranded("bare_stranded", g, n, sg, "none", None, "bare stranded copper (ASTM B8/B174)")
        for g, n, sg in _STRANDED
    ]
    items += [
        _solid("tin_solid", g, "tin", TIN_SOLID_CLASS, "tinned copper (ASTM B33), 50 µin tin")
        for g in range(16, 31, 2)
    ]
    items += [
        _stranded(
            "tin_stranded",
            g,
            n,
            sg,
            "tin",
            TIN_STRANDED_CLASS,
            "tinned stranded copper (ASTM B33), 2 % tin",
        )
        for g, n, sg in _STRANDED
    ]
    for cls in ("A", "C"):
        items += [
            _stranded(
                "silver_plated",
                g,
                n,
                sg,
                "silver",
                cls,
                f"silver-plated copper, class {cls} (ASTM B298)",
            )
            for g, n, sg in _PLATED
        ]
    for cls in ("2", "27"):
        items += [
            _stranded(
                "nickel_plated",
                g,
                n,
                sg,
                "nickel",
                cls,
                f"nickel-plated copper, class {cls} (ASTM B355)",
            )
            for g, n, sg in _PLATED
        ]
    for coating in ("tin", "none"):
        for carriers in (16, 24, 32, 48):
            for ends in (6, 8):
                for sg in (34, 36):
                    items.append(_braid(carriers, ends, sg, coating))
    return items


def catalogue_frame(specs: list[ProductSpec]) -> pl.DataFrame:
    """Products table rows for ``specs``, with metal content from the wire engine.

    Adds ``lb_per_kft`` (mass of 1,000 ft of product) and ``copper_lb_per_lb``,
    ``tin_lb_per_lb``, ``silver_lb_per_lb``, ``nickel_lb_per_lb`` (lb of metal per lb of
    product), and ``lay_factor`` where it differs from the wire engine's default (braids).
    """
    if len({s.id for s in specs}) != len(specs):
        raise MillnetError("product ids in the catalogue are not unique")
    frame = pl.DataFrame(
        {
            "id": [s.id for s in specs],
            "family": [s.family for s in specs],
            "description": [s.description for s in specs],
            "gauge": [s.gauge for s in specs],
            "strands": [s.strands for s in specs],
            "strand_gauge": [s.strand_gauge for s in specs],
            "coating": [s.coating for s in specs],
            "coating_class": [s.coating_class for s in specs],
            "lay_factor": [s.lay_factor for s in specs],
        },
        schema_overrides={"lay_factor": pl.Float64, "coating_class": pl.String},
    )
    content = products_metal_content(frame)
    return frame.with_columns(
        content["total_lb_per_kft"].round(5).alias("lb_per_kft"),
        *(
            content[f"{m}_lb_per_lb"].round(6).alias(f"{m}_lb_per_lb")
            for m in ("copper", "tin", "silver", "nickel")
        ),
    )


def routings_frame(products: pl.DataFrame) -> pl.DataFrame:
    """Routing rows (product_id, resource, usage, yield) for a products table.

    Steps [A]: heavy redraw is made on the rod breakdown line alone; other bare and tinned wire
    is drawn (``drawing``, down to 26 AWG) and, when the strands are finer, fine drawn;
    silver and nickel are plated at redraw size and then fine drawn (wire.md §2.2); tinned
    strands are tinned; stranded conductors are stranded; braids are braided. Fine drawing
    uses 1.5 (33-36 AWG) or 2.5 (finer) lb of capacity per lb, as machines run slower
    (wire.md §7: cost "rises steeply below 30 AWG").
    """
    family = products["family"].to_numpy()
    coating = products["coating"].to_numpy()
    strands = products["strands"].to_numpy()
    strand_awg = np.array(
        [int(g) if g.lstrip("-").isdigit() else 0 for g in products["strand_gauge"].to_list()]
    )
    plated = np.isin(family, AEROSPACE_FAMILIES)
    steps = {
        "rod_breakdown": family == "bare_redraw",
        "drawing": ~plated & (family != "bare_redraw"),
        "silver_plating": coating == "silver",
        "nickel_plating": coating == "nickel",
        "fine_drawing": plated | ((strand_awg > DRAWING_FINEST_AWG) & (family != "bare_redraw")),
        "tinning": coating == "tin",
        "stranding": (strands > 1) & (family != "braid"),
        "braiding": family == "braid",
    }
    fine_usage = np.where(strand_awg <= 32, 1.0, np.where(strand_awg <= 36, 1.5, 2.5))
    fine_yield = np.where(strand_awg <= 36, STEP_YIELD["fine_drawing"], 0.97)
    nickel_yield = np.where(
        products["coating_class"].fill_null("").to_numpy() == "27",
        0.95,
        STEP_YIELD["nickel_plating"],
    )
    ids = products["id"].to_numpy()
    parts = []
    for resource in RESOURCES:
        mask = steps[resource]
        usage = fine_usage if resource == "fine_drawing" else np.ones(len(ids))
        if resource == "fine_drawing":
            yields = fine_yield
        elif resource == "nickel_plating":
            yields = nickel_yield
        else:
            yields = np.full(len(ids), STEP_YIELD[resource])
        parts.append(
            pl.DataFrame(
                {
                    "product_id": ids[mask],
                    "resource": [resource] * int(mask.sum()),
                    "usage": usage[mask],
                    "yield": yields[mask],
                    "__step": [RESOURCES.index(resource)] * int(mask.sum()),
                    "__order": np.nonzero(mask)[0],
                },
                schema={
                    "product_id": pl.String,
                    "resource": pl.String,
                    "usage": pl.Float64,
                    "yield": pl.Float64,
                    "__step": pl.Int64,
                    "__order": pl.Int64,
                },
            )
        )
    return pl.concat(parts).sort(["__order", "__step"]).drop("__order", "__step")


def step_loads(routings: pl.DataFrame) -> pl.DataFrame:
    """Capacity used at each step per lb of finished product: usage ÷ the step's yield, as the
    planning model counts it (docs/model.md, Resource-capacity).

    Columns: product_id, resource, load_per_lb.
    """
    return routings.select(
        "product_id", "resource", (pl.col("usage") / pl.col("yield")).alias("load_per_lb")
    )


#: Conversion adder by family, USD per lb [A]: what a wire maker charges on top of metal;
#: set above the variable plus fixed conversion cost of wire.md §7.
BASE_ADDER = {
    "bare_redraw": 0.22,
    "bare_solid": 0.42,
    "bare_fine": 0.85,
    "bare_stranded": 0.72,
    "tin_solid": 0.70,
    "tin_stranded": 1.05,
    "silver_plated": 2.40,
    "nickel_plated": 2.90,
    "braid": 1.60,
}


def base_adder(products: pl.DataFrame) -> np.ndarray:
    """Conversion adder of each product, USD/lb: family base, more for fine strands."""
    family = products["family"].to_list()
    base = np.array([BASE_ADDER[f] for f in family])
    strand_awg = np.array(
        [int(g) if g.lstrip("-").isdigit() else 0 for g in products["strand_gauge"].to_list()]
    )
    fineness = np.clip(strand_awg - 26, 0, None) * 0.06
    return base + np.where(np.array(family) == "bare_redraw", 0.0, fineness)
