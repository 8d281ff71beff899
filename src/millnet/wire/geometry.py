"""Conductor geometry and the bare-copper mass and resistance of a round wire.

AWG sizes follow ASTM B258 (wire.md §1.1); areas, masses and resistances follow wire.md §1.2-§1.5.
Every function is vectorised: it takes a scalar, a sequence, a numpy array or a polars Series and
broadcasts with numpy; a scalar in gives a numpy scalar out.
"""

from __future__ import annotations

import re

import numpy as np
import polars as pl

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
from millnet.wire.constants import (
    ALPHA_20_PER_C,
    AWG_D36_IN,
    AWG_RATIO_BASE,
    AWG_SIGNIFICANT_FIGURES,
    AWG_STEPS,
    BUNCH_DIAMETER_FACTOR_COEFF,
    CONCENTRIC_DIAMETER_FACTORS,
    FT_PER_KFT,
    GAUGE_MAX,
    GAUGE_MIN,
    IN2_PER_CMIL,
    LAY_FACTOR_ABOVE,
    LAY_FACTOR_STEPS,
    LB_PER_KFT_PER_CMIL_PER_G_CM3,
    MM2_PER_CMIL,
    MM_PER_IN,
    REFERENCE_TEMPERATURE_C,
)

GAUGE_RANGE_TEXT = "4/0 … 56 AWG"
_ZEROS = re.compile(r"^0{1,9}$")
_SLASH_ZERO = re.compile(r"^(\d+)\s*/\s*0$")
_INTEGER = re.compile(r"^[+-]?\d+(?:\.0*)?$")


def _check_gauge_range(n: int, shown: object) -> int:
    if not GAUGE_MIN <= n <= GAUGE_MAX:
        raise MillnetError(f"gauge {shown} is out of range; expected {GAUGE_RANGE_TEXT}")
    return n


def parse_gauge(value: str | int) -> int:
    """The AWG number n of one gauge, written as an int or a string.

    Accepted: whole numbers ``-3`` … ``56`` (``"20"``, ``20``, ``"20.0"``, an optional ``AWG``
    suffix), ``m/0`` sizes ``"1/0"`` … ``"4/0"`` and the zeros notation ``"0"``, ``"00"``,
    ``"000"``, ``"0000"``. An m/0 size is n = 1 - m, so 4/0 = 0000 → -3 (wire.md §1.1, ASTM B258).

    Raises:
        MillnetError: the value is not a gauge, or lies outside 4/0 … 56.
    """
    if isinstance(value, bool):
        raise MillnetError(f"gauge {value!r} is not an AWG size; expected {GAUGE_RANGE_TEXT}")
    if isinstance(value, int | np.integer):
        return _check_gauge_range(int(value), value)
    if isinstance(value, float | np.floating):
        if not np.isfinite(value) or value != int(value):
            raise MillnetError(
                f"gauge {value} is not a whole AWG size; expected {GAUGE_RANGE_TEXT}"
            )
        return _check_gauge_range(int(value), int(value))
    if not isinstance(value, str):
        raise MillnetError(f"gauge {value!r} is not an AWG size; expected {GAUGE_RANGE_TEXT}")
    text = re.sub(r"(?i)\s*awg$", "", value.strip()).strip()
    if _ZEROS.match(text) and len(text) > 1:
        return _check_gauge_range(1 - len(text), f"'{value.strip()}'")
    if match := _SLASH_ZERO.match(text):
        return _check_gauge_range(1 - int(match.group(1)), f"'{value.strip()}'")
    if _INTEGER.match(text):
        return _check_gauge_range(int(float(text)), f"'{value.strip()}'")
    raise MillnetError(
        f"gauge '{value}' is not an AWG size; expected a whole number such as '20', "
        f"or '1/0' … '4/0' (also '00' … '0000'), within {GAUGE_RANGE_TEXT}"
    )


def format_gauge(n: int) -> str:
    """AWG number n as written on a spool: ``-3 → '4/0'``, ``0 → '1/0'``, ``20 → '20'``."""
    return f"{1 - n}/0" if n <= 0 else str(n)


def _parse_gauge_strings(values: ArrayLike) -> np.ndarray:
    array = as_object_array(values)
    if array.ndim == 0:
        return np.asarray(parse_gauge(array[()]))
    flat = array.ravel()
    # np.unique works on the text; the parser sees each distinct original value (for messages).
    _, first, inverse = np.unique(flat.astype(str), return_index=True, return_inverse=True)
    parsed = np.array([parse_gauge(flat[i]) for i in first.tolist()], dtype=int)
    return parsed[inverse].reshape(array.shape)


def gauge_numbers(gauge: ArrayLike) -> np.ndarray:
    """AWG numbers n as an int array of the same shape as ``gauge`` (0-d for a scalar).

    Strings go through :func:`parse_gauge`, each distinct value once, so a whole products
    column costs one parse per size; numbers must be whole and within -3 … 56.

    Raises:
        MillnetError: a value that is not a gauge or lies outside 4/0 … 56.
    """
    if isinstance(gauge, pl.Series):
        is_text = gauge.dtype in (pl.String, pl.Categorical, pl.Object)
    else:
        is_text = np.asarray(gauge).dtype.kind in "USO"
    if is_text:
        return _parse_gauge_strings(gauge)
    if np.asarray(gauge).dtype.kind == "b":
        raise MillnetError(f"gauge {gauge!r} is not an AWG size; expected {GAUGE_RANGE_TEXT}")
    n = as_float_array(gauge)
    whole = np.isfinite(n) & (n == np.round(n))
    if (index := first_index(~whole)) is not None:
        raise MillnetError(
            f"gauge {n[index]:g} is not a whole AWG size{where_text(index)}; "
            f"expected {GAUGE_RANGE_TEXT}"
        )
    if (index := first_index((n < GAUGE_MIN) | (n > GAUGE_MAX))) is not None:
        raise MillnetError(
            f"gauge {int(n[index])} is out of range{where_text(index)}; "
            f"expected {GAUGE_RANGE_TEXT} (m/0 sizes as n = 1 - m, so 4/0 is -3)"
        )
    return n.astype(int)


def _round_significant(values: np.ndarray, figures: int) -> np.ndarray:
    exponent = np.floor(np.log10(values))
    scale = 10.0 ** (figures - 1 - exponent)
    # Dividing by an exact power of ten gives the double nearest the decimal value.
    return np.round(values * scale) / scale


def awg_diameter_in(gauge: ArrayLike, *, rounded: bool = True) -> FloatOut:
    """Diameter of AWG size n, in inches (ASTM B258; wire.md §1.1 [F]).

        d = 0.005 in · 92^((36 - n) / 39)

    n is the AWG number (m/0 sizes use n = 1 - m, so 4/0 → -3); ``gauge`` may hold ints or
    gauge strings (see :func:`parse_gauge`). The result is rounded to 4 significant figures, as
    ASTM B258 tabulates diameters, and no further (so 12 AWG is 0.08081 in and 32 AWG 0.007950
    in); ``rounded=False`` returns the unrounded formula value.

    Raises:
        MillnetError: a gauge outside 4/0 … 56.
    """
    n = gauge_numbers(gauge).astype(float)
    d = AWG_D36_IN * AWG_RATIO_BASE ** ((36.0 - n) / AWG_STEPS)
    if rounded:
        d = _round_significant(d, AWG_SIGNIFICANT_FIGURES)
    return out(d)


def awg_diameter_mm(gauge: ArrayLike, *, rounded: bool = True) -> FloatOut:
    """Diameter of AWG size n in millimetres: d(mm) = 25.4 · d(in) (wire.md §1.1).

    The inch diameter of :func:`awg_diameter_in` (rounded to 4 significant figures unless
    ``rounded=False``) converted exactly, so inch and metric results describe the same wire.
    """
    return out(np.asarray(awg_diameter_in(gauge, rounded=rounded)) * MM_PER_IN)


def circular_mils(diameter_in: ArrayLike) -> FloatOut:
    """Area of a round wire in circular mils: A = (1000 · d)², d in inches (wire.md §1.2 [F])."""
    return out((as_float_array(diameter_in) * 1000.0) ** 2)


def area_in2(area_cmil: ArrayLike) -> FloatOut:
    """Circular mils to square inches: A(in²) = A(cmil) · π/4 · 10⁻⁶ (wire.md §1.2 [F])."""
    return out(as_float_array(area_cmil) * IN2_PER_CMIL)


def area_mm2(area_cmil: ArrayLike) -> FloatOut:
    """Circular mils to square millimetres: A(mm²) = A(cmil) · 5.067075 · 10⁻⁴ (wire.md §1.2)."""
    return out(as_float_array(area_cmil) * MM2_PER_CMIL)


def lay_factor(strands: ArrayLike, override: ArrayLike | None = None) -> FloatOut:
    """Lay (stranding) factor k: the length of a strand per unit length of conductor.

    Default (wire.md §1.5 [A], after the amcwire.com design sheet and ASTM B496's 2 %):

    ====================  =====
    strands N             k
    ====================  =====
    1 (solid)             1.00
    2 … 19                1.02
    20 … 49               1.03
    50 and more           1.04
    ====================  =====

    ``override`` replaces k where it is given (NaN or None keeps the default); it must be ≥ 1.

    Raises:
        MillnetError: a strand count below 1 or not whole, or an override below 1.
    """
    n = as_float_array(strands)
    bad = ~np.isfinite(n) | (n < 1) | (n != np.round(n))
    if (index := first_index(bad)) is not None:
        raise MillnetError(
            f"strand count {n[index]:g} is not valid{where_text(index)}; "
            "expected a whole number of at least 1"
        )
    bounds = np.array([b for b, _ in LAY_FACTOR_STEPS])
    factors = np.array([k for _, k in LAY_FACTOR_STEPS] + [LAY_FACTOR_ABOVE])
    k = factors[np.searchsorted(bounds, n, side="left")]
    if override is not None:
        given = as_float_array(override)
        k, given = np.broadcast_arrays(k, given)
        bad = np.isfinite(given) & (given < 1.0)
        if (index := first_index(bad)) is not None:
            raise MillnetError(
                f"lay factor {given[index]:g} is not valid{where_text(index)}; expected k ≥ 1 "
                "(a strand is never shorter than the conductor)"
            )
        k = np.where(np.isfinite(given), given, k)
    return out(np.asarray(k, dtype=float))


def diameter_factor(strands: ArrayLike) -> FloatOut:
    """Overall diameter of a stranded conductor as a multiple of the strand diameter.

    Concentric lay: 3 for 7 strands, 5 for 19, 7 for 37, 9 for 61; otherwise ≈ √(1.332 · N)
    (wire.md §1.5 [F], electricalengineeringtoolbox). 1 for a solid wire.
    """
    n = as_float_array(strands)
    factor = np.sqrt(BUNCH_DIAMETER_FACTOR_COEFF * n)
    for count, exact in CONCENTRIC_DIAMETER_FACTORS.items():
        factor = np.where(n == count, exact, factor)
    return out(factor)


def mass_lb_per_kft(area_cmil: ArrayLike, density_g_cm3: ArrayLike) -> FloatOut:
    """Mass of a straight round wire in lb per 1,000 ft (wire.md §1.4 [D]).

        m = c · rho · A

    A is the area in cmil, rho the density in g/cm³ and c = 3.40486 · 10⁻⁴ lb/kft per cmil per
    g/cm³ (lb/g · cm³/in³ · π/4 · 10⁻⁶ in² · 12,000 in). For copper (rho = 8.89) c·rho = 0.0030270.
    """
    return out(
        LB_PER_KFT_PER_CMIL_PER_G_CM3 * as_float_array(density_g_cm3) * as_float_array(area_cmil)
    )


def resistance_ohm_per_kft(
    area_cmil: ArrayLike, resistivity_ohm_cmil_per_ft: ArrayLike
) -> FloatOut:
    """DC resistance of a straight round wire in Ω per 1,000 ft (wire.md §1.4 [D]).

        R = 1000 · rho / A

    rho in Ω·cmil/ft (10.371 for annealed copper at 20 °C, wire.md §1.3), A in cmil.
    """
    return out(FT_PER_KFT * as_float_array(resistivity_ohm_cmil_per_ft) / as_float_array(area_cmil))


def resistance_at_temperature(
    resistance_20c: ArrayLike, temperature_c: ArrayLike, *, alpha_per_c: float = ALPHA_20_PER_C
) -> FloatOut:
    """Resistance at temperature T from the 20 °C value (wire.md §1.4 [D], IACS alpha).

        R_T = R_20 · [1 + alpha_20 · (T - 20 °C)],  alpha_20 = 0.00393 /°C

    Raises:
        MillnetError: T so low that R_T would not be positive (T ≤ -234.4 °C for copper).
    """
    t = as_float_array(temperature_c)
    factor = 1.0 + alpha_per_c * (t - REFERENCE_TEMPERATURE_C)
    if (index := first_index(~(factor > 0))) is not None:
        raise MillnetError(
            f"temperature {t[index]:g} °C is out of range{where_text(index)}; the linear "
            f"resistance law needs T > {REFERENCE_TEMPERATURE_C - 1 / alpha_per_c:.1f} °C"
        )
    return out(as_float_array(resistance_20c) * factor)
