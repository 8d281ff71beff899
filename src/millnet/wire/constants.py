"""Physical constants, unit factors and ASTM class tables used by :mod:`millnet.wire`.

Every number is declared once here, with its tag and section in the domain reference
``wire.md`` ([F] fact, [D] derived, [A] assumption, [U] unverified).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

# --- unit factors (exact by definition) ---------------------------------------------------------
MM_PER_IN: Final = 25.4
G_PER_LB: Final = 453.59237
G_PER_TROY_OZ: Final = 31.1034768
KG_PER_TONNE: Final = 1000.0
CM3_PER_IN3: Final = MM_PER_IN**3 / 1000.0
M_PER_FT: Final = 0.3048
FT_PER_KFT: Final = 1000.0
#: 1 lb = 14.583 troy oz (wire.md §3.1 [D]).
TROY_OZ_PER_LB: Final = G_PER_LB / G_PER_TROY_OZ
#: 1 tonne = 2,204.62 lb (wire.md §3.1 [D]).
LB_PER_TONNE: Final = KG_PER_TONNE * 1000.0 / G_PER_LB
#: 1 circular mil = π/4 · 10⁻⁶ in² (wire.md §1.2 [F]).
IN2_PER_CMIL: Final = math.pi / 4.0 * 1e-6
#: 1 circular mil = 5.067075 · 10⁻⁴ mm² (wire.md §1.2 [D]).
MM2_PER_CMIL: Final = IN2_PER_CMIL * MM_PER_IN**2
#: Mass per 1,000 ft of 1 cmil of a metal of density 1 g/cm³, in lb:
#: (1/453.59237 lb/g) · 16.387064 cm³/in³ · π/4 · 10⁻⁶ in² · 12,000 in. For copper (8.89 g/cm³)
#: this is the 0.0030270 lb/kft per cmil of wire.md §1.4 [D].
LB_PER_KFT_PER_CMIL_PER_G_CM3: Final = CM3_PER_IN3 / G_PER_LB * IN2_PER_CMIL * 12.0 * FT_PER_KFT
#: Ω·mm²/m → Ω·cmil/ft: · 0.3048 m/ft ÷ 5.067075 · 10⁻⁴ mm²/cmil (wire.md §1.3 [D]).
OHM_CMIL_PER_FT_PER_OHM_MM2_PER_M: Final = M_PER_FT / MM2_PER_CMIL
MICROINCH_PER_IN: Final = 1e6
MICROINCH_PER_MICROMETRE: Final = 1e3 / MM_PER_IN

# --- AWG (ASTM B258; wire.md §1.1 [F]) ----------------------------------------------------------
#: d(in) = AWG_D36_IN · AWG_RATIO_BASE^((36 - n)/AWG_STEPS).
AWG_D36_IN: Final = 0.005
AWG_RATIO_BASE: Final = 92.0
AWG_STEPS: Final = 39
#: Significant figures of a tabulated diameter (ASTM B258).
AWG_SIGNIFICANT_FIGURES: Final = 4
#: Sizes covered: 4/0 (n = -3) to 56.
GAUGE_MIN: Final = -3
GAUGE_MAX: Final = 56

# --- electrical (wire.md §1.3) ------------------------------------------------------------------
#: Temperature coefficient of resistance of annealed copper at 20 °C, 1/°C [F] (IACS).
ALPHA_20_PER_C: Final = 0.00393
REFERENCE_TEMPERATURE_C: Final = 20.0


@dataclass(frozen=True, slots=True)
class Metal:
    """One conductor or coating metal.

    ``resistivity_ohm_cmil_per_ft`` is the 20 °C volume resistivity in Ω·cmil/ft; ``source``
    names the wire.md section and tag of the density and resistivity.
    """

    name: str
    symbol: str
    density_g_cm3: float
    resistivity_ohm_cmil_per_ft: float
    source: str


def _ohm_cmil_per_ft(ohm_mm2_per_m: float) -> float:
    return ohm_mm2_per_m * OHM_CMIL_PER_FT_PER_OHM_MM2_PER_M


COPPER: Final = Metal(
    name="copper",
    symbol="Cu",
    density_g_cm3=8.89,
    resistivity_ohm_cmil_per_ft=10.371,
    source="wire.md §1.3: density 8.89 g/cm³ [F] (ASTM B496, NBS HB100); "
    "resistivity 10.371 Ω·cmil/ft [D] (IACS, 1/58 Ω·mm²/m)",
)
SILVER: Final = Metal(
    name="silver",
    symbol="Ag",
    density_g_cm3=10.5,
    resistivity_ohm_cmil_per_ft=_ohm_cmil_per_ft(0.0159),
    source="wire.md §2.2: density 10.5 g/cm³ [D] (reproduces ASTM B298 Table 1); "
    "resistivity 1.59e-8 Ω·m [A] (handbook value, not sourced in wire.md)",
)
NICKEL: Final = Metal(
    name="nickel",
    symbol="Ni",
    density_g_cm3=8.90,
    resistivity_ohm_cmil_per_ft=_ohm_cmil_per_ft(0.096),
    source="wire.md §2.2: density 8.90 g/cm³ and resistivity 0.096 Ω·mm²/m [F] (Leoni)",
)
TIN: Final = Metal(
    name="tin",
    symbol="Sn",
    density_g_cm3=7.30,
    resistivity_ohm_cmil_per_ft=_ohm_cmil_per_ft(0.115),
    source="wire.md §2.2: density 7.30 g/cm³ [U] (white tin); "
    "resistivity 0.115 Ω·mm²/m [A] (handbook value for pure tin, not sourced in wire.md)",
)

#: Metals in a product, in report order: the conductor first, then the coatings.
METALS: Final = MappingProxyType({m.name: m for m in (COPPER, SILVER, NICKEL, TIN)})
#: Coating metals, by coating name.
COATING_METALS: Final = MappingProxyType({m.name: m for m in (SILVER, NICKEL, TIN)})

# --- coating classes: minimum coating % of total coated-wire weight (wire.md §2.1 [F]) ----------
#: ASTM B298, silver-coated soft or annealed copper wire.
SILVER_CLASSES_WEIGHT_PCT: Final = MappingProxyType(
    {"A": 1.25, "B": 2.50, "C": 4.00, "D": 6.10, "E": 10.00}
)
#: ASTM B355, nickel-coated soft or annealed copper wire.
NICKEL_CLASSES_WEIGHT_PCT: Final = MappingProxyType(
    {"2": 2.0, "4": 4.0, "7": 7.0, "10": 10.0, "27": 27.0}
)
#: Class table and the spec that defines it, by coating. Tin (ASTM B33) has no classes.
COATING_CLASSES: Final = MappingProxyType(
    {
        "silver": (SILVER_CLASSES_WEIGHT_PCT, "ASTM B298"),
        "nickel": (NICKEL_CLASSES_WEIGHT_PCT, "ASTM B355"),
    }
)

# --- stranding (wire.md §1.5) -------------------------------------------------------------------
#: Default lay factor k by strand count [A]: (largest N, k); above the last bound, LAY_FACTOR_ABOVE.
LAY_FACTOR_STEPS: Final = ((1, 1.0), (19, 1.02), (49, 1.03))
LAY_FACTOR_ABOVE: Final = 1.04
#: Overall diameter of a concentric strand as a multiple of the strand diameter [F]
#: (electricalengineeringtoolbox); other counts use √(1.332 N).
CONCENTRIC_DIAMETER_FACTORS: Final = MappingProxyType({1: 1.0, 7: 3.0, 19: 5.0, 37: 7.0, 61: 9.0})
BUNCH_DIAMETER_FACTOR_COEFF: Final = 1.332
