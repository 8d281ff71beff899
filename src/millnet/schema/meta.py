"""``case.toml``: the case's name and units, declared as a pydantic model."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from millnet.schema.codes import is_currency

MASS_UNITS = ("lb", "kg", "t")
DISTANCE_UNITS = ("mi", "km")


class CaseMeta(BaseModel):
    """The settings of a case (``case.toml``; the ``case`` sheet of a workbook)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, description="Short name of the case.")
    description: str = Field("", description="What the case represents.")
    currency: str = Field(description="ISO 4217 code of the case currency, e.g. USD.")
    mass_unit: Literal["lb", "kg", "t"] = Field(
        description="Unit of quantities, capacities in mass and metal content: lb, kg or t."
    )
    distance_unit: Literal["mi", "km"] = Field(description="Unit of freight distances: mi or km.")
    plan_from: str | None = Field(
        None, description="First period to plan; earlier periods are history."
    )

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not is_currency(value):
            raise ValueError(f"'{value}' is not an ISO 4217 currency code (e.g. USD, EUR)")
        return value

    def to_toml(self) -> str:
        """The ``case.toml`` text for these settings (keys in declaration order)."""
        lines = []
        for key, value in self.model_dump().items():
            if value is None:
                continue
            lines.append(f"{key} = {_toml_string(str(value))}")
        return "\n".join(lines) + "\n"


def _toml_string(value: str) -> str:
    out = []
    for ch in value:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
