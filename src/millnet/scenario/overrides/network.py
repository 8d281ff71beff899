"""Overrides of the network: forced plant states, capacities and cost columns."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Literal

import polars as pl
from pydantic import Field, ValidationInfo, field_validator, model_validator

from millnet.scenario.context import At, State
from millnet.scenario.overrides.base import (
    Ids,
    Override,
    PlantState,
    exactly_one,
    mask_of,
    set_where,
)
from millnet.schema.tables import TABLES


class ForceState(Override):
    """Fix plants' states in periods before solving: "what if we keep Littleton running?".

    Becomes the model option ``force_states``; a later override for the same plant and period
    wins. Only planned periods can be forced.
    """

    kind: Literal["force_state"] = "force_state"
    plants: Ids = Field(min_length=1, description="Plant ids (`plants.id`).")
    state: PlantState = Field(description="running, idle or closed.")
    periods: Ids | None = Field(None, description="Periods; default: every planned period.")
    from_period: str | None = Field(None, description="First period (instead of `periods`).")
    to_period: str | None = Field(None, description="Last period (instead of `periods`).")
    example: ClassVar[dict[str, Any]] = {
        "kind": "force_state",
        "plants": ["littleton-nh"],
        "state": "running",
    }

    @model_validator(mode="after")
    def _periods_or_range(self) -> ForceState:
        if self.periods is not None and (self.from_period or self.to_period):
            raise ValueError("give periods or from_period/to_period, not both")
        return self

    def apply(self, state: State, at: At) -> State:
        state.check_ids(at, "plants", self.plants, state.case["plants"]["id"].to_list(), "plant")
        periods = state.select_periods(
            at, self.periods, self.from_period, self.to_period, planned_only=True
        )
        forced = dict(state.forced)
        for plant in self.plants:
            for period in periods:
                forced[(plant, period)] = self.state
        return dataclasses.replace(state, forced=forced)


class Capacity(Override):
    """Scale or set the capacity of plants' resources: a line added, a shift cut, a fire.

    Rows of ``resources`` matching every filter given change; with no filter, every row does.
    """

    kind: Literal["capacity"] = "capacity"
    plants: Ids | None = Field(None, description="Plant ids; default: every plant.")
    resources: Ids | None = Field(
        None, description="Resources (`resources.resource`); default: every resource."
    )
    factor: float | None = Field(None, ge=0, description="Multiplier of the capacity.")
    capacity: float | None = Field(None, ge=0, description="New capacity per period.")
    example: ClassVar[dict[str, Any]] = {
        "kind": "capacity",
        "plants": ["camden-ny"],
        "resources": ["fine_drawing"],
        "factor": 1.2,
    }

    @model_validator(mode="after")
    def _one_way(self) -> Capacity:
        exactly_one(self, "factor", "capacity")
        return self

    def apply(self, state: State, at: At) -> State:
        table = state.case["resources"]
        state.check_ids(at, "plants", self.plants, state.case["plants"]["id"].to_list(), "plant")
        state.check_ids(
            at, "resources", self.resources, table["resource"].unique().to_list(), "resource"
        )
        condition = pl.lit(True)
        if self.plants is not None:
            condition = condition & pl.col("plant_id").is_in(list(self.plants))
        if self.resources is not None:
            condition = condition & pl.col("resource").is_in(list(self.resources))
        mask = mask_of(table, condition)
        if not mask.any():
            raise at.error((), "matches no row of resources (no such plant and resource pair)")
        value = (
            pl.col("capacity") * self.factor
            if self.factor is not None
            else pl.lit(float(self.capacity or 0.0))
        )
        return state.with_tables(resources=set_where(table, mask, "capacity", value))


def _cost_columns() -> dict[str, str]:
    """Every numeric cost column of the case, by column name → table (names are unique).

    Money columns (unit in currency) outside demand, whose prices are revenue, plus the duty
    rate, the one cost a trade scenario turns.
    """
    found: dict[str, str] = {}
    for table in TABLES.values():
        if table.name == "demand":
            continue
        for column in table.columns:
            if column.dtype == "float" and column.unit.startswith("currency"):
                found[column.name] = table.name
    found["rate"] = "duties"
    return found


#: Cost columns a ``costs`` override may change, and the table of each.
COST_COLUMNS: dict[str, str] = _cost_columns()
#: Filters of a ``costs`` override and the column each reads, per table.
COST_FILTERS: dict[str, dict[str, str]] = {
    "plants": {
        "plants": "id",
        "resources": "plant_id",
        "lanes": "plant_id",
        "qualifications": "plant_id",
        "sourcing": "plant_id",
    },
    "resources": {"resources": "resource"},
    "customers": {
        "lanes": "customer_id",
        "qualifications": "customer_id",
        "sourcing": "customer_id",
    },
    "origins": {"freight": "origin", "duties": "origin_country"},
    "destinations": {"freight": "destination", "duties": "destination_country"},
    "modes": {"freight": "mode"},
}
CostColumn = Literal[tuple(COST_COLUMNS)]  # type: ignore[valid-type]


class Costs(Override):
    """Scale or set one numeric cost column: energy dearer, freight rates up, a duty imposed.

    ``column`` names the column (its table follows from it, see the list below); filters pick
    rows of that table and must apply to it. Amounts are in each row's own currency.
    """

    kind: Literal["costs"] = "costs"
    column: CostColumn = Field(description="The cost column, e.g. fixed_cost_running.")
    factor: float | None = Field(None, ge=0, description="Multiplier of the column.")
    value: float | None = Field(None, ge=0, description="New value of the column.")
    plants: Ids | None = Field(
        None, description="Plant ids (plants, resources, lanes, qualifications, sourcing)."
    )
    resources: Ids | None = Field(None, description="Resources (resources).")
    customers: Ids | None = Field(
        None, description="Customer ids (lanes, qualifications, sourcing)."
    )
    origins: Ids | None = Field(
        None, description="Origins (freight: region or country; duties: country)."
    )
    destinations: Ids | None = Field(
        None, description="Destinations (freight: region or country; duties: country)."
    )
    modes: Ids | None = Field(None, description="Transport modes (freight).")
    example: ClassVar[dict[str, Any]] = {
        "kind": "costs",
        "column": "cost_per_mass_distance",
        "modes": ["ocean"],
        "factor": 1.5,
    }

    @field_validator(*COST_FILTERS)
    @classmethod
    def _filter_applies(cls, value: Ids | None, info: ValidationInfo) -> Ids | None:
        column = info.data.get("column")
        table = COST_COLUMNS.get(column or "")
        if (
            value is not None
            and table is not None
            and table not in COST_FILTERS[info.field_name or ""]
        ):
            usable = ", ".join(k for k, t in COST_FILTERS.items() if table in t) or "none"
            raise ValueError(
                f"{info.field_name} does not apply to {column} (table {table}); filters of "
                f"{table}: {usable}"
            )
        return value

    @model_validator(mode="after")
    def _one_way(self) -> Costs:
        exactly_one(self, "factor", "value")
        return self

    def apply(self, state: State, at: At) -> State:
        table_name = COST_COLUMNS[self.column]
        table = state.case[table_name]
        condition = pl.lit(True)
        for key, tables in COST_FILTERS.items():
            values = getattr(self, key)
            if values is None:
                continue
            column = tables[table_name]
            known = table[column].drop_nulls().unique(maintain_order=True).to_list()
            if key == "plants":
                known = state.case["plants"]["id"].to_list()
            elif key == "customers":
                known = state.case["customers"]["id"].to_list()
            what = {"plants": "plant", "customers": "customer"}.get(
                key, f"{column} of {table_name}"
            )
            state.check_ids(at, key, values, known, what)
            condition = condition & pl.col(column).is_in(list(values))
        mask = mask_of(table, condition)
        if not mask.any():
            raise at.error((), f"matches no row of {table_name}")
        value = (
            pl.col(self.column) * self.factor
            if self.factor is not None
            else pl.lit(float(self.value or 0.0))
        )
        return state.with_tables(**{table_name: set_where(table, mask, self.column, value)})
