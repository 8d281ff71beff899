"""Solver options (not model options): which solver, how long, how close."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from millnet.solve.start import MipStart


class SolveOptions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    solver: str = Field("highs", description="Any solver linopy knows, by name.")
    time_limit: float | None = Field(
        None, gt=0, description="Seconds; the solve returns within this plus a few seconds."
    )
    gap: float | None = Field(None, ge=0, description="Relative MIP gap to stop at.")
    threads: int | None = Field(None, ge=1, description="Solver threads.")
    log: bool = Field(False, description="Show the solver's log on stderr.")
    #: Seconds allowed past the time limit before the watchdog stops the solver.
    grace: float = Field(3.0, ge=0)
    #: A known plan handed to the solver as its first incumbent; it changes how fast the
    #: optimum is found, never which, so it is left out of the options a run records.
    start: MipStart | None = Field(None, exclude=True)
