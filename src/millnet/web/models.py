"""Request and answer shapes of the JSON API (they make the OpenAPI schema)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

IdText = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,79}$", min_length=1, max_length=80)


class _Form(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CaseInfo(BaseModel):
    id: str
    name: str
    kind: Literal["example", "reference", "upload"]
    description: str = ""
    uploaded_at: str | None = None
    filename: str | None = None
    fingerprint: str | None = None


class UploadAnswer(BaseModel):
    case: CaseInfo
    #: Warnings (a case with errors is refused with 422 and the issues).
    issues: list[dict[str, Any]]


class CaseDetail(BaseModel):
    case: CaseInfo
    overview: dict[str, Any]
    choices: dict[str, list[str]]


class JobInfo(BaseModel):
    id: str
    kind: Literal["solve", "sweep"]
    title: str
    case_id: str
    state: Literal["queued", "running", "done", "failed", "cancelled"]
    params: dict[str, Any]
    created_at: float
    started_at: float | None
    finished_at: float | None
    message: str
    done: int
    total: int
    failed: int
    run_ids: list[str]
    error: str | None
    failures: list[dict[str, str]]
    sweep: str | None
    elapsed_s: float


class SolveRequest(_Form):
    """A solve of a case, optionally under one of its scenarios."""

    scenario: str | None = Field(None, max_length=80, description="Scenario name of the case.")
    time_limit: float | None = Field(
        300.0,
        gt=0,
        le=86400,
        description="Seconds; the best plan found by then is kept (null: no limit).",
    )
    gap: float | None = Field(None, ge=0, le=1, description="Relative MIP gap to stop at.")
    objective: Literal["cost", "margin"] = "cost"
    single_source: Literal["off", "period", "horizon"] = "off"
    forbid_closures: bool = False
    max_idle: int | None = Field(None, ge=0, le=10000)


class SweepRequest(_Form):
    """A sweep file shipped with the case, run on Dask."""

    sweep: str = Field(min_length=1, max_length=80, description="Sweep name (file stem).")
    workers: int = Field(2, ge=1, le=16, description="Dask worker processes.")
    time_limit: float | None = Field(None, gt=0, le=86400, description="Seconds per run.")
    gap: float | None = Field(None, ge=0, le=1)


class DemandShock(_Form):
    segment: str = Field(min_length=1, max_length=80)
    change_pct: float = Field(ge=-100, le=1000, description="Demand change in %, e.g. -40.")
    periods: list[str] = Field(
        default_factory=list, max_length=400, description="Periods (empty: every planned one)."
    )


class MetalShock(_Form):
    metal: str = Field(min_length=1, max_length=40)
    factor: float = Field(gt=0, le=100, description="Price multiplier, e.g. 2 for doubling.")
    from_period: str | None = Field(None, max_length=40, description="First period affected.")


class ForcedState(_Form):
    plant: str = Field(min_length=1, max_length=120)
    state: Literal["running", "idle", "closed"]
    periods: list[str] = Field(
        default_factory=list, max_length=400, description="Periods (empty: every planned one)."
    )


class OptionsForm(_Form):
    objective: Literal["cost", "margin"] | None = None
    single_source: Literal["off", "period", "horizon"] | None = None
    forbid_closures: bool | None = None
    max_idle: int | None = Field(None, ge=0, le=10000)
    max_closed: int | None = Field(None, ge=0, le=10000)


class ScenarioForm(_Form):
    """What the scenario editor sends; saved as scenario YAML through the scenario model."""

    name: str = IdText
    description: str = Field("", max_length=2000)
    demand: list[DemandShock] = Field(default_factory=list, max_length=100)
    metal: list[MetalShock] = Field(default_factory=list, max_length=100)
    force: list[ForcedState] = Field(default_factory=list, max_length=500)
    options: OptionsForm = Field(default_factory=OptionsForm)
