"""Results: tidy tables keyed by input ids, with the outcome and what produced them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType

import polars as pl

from millnet.solve.status import SolveOutcome


@dataclass(frozen=True, eq=False)
class Results:
    """A solved plan. Tables (all long, keyed by plant/customer/product/period ids):

    ``plant_states`` (plant, period, state, planned), ``transitions`` (plant, period,
    transition), ``flows`` (plant, customer, product, period, quantity, distance, cost per unit
    by term), ``unmet``, ``utilisation`` (plant, resource, period, used, capacity, utilisation),
    ``costs`` (term, plant, period, amount), ``qualifications`` (bought), ``metal`` (metal,
    period, mass), ``moves`` (demand rows served elsewhere than in the reference plan).
    """

    case_name: str
    case_fingerprint: str
    options: Mapping[str, object]
    outcome: SolveOutcome
    tables: Mapping[str, pl.DataFrame]
    timings: Mapping[str, float] = field(default_factory=dict)
    scenario: str | None = None
    currency: str = ""
    mass_unit: str = ""
    distance_unit: str = ""
    #: Objective of the reference plan (every plant that can run keeps running), when solved.
    reference_objective: float | None = None
    #: Why there is no plan, in words (only when the solve found none).
    explanation: tuple[str, ...] = ()
    #: The id of this run in a run store, once saved there (see ``millnet.store``).
    run_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "tables", MappingProxyType(dict(self.tables)))
        object.__setattr__(self, "timings", MappingProxyType(dict(self.timings)))

    def __reduce__(self) -> tuple[object, ...]:
        # the read-only mapping views do not pickle; runs travel between processes in sweeps
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["tables"] = dict(self.tables)
        values["timings"] = dict(self.timings)
        values["options"] = dict(self.options)
        return (_rebuild, (values,))

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.tables[name]

    def write(self, folder: str | Path) -> Path:
        """Every table as Parquet and ``meta.json`` in ``folder``; ``results.io.read_results``
        reads it back."""
        from millnet.results.io import write_results  # io builds on this module

        return write_results(self, folder)


def _rebuild(values: dict[str, object]) -> Results:
    return Results(**values)  # type: ignore[arg-type]
