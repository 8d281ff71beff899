"""Where plants and customers are: the one table that lets reports draw a map from Results alone.

Reports and the web app may not read the case (they sit above ``results`` and see only Results),
so a plan carries the names and coordinates of the places its other tables are keyed by.
"""

from __future__ import annotations

from typing import Protocol

import polars as pl

#: Columns of the ``places`` table, in order.
SCHEMA = {
    "id": pl.String,
    "kind": pl.String,
    "name": pl.String,
    "country": pl.String,
    "lat": pl.Float64,
    "lon": pl.Float64,
}


class HasTables(Protocol):
    """Anything indexable by table name, such as a Case (results do not import the case layer)."""

    def __getitem__(self, table: str, /) -> pl.DataFrame: ...


def places_table(case: HasTables) -> pl.DataFrame:
    """One row per plant (``kind`` = plant) and per customer (``kind`` = customer): ``id``,
    ``kind``, ``name``, ``country``, ``lat``, ``lon`` (degrees). Plants first, each kind in the
    case's row order, so a map draws them the way the case lists them."""
    frames = [
        case[table].select(
            pl.col("id").cast(pl.String),
            pl.lit(kind, pl.String).alias("kind"),
            pl.col("name").cast(pl.String),
            pl.col("country").cast(pl.String),
            pl.col("lat").cast(pl.Float64),
            pl.col("lon").cast(pl.Float64),
        )
        for table, kind in (("plants", "plant"), ("customers", "customer"))
    ]
    return pl.concat(frames, how="vertical").cast(SCHEMA)  # type: ignore[arg-type]
