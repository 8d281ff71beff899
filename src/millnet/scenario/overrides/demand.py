"""Overrides of demand: scale or set quantities, carry another period's demand over, lose
customers. They act on the planned periods unless they name periods: a scenario is a question
about the plan, and history stays what happened."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

import polars as pl
from pydantic import Field, model_validator

from millnet.scenario.context import (
    WHAT,
    WHO_COLUMNS,
    At,
    State,
    demand_attributes,
    known_who,
    who_condition,
)
from millnet.scenario.overrides.base import (
    Channel,
    Ids,
    Override,
    Segment,
    exactly_one,
    mask_of,
    set_where,
    span,
)
from millnet.scenario.source import ScenarioError


class _Who(Override):
    """Demand filters: a row matches when it matches every filter given."""

    segments: tuple[Segment, ...] | None = Field(
        None, description="Customer segments (`customers.segment`), e.g. aerospace."
    )
    channels: tuple[Channel, ...] | None = Field(
        None, description="Sales channels (`customers.channel`)."
    )
    customers: Ids | None = Field(None, description="Customer ids (`customers.id`).")
    products: Ids | None = Field(None, description="Product ids (`products.id`).")
    families: Ids | None = Field(None, description="Product families (`products.family`).")
    countries: Ids | None = Field(
        None, description="Countries of the customers (`customers.country`)."
    )

    def who(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in WHO_COLUMNS}

    def check_who(self, state: State, at: At) -> None:
        known = known_who(state.case)
        for key, what in WHAT.items():
            state.check_ids(at, key, getattr(self, key), known[key], what)

    def describe_who(self) -> str:
        parts = [f"{k} {', '.join(v)}" for k, v in self.who().items() if v is not None]
        return "; ".join(parts) or "every customer and product"


class _Periods(_Who):
    """Demand filters plus the periods changed (default: every planned period)."""

    periods: Ids | None = Field(
        None, description="Periods changed; default: every planned period (plan_from on)."
    )
    from_period: str | None = Field(
        None, description="First period changed (instead of `periods`); the range is inclusive."
    )
    to_period: str | None = Field(
        None, description="Last period changed (instead of `periods`); default: the last one."
    )

    @model_validator(mode="after")
    def _periods_or_range(self) -> _Periods:
        if self.periods is not None and (self.from_period or self.to_period):
            raise ValueError("give periods or from_period/to_period, not both")
        return self

    def chosen_periods(self, state: State, at: At) -> list[str]:
        return state.select_periods(at, self.periods, self.from_period, self.to_period)

    def demand_mask(self, state: State, at: At) -> tuple[pl.Series, list[str]]:
        """Which demand rows this override changes (and the periods it covers); raises when
        none."""
        self.check_who(state, at)
        periods = self.chosen_periods(state, at)
        rows = demand_attributes(state.case)
        condition = who_condition(self.who()) & pl.col("period_id").is_in(periods)
        mask = mask_of(rows, condition)
        if not mask.any():
            raise at.error(
                (),
                f"matches no demand rows of case {state.case.name} ({self.describe_who()}; "
                f"periods {span(periods)})",
            )
        return mask, periods


class ScaleDemand(_Periods):
    """Multiply the quantity of matching demand rows: a market growing or shrinking.

    Matching rows are those of the periods given (default: every planned period) whose customer
    and product match every filter given. A filter that matches no row is an error, so a typo
    cannot pass for "no change".
    """

    kind: Literal["scale_demand"] = "scale_demand"
    factor: float = Field(ge=0, description="Multiplier of the quantity, e.g. 0.6 for −40 %.")
    example: ClassVar[dict[str, Any]] = {
        "kind": "scale_demand",
        "segments": ["aerospace"],
        "factor": 0.6,
    }

    def apply(self, state: State, at: At) -> State:
        mask, _ = self.demand_mask(state, at)
        demand = state.case["demand"]
        return state.with_tables(
            demand=set_where(demand, mask, "quantity", pl.col("quantity") * self.factor)
        )


class SetDemand(_Periods):
    """Set the quantity of every matching demand row: a firm order or a forecast to test.

    Only existing rows change (a customer and product with no row in a period has none to
    set); ``quantity: 0`` keeps the row with nothing ordered.
    """

    kind: Literal["set_demand"] = "set_demand"
    quantity: float = Field(ge=0, description="Quantity of each matching row (case mass unit).")
    example: ClassVar[dict[str, Any]] = {
        "kind": "set_demand",
        "customers": ["acme-cable"],
        "periods": ["2009Q2"],
        "quantity": 1200000,
    }

    def apply(self, state: State, at: At) -> State:
        mask, _ = self.demand_mask(state, at)
        demand = state.case["demand"]
        return state.with_tables(
            demand=set_where(demand, mask, "quantity", pl.lit(float(self.quantity)))
        )


class DemandFromPeriod(_Who):
    """Replace the demand of target periods by the demand of source periods: "what if last
    year's demand had continued?".

    Either ``mapping`` (target: source) or ``targets`` with ``sources``, where each target takes
    the source period of the same season: the one whose start has the same month and day (for
    quarters, the same quarter). Matching rows of each target are removed and the matching rows
    of its source copied in with their prices, times ``factor``.
    """

    kind: Literal["demand_from_period"] = "demand_from_period"
    mapping: dict[str, str] | None = Field(
        None, description="Target period → source period, e.g. {2009Q1: 2008Q1}."
    )
    targets: Ids | None = Field(
        None, description="Periods whose demand is replaced (with `sources`)."
    )
    sources: Ids | None = Field(
        None, description="Periods whose demand is copied, one per season (with `targets`)."
    )
    factor: float = Field(1.0, ge=0, description="Multiplier of the copied quantities.")
    example: ClassVar[dict[str, Any]] = {
        "kind": "demand_from_period",
        "mapping": {"2009Q2": "2009Q1"},
    }

    @model_validator(mode="after")
    def _mapping_or_lists(self) -> DemandFromPeriod:
        lists = self.targets is not None or self.sources is not None
        if (self.mapping is None) == (not lists):
            raise ValueError("give mapping, or targets and sources (not both)")
        if lists and (self.targets is None or self.sources is None):
            raise ValueError("give both targets and sources")
        return self

    def pairs(self, state: State, at: At) -> list[tuple[str, str]]:
        """``(target, source)`` pairs, checked against the case's periods."""
        if self.mapping is not None:
            problems = [
                state.unknown(at, ("mapping", target), period, state.periods, "period")
                for target, source in self.mapping.items()
                for period in (target, source)
                if period not in state.periods
            ]
            if problems:
                raise ScenarioError(problems)
            return list(self.mapping.items())
        assert self.targets is not None
        assert self.sources is not None
        state.check_ids(at, "targets", self.targets, state.periods, "period")
        state.check_ids(at, "sources", self.sources, state.periods, "period")
        starts = dict(
            zip(
                state.case["periods"]["id"].to_list(),
                state.case["periods"]["start"].to_list(),
                strict=True,
            )
        )

        def season(period: str) -> tuple[int, int] | None:
            start = starts.get(period)
            return (start.month, start.day) if isinstance(start, date) else None

        pairs = []
        for index, target in enumerate(self.targets):
            same = [s for s in self.sources if season(s) == season(target)]
            if len(same) != 1:
                start = starts.get(target)
                when = start.strftime("%m-%d") if isinstance(start, date) else "?"
                found = "none" if not same else ", ".join(same)
                raise at.error(
                    ("targets", index),
                    f"target {target} needs exactly one source period starting on the same "
                    f"month and day ({when}); found {found}",
                )
            pairs.append((target, same[0]))
        return pairs

    def apply(self, state: State, at: At) -> State:
        self.check_who(state, at)
        pairs = self.pairs(state, at)
        demand = state.case["demand"]
        match = mask_of(demand_attributes(state.case), who_condition(self.who()))
        marked = demand.with_columns(pl.Series("__match", match))
        targets = [t for t, _ in pairs]
        sources = {s for _, s in pairs}
        relevant = marked.filter(
            pl.col("__match") & pl.col("period_id").is_in([*targets, *sources])
        )
        if relevant.height == 0:
            raise at.error(
                (),
                f"matches no demand rows of case {state.case.name} in periods "
                f"{', '.join(sorted({*targets, *sources}))} ({self.describe_who()})",
            )
        kept = marked.filter(~(pl.col("__match") & pl.col("period_id").is_in(targets)))
        copied = [
            marked.filter(pl.col("__match") & (pl.col("period_id") == source)).with_columns(
                pl.lit(target).alias("period_id"), pl.col("quantity") * self.factor
            )
            for target, source in pairs
        ]
        result = pl.concat([kept, *copied]).drop("__match")
        return state.with_tables(demand=result)


class DropCustomers(Override):
    """Remove customers' demand in the planned periods: the loss of an account.

    Name the customers, or ``largest: N`` to drop the N largest by sales value (or quantity)
    over the periods, optionally among a segment, channel or country. The customers stay in
    the case; their history is kept, so the plan still knows who served them before.
    """

    kind: Literal["drop_customers"] = "drop_customers"
    customers: Ids | None = Field(None, description="Customer ids to drop.")
    largest: int | None = Field(None, ge=1, description="Drop the N largest customers.")
    by: Literal["value", "quantity"] = Field(
        "value",
        description="Rank by sales value (case currency, metal at index plus premium) or by "
        "quantity, summed over the periods.",
    )
    segments: tuple[Segment, ...] | None = Field(
        None, description="Rank only customers of these segments (with `largest`)."
    )
    channels: tuple[Channel, ...] | None = Field(
        None, description="Rank only customers of these channels (with `largest`)."
    )
    countries: Ids | None = Field(
        None, description="Rank only customers in these countries (with `largest`)."
    )
    periods: Ids | None = Field(None, description="Periods; default: every planned period.")
    from_period: str | None = Field(None, description="First period (instead of `periods`).")
    to_period: str | None = Field(None, description="Last period (instead of `periods`).")
    example: ClassVar[dict[str, Any]] = {"kind": "drop_customers", "largest": 1}

    @model_validator(mode="after")
    def _one_way(self) -> DropCustomers:
        exactly_one(self, "customers", "largest")
        pool = [k for k in ("segments", "channels", "countries") if getattr(self, k) is not None]
        if pool and self.largest is None:
            raise ValueError(f"{', '.join(pool)} go with largest")
        if self.periods is not None and (self.from_period or self.to_period):
            raise ValueError("give periods or from_period/to_period, not both")
        return self

    def apply(self, state: State, at: At) -> State:
        periods = state.select_periods(at, self.periods, self.from_period, self.to_period)
        demand = state.case["demand"]
        known = known_who(state.case)
        if self.customers is not None:
            state.check_ids(at, "customers", self.customers, known["customers"], "customer")
            dropped, note = list(self.customers), None
        else:
            state.check_ids(at, "countries", self.countries, known["countries"], "country")
            dropped, note = self._largest(state, at, periods)
        in_window = pl.col("customer_id").is_in(dropped) & pl.col("period_id").is_in(periods)
        if demand.filter(in_window).height == 0:
            raise at.error(
                (), f"customers {', '.join(dropped)} have no demand in periods {span(periods)}"
            )
        state = state.with_tables(demand=demand.filter(~in_window))
        return state.note(note) if note else state

    def _largest(self, state: State, at: At, periods: list[str]) -> tuple[list[str], str]:
        """The ``largest`` customers and a note naming them with their totals."""
        from millnet.scenario.value import demand_value

        assert self.largest is not None
        rows = demand_attributes(state.case).with_columns(
            state.case["demand"]["quantity"].alias("quantity"),
            demand_value(state.case).alias("value"),
        )
        pool = {"segments": self.segments, "channels": self.channels, "countries": self.countries}
        ranked = (
            rows.filter(who_condition(pool) & pl.col("period_id").is_in(periods))
            .group_by("customer_id")
            .agg(pl.col(self.by).sum().alias("total"))
            .sort(["total", "customer_id"], descending=[True, False])
        )
        if ranked.height < self.largest:
            raise at.error(
                ("largest",),
                f"only {ranked.height} customer(s) have demand in periods {span(periods)}",
            )
        top = ranked.head(self.largest)
        meta = state.case.meta
        unit = (meta.currency if self.by == "value" else meta.mass_unit) if meta else ""
        named = ", ".join(
            f"{r['customer_id']} ({r['total']:,.0f} {unit})" for r in top.iter_rows(named=True)
        )
        note = (
            f"{at.scenario}: dropped the {self.largest} largest by {self.by} in "
            f"{span(periods)}: {named}"
        )
        return top["customer_id"].to_list(), note
