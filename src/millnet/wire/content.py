"""Metal content and DC resistance of a conductor, per 1,000 ft and per lb of product.

A conductor is N strands of AWG g, each copper with an optional tin, silver or nickel coating,
laid with lay factor k (wire.md §1.5). Everything is vectorised over arrays of conductors.

Resistance model (a choice; wire.md does not fix it): the coating is a conductor in parallel with
the copper, each at its own resistivity (copper 10.371 Ω·cmil/ft [D]; silver 1.59e-8 Ω·m [A];
nickel 0.096 Ω·mm²/m [F]; tin 0.115 Ω·mm²/m [A]). This matters for nickel class 27, whose
27 % of poorly conducting nickel takes the place of copper; for silver it lowers R slightly.
The whole conductor is corrected to temperature with copper's alpha = 0.00393/°C.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from millnet.errors import MillnetError
from millnet.wire._arrays import (
    ArrayLike,
    FloatOut,
    as_float_array,
    as_object_array,
    first_index,
    out,
    where_text,
)
from millnet.wire.coating import BARE, CoatingSpec, coated_strand, coating_kind, parse_coating
from millnet.wire.constants import COATING_METALS, COPPER, FT_PER_KFT, TROY_OZ_PER_LB
from millnet.wire.construction import Construction, parse_construction
from millnet.wire.geometry import (
    area_in2,
    area_mm2,
    awg_diameter_in,
    diameter_factor,
    gauge_numbers,
    lay_factor,
    mass_lb_per_kft,
    resistance_at_temperature,
)

#: Metals reported for every conductor, in report order.
METAL_NAMES = ("copper", *COATING_METALS)


@dataclass(frozen=True, slots=True)
class ConductorContent:
    """Geometry, metal masses and resistance of one or many conductors.

    Every attribute is a numpy scalar (one conductor) or an array (many). Masses are in lb per
    1,000 ft of conductor; ``*_lb_per_lb`` properties give lb of metal per lb of product.
    """

    strands: FloatOut
    strand_gauge: FloatOut
    lay_factor: FloatOut
    #: Stated (AWG) strand diameter, in.
    strand_diameter_in: FloatOut
    #: Copper diameter of a strand under its coating, in.
    copper_strand_diameter_in: FloatOut
    #: Strand diameter over the coating, in.
    finished_strand_diameter_in: FloatOut
    #: Overall conductor diameter: finished strand diameter · diameter factor (wire.md §1.5).
    diameter_in: FloatOut
    #: Nominal area N · d², cmil (wire.md §1.2), d the stated strand diameter.
    area_cmil: FloatOut
    #: Copper area N · A_Cu, cmil.
    copper_area_cmil: FloatOut
    #: Coating area N · A_c, cmil.
    coating_area_cmil: FloatOut
    coating_weight_pct: FloatOut
    coating_thickness_uin: FloatOut
    copper_lb_per_kft: FloatOut
    silver_lb_per_kft: FloatOut
    nickel_lb_per_kft: FloatOut
    tin_lb_per_kft: FloatOut
    total_lb_per_kft: FloatOut
    resistance_ohm_per_kft_20c: FloatOut

    @property
    def area_in2(self) -> FloatOut:
        """Nominal area in in²."""
        return area_in2(self.area_cmil)

    @property
    def area_mm2(self) -> FloatOut:
        """Nominal area in mm²."""
        return area_mm2(self.area_cmil)

    @property
    def copper_lb_per_lb(self) -> FloatOut:
        """lb of copper per lb of product."""
        return self.copper_lb_per_kft / self.total_lb_per_kft

    @property
    def silver_lb_per_lb(self) -> FloatOut:
        """lb of silver per lb of product."""
        return self.silver_lb_per_kft / self.total_lb_per_kft

    @property
    def nickel_lb_per_lb(self) -> FloatOut:
        """lb of nickel per lb of product."""
        return self.nickel_lb_per_kft / self.total_lb_per_kft

    @property
    def tin_lb_per_lb(self) -> FloatOut:
        """lb of tin per lb of product."""
        return self.tin_lb_per_kft / self.total_lb_per_kft

    @property
    def silver_ozt_per_kft(self) -> FloatOut:
        """Silver in troy oz per 1,000 ft (1 lb = 14.583 troy oz, wire.md §3.1)."""
        return self.silver_lb_per_kft * TROY_OZ_PER_LB

    @property
    def ft_per_lb(self) -> FloatOut:
        """Length of conductor per lb of product, ft."""
        return FT_PER_KFT / self.total_lb_per_kft

    @property
    def resistance_ohm_per_lb_20c(self) -> FloatOut:
        """DC resistance at 20 °C of the length that weighs 1 lb, Ω/lb."""
        return self.resistance_ohm_per_kft_20c / self.total_lb_per_kft

    def masses_lb_per_kft(self) -> dict[str, FloatOut]:
        """Mass of each metal, lb per 1,000 ft, keyed by metal name."""
        return {name: getattr(self, f"{name}_lb_per_kft") for name in METAL_NAMES}

    def resistance_ohm_per_kft(self, temperature_c: ArrayLike) -> FloatOut:
        """DC resistance at T °C, Ω per 1,000 ft: R_T = R_20 · [1 + 0.00393 · (T - 20)]."""
        return resistance_at_temperature(self.resistance_ohm_per_kft_20c, temperature_c)

    def as_dict(self) -> dict[str, Any]:
        """Fields and derived per-lb values as a flat dict (values are numpy scalars/arrays)."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in (
            "area_in2",
            "area_mm2",
            *(f"{metal}_lb_per_lb" for metal in METAL_NAMES),
            "silver_ozt_per_kft",
            "ft_per_lb",
            "resistance_ohm_per_lb_20c",
        ):
            data[name] = getattr(self, name)
        return data


def _coating_kinds(coating: Any) -> np.ndarray:
    array = as_object_array(coating)
    if array.ndim == 0:
        return np.asarray(coating_kind(array[()]), dtype=object)
    text = np.where(np.equal(array, None), "", array).astype(str)
    unique, inverse = np.unique(text, return_inverse=True)
    kinds = np.array([coating_kind(u) for u in unique.tolist()], dtype=object)
    return kinds[inverse].reshape(array.shape)


def conductor_content(
    strand_gauge: ArrayLike,
    strands: ArrayLike = 1,
    *,
    coating: Any = BARE,
    weight_pct: ArrayLike | None = None,
    thickness_uin: ArrayLike | None = None,
    outside: ArrayLike = False,
    lay_factor_override: ArrayLike | None = None,
    rounded_diameter: bool = True,
) -> ConductorContent:
    """Metal masses and DC resistance of N strands of AWG g, coated or bare (vectorised).

    Per strand, the copper and coating areas A_Cu and A_c come from :func:`coated_strand`
    (wire.md §2.2 (a)/(b), exact). Then, with N strands and lay factor k (wire.md §1.5)::

        m_metal = k · N · c · rho_metal · A_metal          (lb/kft; c = 3.40486e-4, §1.4)
        R_strand = 1000 / (A_Cu / rho_e,Cu + A_c / rho_e,c) (Ω/kft; coating in parallel)
        R_20 = k · R_strand / N

    with rho the densities (Cu 8.89, Ag 10.5, Ni 8.90, Sn 7.30 g/cm³, wire.md §1.3, §2.2) and
    rho_e the resistivities in Ω·cmil/ft (Cu 10.371, wire.md §1.3). Sizes per ASTM B258;
    bare, tinned, silver and nickel coated copper per ASTM B3, B33, B298 and B355; "N/g"
    stranded conductors as in ASTM B8, B174 and B286 (wire.md §1.5, §2.1). For a bare solid
    12 AWG wire this gives 19.77 lb and 1.588 Ω per 1,000 ft (wire.md §2.4, example 1).

    Args:
        strand_gauge: AWG number of each strand (ints, or gauge strings such as ``"4/0"``).
        strands: strand count N (1 = solid).
        coating: ``"bare"``/None, ``"tin"``, ``"silver"`` or ``"nickel"``, scalar or per element.
        weight_pct: coating % of coated-wire weight where the coating is given that way
            (NaN elsewhere); see :func:`millnet.wire.class_weight_pct` for ASTM classes.
        thickness_uin: radial coating thickness in µin where given that way (NaN elsewhere).
        outside: False (default): the AWG diameter is the finished diameter with the coating
            inside it; True: the AWG diameter is the copper diameter, coating added outside.
        lay_factor_override: k where it should replace the default of :func:`lay_factor`.
        rounded_diameter: True (default): strand diameters rounded to 4 significant figures
            as ASTM B258 tabulates them; False: the unrounded formula value, which is what the
            [D] tables and worked examples of wire.md §1.4 and §2.4 were computed from.

    Raises:
        MillnetError: a gauge out of range, a bad strand count, an unknown coating, a coated
            element without a weight % or thickness, or a bare element with one.
    """
    gauge = gauge_numbers(strand_gauge)
    diameter = as_float_array(awg_diameter_in(gauge, rounded=rounded_diameter))
    n = as_float_array(strands)
    k = as_float_array(lay_factor(n, lay_factor_override))
    kinds = _coating_kinds(coating)
    wp = as_float_array(np.nan if weight_pct is None else weight_pct)
    t = as_float_array(np.nan if thickness_uin is None else thickness_uin)
    put_outside = np.asarray(outside, dtype=bool)
    gauge, diameter, n, k, kinds, wp, t, put_outside = np.broadcast_arrays(
        gauge, diameter, n, k, kinds, wp, t, put_outside
    )

    bare = kinds == BARE
    specified = np.isfinite(wp) | np.isfinite(t)
    if (index := first_index(~bare & ~specified)) is not None:
        raise MillnetError(
            f"{kinds[index]} coating has no weight % or thickness{where_text(index)}; "
            "expected one of them"
        )
    given_on_bare = bare & ((np.isfinite(wp) & (wp != 0)) | (np.isfinite(t) & (t != 0)))
    if (index := first_index(given_on_bare)) is not None:
        raise MillnetError(
            f"coating weight % or thickness given for a bare wire{where_text(index)}; "
            "expected a coating name or none"
        )

    density = np.full(kinds.shape, COPPER.density_g_cm3)
    resistivity = np.full(kinds.shape, COPPER.resistivity_ohm_cmil_per_ft)
    for name, metal in COATING_METALS.items():
        density = np.where(kinds == name, metal.density_g_cm3, density)
        resistivity = np.where(kinds == name, metal.resistivity_ohm_cmil_per_ft, resistivity)
    strand = coated_strand(
        diameter,
        density,
        weight_pct=np.where(bare, np.nan, wp),
        thickness_uin=np.where(bare, np.nan, t),
        outside=put_outside,
    )

    stranding = k * n
    copper = stranding * as_float_array(
        mass_lb_per_kft(strand.copper_area_cmil, COPPER.density_g_cm3)
    )
    coating_mass = stranding * as_float_array(mass_lb_per_kft(strand.coating_area_cmil, density))
    coating_mass = np.where(bare, 0.0, coating_mass)
    per_metal = {name: np.where(kinds == name, coating_mass, 0.0) for name in COATING_METALS}
    total = copper + coating_mass
    conductance = strand.copper_area_cmil / COPPER.resistivity_ohm_cmil_per_ft + np.where(
        bare, 0.0, strand.coating_area_cmil / resistivity
    )
    r_strand = FT_PER_KFT / conductance
    finished = np.where(bare, diameter, strand.finished_diameter_in)
    return ConductorContent(
        strands=out(n),
        strand_gauge=out(gauge),
        lay_factor=out(k),
        strand_diameter_in=out(diameter),
        copper_strand_diameter_in=out(np.where(bare, diameter, strand.copper_diameter_in)),
        finished_strand_diameter_in=out(finished),
        diameter_in=out(finished * as_float_array(diameter_factor(n))),
        area_cmil=out(n * (1000.0 * diameter) ** 2),
        copper_area_cmil=out(n * strand.copper_area_cmil),
        coating_area_cmil=out(np.where(bare, 0.0, n * strand.coating_area_cmil)),
        coating_weight_pct=out(np.where(total > 0, 100.0 * coating_mass / total, 0.0)),
        coating_thickness_uin=out(np.where(bare, 0.0, strand.thickness_uin)),
        copper_lb_per_kft=out(copper),
        silver_lb_per_kft=out(per_metal["silver"]),
        nickel_lb_per_kft=out(per_metal["nickel"]),
        tin_lb_per_kft=out(per_metal["tin"]),
        total_lb_per_kft=out(total),
        resistance_ohm_per_kft_20c=out(k * r_strand / n),
    )


def wire_content(
    construction: str | Construction,
    coating: str | CoatingSpec | None = None,
    coating_class: str | None = None,
    *,
    weight_pct: float | None = None,
    thickness_uin: float | None = None,
    outside: bool = False,
    lay_factor_override: float | None = None,
    rounded_diameter: bool = True,
) -> ConductorContent:
    """Metal content of one conductor given as text, e.g. ``"20 AWG 19/32"`` silver class A.

    Parses the construction (:func:`parse_construction`) and the coating
    (:func:`parse_coating`: a class such as ``"A"`` or ``"27"``, ``"2%"`` or ``"40uin"``, or
    ``weight_pct`` / ``thickness_uin``), then calls :func:`conductor_content`, which holds the
    formulas. The conductor is N strands of the strand gauge; a nominal gauge in front is
    ignored for the computation (wire.md §1.5). Keyword arguments as for
    :func:`conductor_content`.

    Example (wire.md §2.4, example 2)::

        >>> c = wire_content("20 AWG 19/32", "silver", "A")
        >>> round(float(c.copper_lb_per_kft), 3), round(float(c.silver_ozt_per_kft), 3)
        (3.668, 0.677)

    Raises:
        MillnetError: a construction that does not parse, an unknown coating or class, a gauge
            out of range.
    """
    if not isinstance(construction, Construction):
        construction = parse_construction(construction)
    if not isinstance(coating, CoatingSpec):
        coating = parse_coating(
            coating, coating_class, weight_pct=weight_pct, thickness_uin=thickness_uin
        )
    return conductor_content(
        construction.strand_gauge,
        construction.strands,
        coating=coating.kind,
        weight_pct=np.nan if coating.weight_pct is None else coating.weight_pct,
        thickness_uin=np.nan if coating.thickness_uin is None else coating.thickness_uin,
        outside=outside,
        lay_factor_override=lay_factor_override,
        rounded_diameter=rounded_diameter,
    )
