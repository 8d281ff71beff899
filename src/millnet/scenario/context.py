"""What an override sees while it is applied: the case so far, the option overrides so far, the
planned periods, and where in which file the override was written (for its errors)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from millnet.case import Case
from millnet.scenario.source import KeyPath, Problem, ScenarioError, SourceMap, suggest

#: Shown ids in an "unknown id" message before the rest are counted.
_SHOWN = 5


@dataclass(frozen=True)
class At:
    """Where an override was written: its scenario's file and its key path there."""

    source: SourceMap
    path: KeyPath
    scenario: str

    def problem(self, sub: KeyPath, message: str) -> Problem:
        return self.source.problem((*self.path, *sub), message)

    def error(self, sub: KeyPath, message: str) -> ScenarioError:
        return ScenarioError([self.problem(sub, message)])


@dataclass(frozen=True)
class State:
    """The case and options as the overrides before this one left them (never mutated)."""

    case: Case
    #: Model option overrides so far, by option name.
    options: Mapping[str, object]
    #: Forced plant states so far, by (plant, period).
    forced: Mapping[tuple[str, str], str]
    #: Every period id in calendar order, and those planned (plan_from on).
    periods: tuple[str, ...]
    planned: tuple[str, ...]
    #: What the overrides decided that the file does not say (e.g. which customer was largest).
    notes: tuple[str, ...] = field(default=())

    def with_tables(self, **tables: pl.DataFrame) -> State:
        return dataclasses.replace(self, case=self.case.with_tables(**tables))

    def note(self, text: str) -> State:
        return dataclasses.replace(self, notes=(*self.notes, text))

    def unknown(
        self, at: At, path: KeyPath, value: str, known: Sequence[str], what: str
    ) -> Problem:
        """The problem of ``value`` (at ``path``) not being one of ``known``."""
        hint = suggest(value, known) or _examples(known)
        return at.problem(path, f"unknown {what} '{value}' in case {self.case.name}{hint}")

    def check_ids(
        self, at: At, key: str, values: Sequence[str] | None, known: Iterable[str], what: str
    ) -> None:
        """Raise naming every value of ``values`` (at ``key``) that is not in ``known``."""
        if values is None:
            return
        known_sorted = sorted({k for k in known if k is not None})
        known_set = set(known_sorted)
        problems = [
            self.unknown(at, (key, index), value, known_sorted, what)
            for index, value in enumerate(values)
            if value not in known_set
        ]
        if problems:
            raise ScenarioError(problems)

    def select_periods(
        self,
        at: At,
        periods: Sequence[str] | None,
        from_period: str | None,
        to_period: str | None,
        *,
        planned_only: bool = False,
    ) -> list[str]:
        """The periods an override names: its list, its range, or every planned period."""
        if periods is not None:
            self.check_ids(at, "periods", periods, self.periods, "period")
            chosen = list(periods)
        elif from_period is None and to_period is None:
            return list(self.planned)
        else:
            for key, value in (("from_period", from_period), ("to_period", to_period)):
                if value is not None and value not in self.periods:
                    raise ScenarioError([self.unknown(at, (key,), value, self.periods, "period")])
            first = from_period or (self.planned[0] if self.planned else self.periods[0])
            start = self.periods.index(first)
            end = self.periods.index(to_period) if to_period else len(self.periods) - 1
            if start > end:
                raise at.error(
                    ("to_period",),
                    f"to_period {to_period} comes before the first period of the range "
                    f"({self.periods[start]})",
                )
            chosen = list(self.periods[start : end + 1])
        if planned_only:
            history = [p for p in chosen if p not in self.planned]
            if history:
                first = self.planned[0] if self.planned else "—"
                raise at.error(
                    ("periods",) if periods is not None else ("from_period",),
                    f"period {history[0]} is history (planning starts at {first}); only planned "
                    "periods can be changed here",
                )
        return chosen


def _examples(known: Sequence[str]) -> str:
    if not known:
        return " (it has none)"
    shown = ", ".join(known[:_SHOWN])
    more = f", … ({len(known)} in all)" if len(known) > _SHOWN else ""
    return f"; expected one of {shown}{more}"


#: Filter keys over demand rows and the column of the joined demand table each one reads.
WHO_COLUMNS: dict[str, str] = {
    "segments": "segment",
    "channels": "channel",
    "customers": "customer_id",
    "products": "product_id",
    "families": "family",
    "countries": "customer_country",
}


def demand_attributes(case: Case) -> pl.DataFrame:
    """Every demand row (in order) with its customer's segment, channel and country and its
    product's family."""
    customers = (
        case["customers"]
        .select(
            pl.col("id").alias("customer_id"),
            "segment",
            "channel",
            pl.col("country").alias("customer_country"),
        )
        .unique("customer_id", keep="first", maintain_order=True)
    )
    products = (
        case["products"]
        .select(pl.col("id").alias("product_id"), "family")
        .unique("product_id", keep="first", maintain_order=True)
    )
    return (
        case["demand"]
        .select("customer_id", "product_id", "period_id")
        .join(customers, on="customer_id", how="left", maintain_order="left")
        .join(products, on="product_id", how="left", maintain_order="left")
    )


def who_condition(filters: Mapping[str, Sequence[str] | None]) -> pl.Expr:
    """True for demand rows (of :func:`demand_attributes`) matching every given filter."""
    condition = pl.lit(True)
    for key, values in filters.items():
        if values is not None:
            condition = condition & pl.col(WHO_COLUMNS[key]).is_in(list(values))
    return condition.fill_null(False)


def known_who(case: Case) -> dict[str, list[str]]:
    """The ids each demand filter may name in ``case``."""
    customers, products = case["customers"], case["products"]
    return {
        "customers": customers["id"].drop_nulls().to_list(),
        "products": products["id"].drop_nulls().to_list(),
        "families": products["family"].drop_nulls().unique(maintain_order=True).to_list(),
        "countries": customers["country"].drop_nulls().unique(maintain_order=True).to_list(),
    }


WHAT = {
    "customers": "customer",
    "products": "product",
    "families": "product family",
    "countries": "customer country",
}
