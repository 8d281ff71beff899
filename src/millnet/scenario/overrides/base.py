"""The base of every override kind, the id types they share, and small table functions."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict

from millnet.scenario.context import At, State
from millnet.schema.tables import CHANNELS, METALS, PLANT_STATES, SEGMENTS

Ids = tuple[str, ...]
Segment = Literal[SEGMENTS]  # type: ignore[valid-type]
Channel = Literal[CHANNELS]  # type: ignore[valid-type]
Metal = Literal[METALS]  # type: ignore[valid-type]
PlantState = Literal[PLANT_STATES]  # type: ignore[valid-type]


class Override(BaseModel):
    """Base of every override kind: frozen, no unknown keys, and a ``kind`` tag."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    #: An example as a planner would write it (documented, and checked against ``mini``).
    example: ClassVar[dict[str, Any]] = {}

    @abstractmethod
    def apply(self, state: State, at: At) -> State:
        """The state after this override (pure: ``state`` is not changed)."""

    def to_data(self) -> dict[str, Any]:
        """The override as YAML-ready data: ``kind`` first, then the keys that were given."""
        body = self.model_dump(mode="json", exclude_unset=True, exclude={"kind"})
        return {"kind": self.kind, **body}


def exactly_one(model: BaseModel, *names: str) -> None:
    given = [n for n in names if getattr(model, n) is not None]
    if len(given) != 1:
        found = f"found {', '.join(given)}" if given else "found none"
        raise ValueError(f"give exactly one of {', '.join(names)} ({found})")


def span(periods: list[str]) -> str:
    if not periods:
        return "none"
    return periods[0] if len(periods) == 1 else f"{periods[0]}–{periods[-1]}"


def mask_of(frame: pl.DataFrame, condition: pl.Expr) -> pl.Series:
    """``condition`` evaluated on every row of ``frame`` (a constant is broadcast)."""
    return frame.with_columns(condition.fill_null(False).alias("__mask"))["__mask"]


def set_where(frame: pl.DataFrame, mask: pl.Series, column: str, value: pl.Expr) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.Series(mask)).then(value).otherwise(pl.col(column)).alias(column)
    )
