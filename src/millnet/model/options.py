"""Options of the planning model: what is decided and how it is valued."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ModelOptions(BaseModel):
    """Every choice that changes the model (not the solver). Frozen; stored with results."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    objective: Literal["cost", "margin"] = Field(
        "cost",
        description="cost: least total cost, unmet demand charged a penalty; margin: most "
        "revenue minus cost (unprofitable demand may go unmet).",
    )
    plan_from: str | None = Field(
        None, description="First period to plan (overrides case.toml); earlier ones are history."
    )
    single_source: Literal["off", "period", "horizon"] = Field(
        "off",
        description="off: split demand freely; period: one plant per demand row; horizon: one "
        "plant per customer and product for the whole horizon.",
    )
    forbid_closures: bool = Field(False, description="No plant may close.")
    max_idle: int | None = Field(None, ge=0, description="At most this many plants idle at once.")
    max_closed: int | None = Field(None, ge=0, description="At most this many plants closed.")
    unmet_penalty: float | None = Field(
        None,
        ge=0,
        description="Cost per unit of unmet demand (objective cost); default: ten times the "
        "row's price (the lost sale and the customer's goodwill).",
    )
    move_cost: float = Field(
        0.0,
        ge=0,
        description="One-time cost of serving a customer and product from another plant than "
        "the one in the sourcing table, where the row gives none.",
    )
    circuity: float = Field(
        1.2, gt=0, description="Road distance per great-circle distance, for freight."
    )
    shipment_size: float = Field(
        40000.0, gt=0, description="Mass per shipment, to spread fixed_per_shipment per unit."
    )
    linking: Literal["auto", "strong", "weak"] = Field(
        "auto",
        description="strong: a Lane-link row per lane (tight LP bound, large LP); weak: "
        "capacity rows only; auto: strong up to 20,000 lanes.",
    )
    force_states: tuple[tuple[str, str, str], ...] = Field(
        (), description="(plant, period, state) triples fixed before solving."
    )
