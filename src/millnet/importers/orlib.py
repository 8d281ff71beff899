"""OR-Library capacitated facility location instances (Beasley's ``cap*.txt``) as cases.

The file is a stream of whitespace-separated tokens (line breaks carry no meaning)::

    m n                                  facilities, customers
    m × (capacity fixed_cost)            or the word "capacity" instead of a number
    n × (demand cost_1j … cost_mj)       cost_ij: serving ALL of customer j's demand from i

The case has one period, one product made on one resource (``throughput``) of capacity s_i at
every plant, and one demand row per customer. Opening facility i is running plant ``f<i>``:
plants start idle, running costs the fixed cost, idle (and closed) costs nothing, and every
transition is free and immediate. A lane ``f<i> → c<j>`` costs ``cost_ij ÷ demand_j`` per unit,
so serving a fraction x_ij of j's demand costs x_ij · cost_ij, and the plan's cost is the CFLP
objective Σ f_i y_i + Σ cost_ij x_ij whenever every customer is fully served.

Demand is priced (``price_basis = fixed``) so that leaving any of it unmet is never optimal: the
cost objective charges unmet demand at ten times the price per unit, and the price is the first
power of ten above B ÷ q, where B = Σ_i f_i + Σ_j max_i cost_ij bounds the cost of the
all-facilities-open plan and q is the data's resolution (1 when demands and capacities are whole
numbers, 0.01 with two decimals, …). A plan that leaves demand unmet while its open capacity
covers total demand can ship the rest for less than the price; one whose open capacity falls
short leaves at least q unmet, which costs more than B. (This needs the instance to be feasible:
total capacity ≥ total demand.) A customer with no demand keeps its row (quantity 0) and lanes
of cost 0.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from millnet.case import Case
from millnet.errors import CaseError, MillnetError, UsageError
from millnet.schema import TABLES, CaseMeta

#: The single period of an imported instance.
PERIOD = "P1"
#: The product every customer orders and its one resource.
PRODUCT = "goods"
RESOURCE = "throughput"
#: Mass unit of the case (the demand unit: quantities and capacities are in it).
MASS_UNIT = "t"
CURRENCY = "USD"
#: The word some files (capa, capb, capc) carry instead of a facility's capacity.
CAPACITY_WORD = "capacity"
#: Most decimals looked at for the data's resolution q (finer data is taken at 10⁻⁶).
MAX_DECIMALS = 6


@dataclass(frozen=True, eq=False)
class CapInstance:
    """A parsed instance: arrays by facility i and customer j."""

    name: str
    file: str
    capacity: np.ndarray  # (m,)
    fixed_cost: np.ndarray  # (m,)
    demand: np.ndarray  # (n,)
    #: cost[i, j]: serving all of customer j's demand from facility i.
    cost: np.ndarray  # (m, n)
    #: Whether any capacity was the word "capacity" (and so the given capacity).
    capacity_given: bool = False

    @property
    def n_facilities(self) -> int:
        return int(self.capacity.size)

    @property
    def n_customers(self) -> int:
        return int(self.demand.size)


def read_orlib_cap(path: str | Path, capacity: float | None = None) -> Case:
    """The case of the OR-Library CFLP instance at ``path`` (see the module docstring).

    ``capacity`` replaces the word ``capacity`` where a file has it instead of a number (capa,
    capb, capc); it is an error to leave it out for such a file or to give it for one that states
    every capacity. Raises :class:`~millnet.errors.MillnetError` naming the file, the token and
    what was expected when the file is malformed.
    """
    return cap_case(parse_orlib_cap(path, capacity))


def parse_orlib_cap(path: str | Path, capacity: float | None = None) -> CapInstance:
    """Parse an instance file into arrays (see :func:`read_orlib_cap`)."""
    path = Path(path)
    text = _read_text(path)
    file = path.name
    tokens = text.split()
    parser = _Parser(text, tokens, file)
    m = parser.count(0, "the number of facilities")
    n = parser.count(1, "the number of customers")
    expected = 2 + 2 * m + n * (1 + m)
    if len(tokens) < expected:
        raise MillnetError(
            f"{file}: the file ends after {len(tokens):,} tokens; expected "
            f"{_what(len(tokens), m)} next (token {len(tokens) + 1:,}); {m} facilities and "
            f"{n} customers make {expected:,} tokens"
        )
    if len(tokens) > expected:
        raise MillnetError(
            f"{file}: {parser.where(expected)}: found {_show(tokens[expected])} after the last "
            f"customer's costs; {m} facilities and {n} customers make {expected:,} tokens"
        )
    capacity_slots = np.arange(2, 2 + 2 * m, 2)
    words = [k for k in capacity_slots if tokens[k].lower() == CAPACITY_WORD]
    if words and capacity is None:
        raise UsageError(
            f"{file}: the capacities are the word '{CAPACITY_WORD}' ({len(words)} of {m} "
            "facilities), so the file does not state them; pass the capacity to use, e.g. "
            "--capacity 8000 (OR-Library's optima.tsv lists one per instance variant)"
        )
    if capacity is not None:
        if not words:
            raise UsageError(
                f"{file}: the file states every facility's capacity; --capacity is only for "
                f"files that carry the word '{CAPACITY_WORD}' instead (capa, capb, capc)"
            )
        if not math.isfinite(capacity) or capacity < 0:
            raise UsageError(f"--capacity: found {capacity}; expected a number ≥ 0")
        for k in words:
            tokens[k] = repr(float(capacity))
    values = parser.numbers(tokens, 2, m)
    facilities = values[: 2 * m].reshape(m, 2)
    customers = values[2 * m :].reshape(n, m + 1)
    name = path.stem if not words else f"{path.stem}-{float(capacity or 0):g}"
    return CapInstance(
        name=name,
        file=file,
        capacity=facilities[:, 0].copy(),
        fixed_cost=facilities[:, 1].copy(),
        demand=customers[:, 0].copy(),
        cost=np.ascontiguousarray(customers[:, 1:].T),
        capacity_given=bool(words),
    )


def _read_text(path: Path) -> str:
    if not path.exists():
        raise CaseError(f"{path}: no such file")
    if path.is_dir():
        raise CaseError(f"{path}: is a folder; expected an OR-Library instance file (cap41.txt)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CaseError(f"{path}: cannot read the file ({exc.strerror})") from exc
    # The files are ASCII; latin-1 never fails, so stray bytes surface as bad tokens.
    return raw.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def _what(k: int, m: int) -> str:
    """What token ``k`` (0-based) of an instance with ``m`` facilities is."""
    if k == 0:
        return "the number of facilities"
    if k == 1:
        return "the number of customers"
    if k < 2 + 2 * m:
        i = (k - 2) // 2 + 1
        return f"the {'capacity' if k % 2 == 0 else 'fixed cost'} of facility {i}"
    j, c = divmod(k - 2 - 2 * m, m + 1)
    if c == 0:
        return f"the demand of customer {j + 1}"
    return f"the cost of serving customer {j + 1} from facility {c}"


def _show(token: str) -> str:
    return repr(token if len(token) <= 24 else token[:24] + "…")


class _Parser:
    """Reads numbers from the token list, naming the token and its line on failure."""

    def __init__(self, text: str, tokens: list[str], file: str) -> None:
        self.text = text
        self.tokens = tokens
        self.file = file

    def where(self, k: int) -> str:
        """``token 57 (line 12)`` for 0-based token ``k``."""
        for index, match in enumerate(re.finditer(r"\S+", self.text)):
            if index == k:
                return f"token {k + 1:,} (line {self.text.count(chr(10), 0, match.start()) + 1})"
        return f"token {k + 1:,}"

    def fail(self, k: int, what: str, expectation: str) -> MillnetError:
        return MillnetError(
            f"{self.file}: {self.where(k)}: found {_show(self.tokens[k])}; expected {what} "
            f"({expectation})"
        )

    def count(self, k: int, what: str) -> int:
        if not self.tokens:
            raise MillnetError(f"{self.file}: the file is empty; expected {what} first")
        if len(self.tokens) <= k:
            raise MillnetError(f"{self.file}: the file ends after token {k}; expected {what} next")
        try:
            value = float(self.tokens[k])
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value.is_integer() and value >= 1):
            raise self.fail(k, what, "a whole number ≥ 1")
        return int(value)

    def numbers(self, tokens: list[str], start: int, m: int) -> np.ndarray:
        """Tokens ``start…`` as floats ≥ 0 (finite), or an error naming the first bad one."""
        body = tokens[start:]
        try:
            values = np.array(body, dtype=np.float64)
        except ValueError:
            values = None
        if values is not None and bool(np.all(np.isfinite(values) & (values >= 0))):
            return values
        for offset, token in enumerate(body):
            try:
                value = float(token)
            except ValueError:
                value = math.nan
            if not (math.isfinite(value) and value >= 0):
                k = start + offset
                raise self.fail(k, _what(k, m), "a number ≥ 0")
        raise AssertionError("unreachable: a bad token was detected but not found")


def resolution(values: np.ndarray) -> float:
    """The largest q = 10⁻ᵏ (k ≤ 6) of which every value is a whole multiple."""
    values = values[values > 0]
    for k in range(MAX_DECIMALS + 1):
        scaled = values * 10.0**k
        if bool(np.all(np.abs(scaled - np.round(scaled)) <= 1e-9 * np.maximum(1.0, scaled))):
            return 10.0**-k
    return 10.0**-MAX_DECIMALS


def dominant_price(instance: CapInstance) -> float:
    """The demand price: the first power of ten above B ÷ q (see the module docstring)."""
    bound = float(instance.fixed_cost.sum())
    if instance.cost.size:
        bound += float(instance.cost.max(axis=0).sum())
    floor = bound / resolution(np.concatenate([instance.demand, instance.capacity]))
    price = 1.0
    while price <= floor:
        price *= 10.0
    return price


def _frame(table_name: str, height: int, /, **columns: object) -> pl.DataFrame:
    """Table ``table_name`` with every declared column: given ones, else the default (or
    blank)."""
    table = TABLES[table_name]
    unknown = set(columns) - set(table.column_names)
    assert not unknown, f"not columns of {table_name}: {unknown}"
    series = []
    for column in table.columns:
        value = columns.get(column.name, column.default)
        if isinstance(value, (np.ndarray, list, pl.Series)):
            series.append(pl.Series(column.name, value).cast(column.polars_dtype))
        else:
            series.append(
                pl.repeat(value, height, dtype=column.polars_dtype, eager=True).alias(column.name)
            )
    return pl.DataFrame(series)


def _ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{k}" for k in range(1, count + 1)]


def cap_case(instance: CapInstance) -> Case:
    """The case of a parsed instance (see the module docstring for the mapping)."""
    m, n = instance.n_facilities, instance.n_customers
    plants = _ids("f", m)
    customers = _ids("c", n)
    demand = instance.demand
    served = demand > 0
    per_unit = np.divide(
        instance.cost, demand[None, :], out=np.zeros_like(instance.cost), where=served[None, :]
    )
    price = dominant_price(instance)
    capacity_note = " (capacity given)" if instance.capacity_given else ""
    meta = CaseMeta(
        name=instance.name,
        description=(
            f"OR-Library capacitated facility location instance {instance.file}{capacity_note}: "
            f"{m} facilities × {n} customers, one period; imported by millnet import orlib-cap"
        ),
        currency=CURRENCY,
        mass_unit=MASS_UNIT,
        distance_unit="km",
    )
    tables = {
        "periods": _frame(
            "periods",
            1,
            id=PERIOD,
            start=dt.date(2000, 1, 1),
            end=dt.date(2000, 12, 31),
            order=1,
        ),
        "plants": _frame(
            "plants",
            m,
            id=plants,
            name=[f"facility {i}" for i in range(1, m + 1)],
            country="US",
            region="all",
            role="facility",
            lat=0.0,
            lon=0.0,
            initial_state="idle",
            currency=CURRENCY,
            fixed_cost_running=instance.fixed_cost,
            fixed_cost_idle=0.0,
            cost_to_idle=0.0,
            cost_to_restart=0.0,
            cost_to_close=0.0,
            restart_lead_periods=0,
            min_idle_periods=0,
            min_output=0.0,
        ),
        "resources": _frame(
            "resources",
            m,
            plant_id=plants,
            resource=RESOURCE,
            capacity=instance.capacity,
            capacity_unit=MASS_UNIT,
            variable_cost=0.0,
        ),
        "products": _frame(
            "products",
            1,
            id=PRODUCT,
            family="cflp",
            description="What every customer orders (no metal content).",
        ),
        "routings": _frame(
            "routings", 1, product_id=PRODUCT, resource=RESOURCE, usage=1.0, **{"yield": 1.0}
        ),
        "customers": _frame(
            "customers",
            n,
            id=customers,
            name=[f"customer {j}" for j in range(1, n + 1)],
            segment="industrial_energy",
            channel="oem",
            country="US",
            lat=0.0,
            lon=0.0,
        ),
        "demand": _frame(
            "demand",
            n,
            customer_id=customers,
            product_id=PRODUCT,
            period_id=PERIOD,
            quantity=demand,
            price_basis="fixed",
            price=price,
            tolled=False,
        ),
        "lanes": _frame(
            "lanes",
            m * n,
            plant_id=np.repeat(np.array(plants, dtype=object), n).tolist(),
            customer_id=customers * m,
            cost_per_unit=per_unit.ravel(),
        ),
        # The product holds no metal, but every demanded product is taken to contain copper,
        # so the period has a copper price of zero (it values nothing).
        "metal_prices": _frame(
            "metal_prices", 1, period_id=PERIOD, metal="copper", price=0.0, unit="USD/t"
        ),
    }
    return Case(meta=meta, tables=tables)


__all__ = ["CapInstance", "cap_case", "dominant_price", "parse_orlib_cap", "read_orlib_cap"]
