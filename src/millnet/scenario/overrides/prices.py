"""Overrides of metal prices: set, a path of multipliers, or a level shift."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import polars as pl
from pydantic import Field, model_validator

from millnet.scenario.context import At, State
from millnet.scenario.overrides.base import Metal, Override, exactly_one
from millnet.scenario.source import ScenarioError


class MetalPrices(Override):
    """Change the index price of one metal: set it per period, multiply it per period (a price
    path), or multiply it from a period on (a level shift such as "copper doubles").

    Prices are in the unit of the case's ``metal_prices`` rows for that metal. Only existing
    rows change: a price can be changed, not added to a period that has none.
    """

    kind: Literal["metal_prices"] = "metal_prices"
    metal: Metal = Field(description="The metal: copper, silver, nickel or tin.")
    prices: dict[str, Annotated[float, Field(ge=0)]] | None = Field(
        None, description="Index price per period, e.g. {2009Q1: 3.2}."
    )
    multipliers: dict[str, Annotated[float, Field(ge=0)]] | None = Field(
        None, description="Multiplier of the index price per period (a path)."
    )
    factor: float | None = Field(
        None, ge=0, description="Multiplier of the index price from `from_period` on."
    )
    from_period: str | None = Field(
        None, description="First period `factor` applies to; default: the first planned period."
    )
    example: ClassVar[dict[str, Any]] = {"kind": "metal_prices", "metal": "copper", "factor": 2.0}

    @model_validator(mode="after")
    def _one_way(self) -> MetalPrices:
        exactly_one(self, "prices", "multipliers", "factor")
        if self.from_period is not None and self.factor is None:
            raise ValueError("from_period goes with factor")
        return self

    def apply(self, state: State, at: At) -> State:
        table = state.case["metal_prices"]
        have = set(table.filter(pl.col("metal") == self.metal)["period_id"].to_list())
        if self.factor is not None:
            start = self.from_period or (state.planned[0] if state.planned else state.periods[0])
            if start not in state.periods:
                raise ScenarioError(
                    [state.unknown(at, ("from_period",), start, state.periods, "period")]
                )
            periods = [p for p in state.periods[state.periods.index(start) :] if p in have]
            if not periods:
                raise at.error((), f"no {self.metal} price in metal_prices from {start} on")
            changes = dict.fromkeys(periods, self.factor)
            value = pl.col("price") * pl.col("__change")
        else:
            key = "prices" if self.prices is not None else "multipliers"
            changes = dict(self.prices if self.prices is not None else self.multipliers or {})
            state.check_ids(at, key, list(changes), state.periods, "period")
            for period in changes:
                if period not in have:
                    raise at.error(
                        (key, period),
                        f"metal_prices has no {self.metal} price for {period}; a price can be "
                        "changed, not added",
                    )
            value = (
                pl.col("__change")
                if self.prices is not None
                else pl.col("price") * pl.col("__change")
            )
        lookup = pl.DataFrame(
            {"period_id": list(changes), "__change": [float(v) for v in changes.values()]},
            schema={"period_id": pl.String, "__change": pl.Float64},
        )
        joined = table.with_columns(pl.lit(self.metal).alias("__metal")).join(
            lookup, on="period_id", how="left", maintain_order="left"
        )
        hit = (pl.col("metal") == pl.col("__metal")) & pl.col("__change").is_not_null()
        updated = joined.with_columns(
            pl.when(hit).then(value).otherwise(pl.col("price")).alias("price")
        ).drop("__metal", "__change")
        return state.with_tables(metal_prices=updated)
