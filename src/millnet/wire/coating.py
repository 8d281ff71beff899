"""Tin, silver and nickel coatings: how they are specified and how much metal they hold.

A coating is given either as a weight % of the coated wire (an ASTM class: silver B298 A-E,
nickel B355 2/4/7/10/27, or a stated % for tin, which B33 leaves to the buyer) or as a radial
thickness over the copper. The mass split uses the exact formulas of wire.md §2.2 (a) and (b),
not the thin-shell approximation (c) behind the informative ASTM thickness tables.

Two conventions place the coating (wire.md §2.2 [A]):

* inside (default): the stated diameter d is the finished diameter and the coating lies within
  it, as the ASTM tables list coated wire;
* outside: the stated diameter is the copper (base) diameter and the coating is added over it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from millnet.errors import MillnetError
from millnet.wire._arrays import ArrayLike, as_float_array, first_index, where_text
from millnet.wire.constants import (
    COATING_CLASSES,
    COATING_METALS,
    COPPER,
    MICROINCH_PER_IN,
    MICROINCH_PER_MICROMETRE,
)

BARE = "bare"
#: Coating kinds in report order; ``bare`` means no coating (ASTM B3).
COATING_KINDS = (BARE, *COATING_METALS)
_ALIASES = {
    "": BARE,
    "none": BARE,
    "bare": BARE,
    "b3": BARE,
    "tin": "tin",
    "tinned": "tin",
    "sn": "tin",
    "silver": "silver",
    "ag": "silver",
    "nickel": "nickel",
    "ni": "nickel",
}
_NUMBER = r"(\d+(?:\.\d*)?|\.\d+)"
_WEIGHT_PCT = re.compile(rf"^{_NUMBER}\s*%$")
_MICROINCH = re.compile(rf"^{_NUMBER}\s*(?:uin|µin|μin|microinch(?:es)?|microin)$")
_MICROMETRE = re.compile(rf"^{_NUMBER}\s*(?:um|µm|μm|micron(?:s)?)$")


@dataclass(frozen=True, slots=True)
class CoatingSpec:
    """One coating as ordered.

    Attributes:
        kind: ``"bare"``, ``"tin"``, ``"silver"`` or ``"nickel"``.
        weight_pct: coating % of the coated wire's weight, when given that way (a class or a %).
        thickness_uin: radial thickness over the copper in µin, when given that way.
        class_name: the ASTM class (``"A"``, ``"27"``) when the coating was ordered by class.
    """

    kind: str
    weight_pct: float | None = None
    thickness_uin: float | None = None
    class_name: str | None = None

    @property
    def label(self) -> str:
        """Short description: ``"silver class A (1.25 %)"``, ``"tin 2 %"``, ``"bare"``."""
        if self.kind == BARE:
            return BARE
        if self.class_name is not None:
            return f"{self.kind} class {self.class_name} ({self.weight_pct:g} %)"
        if self.weight_pct is not None:
            return f"{self.kind} {self.weight_pct:g} %"
        return f"{self.kind} {self.thickness_uin:g} µin"


def coating_kind(name: str | None) -> str:
    """Normalise a coating name: None, "", "none", "bare" → ``"bare"``; "Ag" → ``"silver"`` …

    Raises:
        MillnetError: an unknown coating.
    """
    key = "" if name is None else str(name).strip().lower()
    if key not in _ALIASES:
        raise MillnetError(
            f"coating '{name}' does not exist; expected one of {', '.join(COATING_KINDS)}"
        )
    return _ALIASES[key]


def class_weight_pct(kind: str, class_name: str) -> float:
    """Minimum coating weight % of an ASTM class (wire.md §2.1 [F]).

    Silver, ASTM B298: A 1.25, B 2.50, C 4.00, D 6.10, E 10.00 %.
    Nickel, ASTM B355: 2, 4, 7, 10, 27 %. Tin (ASTM B33) has no classes.

    Raises:
        MillnetError: the coating has no classes or the class does not exist.
    """
    kind = coating_kind(kind)
    if kind not in COATING_CLASSES:
        if kind == "tin":
            raise MillnetError(
                f"tin class '{class_name}' does not exist; ASTM B33 sets no tin minimum, so "
                "state a weight % such as '2%' or a thickness such as '40uin'"
            )
        raise MillnetError(f"coating class '{class_name}' given for a bare wire; expected none")
    table, spec = COATING_CLASSES[kind]
    key = re.sub(r"(?i)^class\s*", "", str(class_name).strip()).upper()
    if key not in table:
        raise MillnetError(
            f"{kind} class '{class_name}' does not exist; expected one of "
            f"{', '.join(table)} ({spec})"
        )
    return table[key]


def parse_coating(
    coating: str | None,
    coating_class: str | None = None,
    *,
    weight_pct: float | None = None,
    thickness_uin: float | None = None,
) -> CoatingSpec:
    """Read a coating order into a :class:`CoatingSpec`.

    ``coating_class`` accepts (case-insensitive, surrounding spaces ignored):

    * an ASTM class: ``"A"`` … ``"E"`` for silver (B298), ``"2"``, ``"4"``, ``"7"``, ``"10"``,
      ``"27"`` for nickel (B355), optionally written ``"class A"``;
    * a weight % of the coated wire: ``"2%"``, ``"2.5 %"`` (any coating);
    * a radial thickness: ``"40uin"``, ``"40 µin"``, ``"40 microinch"``, or in micrometres
      ``"1um"``, ``"1 µm"`` (any coating).

    A bare number means a class, so for tin (no classes) write ``"2%"`` or ``"40uin"``.
    ``weight_pct`` and ``thickness_uin`` are the same choices given as numbers; at most one of
    ``coating_class``, ``weight_pct`` and ``thickness_uin`` may be given, and a tin, silver or
    nickel coating needs one of them.

    Raises:
        MillnetError: an unknown coating or class, a value out of range, a missing or doubled
            specification.
    """
    kind = coating_kind(coating)
    given = [v for v in (coating_class, weight_pct, thickness_uin) if v is not None]
    if kind == BARE:
        if given:
            raise MillnetError(
                f"coating specification '{given[0]}' given for a bare wire; expected none"
            )
        return CoatingSpec(BARE)
    if len(given) > 1:
        raise MillnetError(
            f"{kind} coating given more than one way ({', '.join(map(str, given))}); "
            "give one of a class, a weight % or a thickness"
        )
    if not given:
        hint = "a class, " if kind in COATING_CLASSES else ""
        raise MillnetError(
            f"{kind} coating needs {hint}a weight % (e.g. '2%') or a thickness (e.g. '40uin')"
        )
    if weight_pct is not None:
        return CoatingSpec(kind, weight_pct=_check_weight_pct(weight_pct, kind))
    if thickness_uin is not None:
        return CoatingSpec(kind, thickness_uin=_check_thickness(thickness_uin, kind))
    text = str(coating_class).strip().lower()
    if match := _WEIGHT_PCT.match(text):
        return CoatingSpec(kind, weight_pct=_check_weight_pct(float(match.group(1)), kind))
    if match := _MICROINCH.match(text):
        return CoatingSpec(kind, thickness_uin=_check_thickness(float(match.group(1)), kind))
    if match := _MICROMETRE.match(text):
        microinch = float(match.group(1)) * MICROINCH_PER_MICROMETRE
        return CoatingSpec(kind, thickness_uin=_check_thickness(microinch, kind))
    pct = class_weight_pct(kind, str(coating_class))
    name = re.sub(r"(?i)^class\s*", "", str(coating_class).strip()).upper()
    return CoatingSpec(kind, weight_pct=pct, class_name=name)


def _check_weight_pct(value: float, kind: str) -> float:
    value = float(value)
    if not 0.0 <= value < 100.0:
        raise MillnetError(
            f"{kind} weight {value:g} % is out of range; expected at least 0 and below 100"
        )
    return value


def _check_thickness(value: float, kind: str) -> float:
    value = float(value)
    if not (np.isfinite(value) and value >= 0.0):
        raise MillnetError(f"{kind} thickness {value:g} µin is not valid; expected 0 or more")
    return value


@dataclass(frozen=True, slots=True)
class CoatedStrand:
    """Cross-section of one coated strand (numpy arrays, broadcast over the inputs).

    Attributes:
        copper_area_cmil: copper area A_Cu, cmil.
        coating_area_cmil: coating area A_c, cmil.
        copper_diameter_in: copper (base) diameter d_b, in.
        finished_diameter_in: diameter over the coating, in.
        thickness_uin: radial coating thickness t, µin.
    """

    copper_area_cmil: np.ndarray
    coating_area_cmil: np.ndarray
    copper_diameter_in: np.ndarray
    finished_diameter_in: np.ndarray
    thickness_uin: np.ndarray


def coated_strand(
    diameter_in: ArrayLike,
    coating_density_g_cm3: ArrayLike,
    *,
    weight_pct: ArrayLike | None = None,
    thickness_uin: ArrayLike | None = None,
    outside: ArrayLike = False,
) -> CoatedStrand:
    """Split one strand's cross-section into copper and coating (wire.md §2.2 (a), (b) [D]).

    f is the coating share of the coated wire's weight as ASTM B298 (silver) and B355 (nickel)
    define their classes; tin (B33) is stated by the buyer as a % or a thickness.

    Symbols: d the stated strand diameter; A = pi/4 · d² its area; f the coating weight fraction
    (coating mass / total mass, the ASTM definition); t the radial coating thickness; rho_Cu =
    8.89 and rho_c the densities (g/cm³); d_b the copper (base) diameter.

    (a) By weight %, coating inside d (exact)::

        A_Cu = rho_c · A · (1 - f) / (rho_c · (1 - f) + f · rho_Cu),   A_c = A - A_Cu
        d_b = d · sqrt(A_Cu / A),   t = (d - d_b) / 2

    (a') By weight %, coating outside d (d_b = d)::

        m_c = m_Cu · f / (1 - f)   ⇒   A_c = A · (rho_Cu / rho_c) · f / (1 - f)
        t = (sqrt(d² + 4 A_c / pi) - d) / 2

    (b) By thickness t on the base diameter d_b (exact), with d_b = d - 2t inside and d_b = d
    outside::

        m_c = rho_c · pi · (d_b · t + t²),   m_Cu = rho_Cu · pi · d_b² / 4

    Per element, give a finite ``weight_pct`` or a finite ``thickness_uin`` (NaN elsewhere);
    with neither the strand is bare. ``outside`` may be an array of booleans.

    Raises:
        MillnetError: both or neither way given where a coating density is set, a weight % out
            of [0, 100), a negative thickness, or an inside coating as thick as the strand radius.
    """
    d = as_float_array(diameter_in)
    rho_c = as_float_array(coating_density_g_cm3)
    wp = as_float_array(np.nan if weight_pct is None else weight_pct)
    t_uin = as_float_array(np.nan if thickness_uin is None else thickness_uin)
    put_outside = np.asarray(outside, dtype=bool)
    d, rho_c, wp, t_uin, put_outside = np.broadcast_arrays(d, rho_c, wp, t_uin, put_outside)

    by_weight = np.isfinite(wp)
    by_thickness = np.isfinite(t_uin)
    if (index := first_index(by_weight & by_thickness)) is not None:
        raise MillnetError(
            f"coating given both as {wp[index]:g} % and as {t_uin[index]:g} µin"
            f"{where_text(index)}; give one of them"
        )
    if (index := first_index(by_weight & ~((wp >= 0) & (wp < 100)))) is not None:
        raise MillnetError(
            f"coating weight {wp[index]:g} % is out of range{where_text(index)}; "
            "expected at least 0 and below 100"
        )
    if (index := first_index(by_thickness & ~(t_uin >= 0))) is not None:
        raise MillnetError(
            f"coating thickness {t_uin[index]:g} µin is not valid{where_text(index)}; "
            "expected 0 or more"
        )

    f = np.where(by_weight, wp, 0.0) / 100.0
    t = np.where(by_thickness, t_uin, 0.0) / MICROINCH_PER_IN
    inside = ~put_outside
    if (index := first_index(inside & (2.0 * t >= d))) is not None:
        raise MillnetError(
            f"coating thickness {t_uin[index]:g} µin leaves no copper in a "
            f"{d[index]:.6g} in strand{where_text(index)}; expected less than half the diameter "
            "(or place the coating outside the stated diameter)"
        )

    rho_cu = COPPER.density_g_cm3
    area = (1000.0 * d) ** 2
    # rho_c may be a placeholder for bare strands; f = 0 there, so the split does not use it.
    copper_share = rho_c * (1.0 - f) / (rho_c * (1.0 - f) + f * rho_cu)
    weight_inside = copper_share * area
    weight_outside_coating = area * (rho_cu / rho_c) * f / (1.0 - f)
    base_in = np.where(inside, d - 2.0 * t, d)
    base_cmil = (1000.0 * base_in) ** 2
    shell_cmil = (1000.0 * (base_in + 2.0 * t)) ** 2 - base_cmil  # = 4·(d_b·t + t²) · 10⁶

    copper_cmil = np.where(by_weight & inside, weight_inside, base_cmil)
    coating_cmil = np.where(
        by_weight,
        np.where(inside, area - weight_inside, weight_outside_coating),
        shell_cmil,
    )
    copper_d = np.sqrt(copper_cmil) / 1000.0
    finished_d = np.sqrt(copper_cmil + coating_cmil) / 1000.0
    thickness = np.where(by_thickness, t_uin, (finished_d - copper_d) / 2.0 * MICROINCH_PER_IN)
    return CoatedStrand(
        copper_area_cmil=copper_cmil,
        coating_area_cmil=coating_cmil,
        copper_diameter_in=copper_d,
        finished_diameter_in=finished_d,
        thickness_uin=thickness,
    )
