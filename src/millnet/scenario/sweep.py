"""Sweeps: many scenarios from one YAML file, as a grid or as Monte Carlo draws.

A grid is the cartesian product of named axes; each axis either puts values into one override
template (``$value`` marks where) or picks one of several named override lists::

    name: aerospace-x-copper
    base: ../scenarios/forbid-closures.yaml      # optional; every scenario builds on it
    grid:
      aerospace:
        template: {kind: scale_demand, segments: [aerospace], factor: $value}
        values: [0.6, 0.8, 1.0]
      closures:
        levels:
          allowed: []
          forbidden: [{kind: options, forbid_closures: true}]

gives ``aerospace=0.6,closures=allowed`` … six scenarios. Monte Carlo draws demand multipliers
and metal price paths from stated distributions; the same seed gives the same scenarios, and
draw *i* does not depend on how many draws there are (each draw has its own random stream).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator
from pydantic import ValidationError as PydanticValidationError

from millnet.scenario.overrides import AnyOverride, Channel, Ids, Metal, Override, Segment
from millnet.scenario.source import (
    KeyPath,
    Problem,
    ScenarioError,
    SourceMap,
    messages,
    problems_from_validation,
    read_text,
    read_yaml,
)
from millnet.scenario.spec import Scenario, _load_chain

#: Marks where an axis value goes in a grid template.
PLACEHOLDER = "$value"
#: Drawn multipliers are rounded to this many decimals, so scenarios read well.
DECIMALS = 4

_frozen = ConfigDict(frozen=True, extra="forbid")


class Normal(BaseModel):
    """Normal with ``mean`` and standard deviation ``sd``; draws below 0 count as 0."""

    model_config = _frozen
    type: Literal["normal"] = "normal"
    mean: float = Field(description="Mean multiplier, e.g. 1.0.")
    sd: float = Field(ge=0, description="Standard deviation.")

    def draw(self, rng: np.random.Generator) -> float:
        return max(0.0, float(rng.normal(self.mean, self.sd)))


class LogNormal(BaseModel):
    """Log-normal: ``median`` times exp(N(0, ``sigma``)); never negative, skewed upward."""

    model_config = _frozen
    type: Literal["lognormal"] = "lognormal"
    median: float = Field(gt=0, description="Median multiplier, e.g. 0.9.")
    sigma: float = Field(ge=0, description="Standard deviation of the multiplier's logarithm.")

    def draw(self, rng: np.random.Generator) -> float:
        return float(self.median * math.exp(rng.normal(0.0, self.sigma)))


class Uniform(BaseModel):
    """Uniform between ``low`` and ``high``."""

    model_config = _frozen
    type: Literal["uniform"] = "uniform"
    low: float = Field(ge=0, description="Least multiplier.")
    high: float = Field(ge=0, description="Largest multiplier.")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        return self

    def draw(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.low, self.high))


class Triangular(BaseModel):
    """Triangular between ``low`` and ``high``, most likely ``mode``: a planner's three-point
    estimate (pessimistic, likely, optimistic)."""

    model_config = _frozen
    type: Literal["triangular"] = "triangular"
    low: float = Field(ge=0, description="Least multiplier.")
    mode: float = Field(ge=0, description="Most likely multiplier.")
    high: float = Field(ge=0, description="Largest multiplier.")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"expected low ≤ mode ≤ high; found {self.low}, {self.mode}, {self.high}"
            )
        return self

    def draw(self, rng: np.random.Generator) -> float:
        if self.low == self.high:
            return self.low
        return float(rng.triangular(self.low, self.mode, self.high))


#: Every distribution, by its ``type``.
DISTRIBUTIONS: dict[str, type[BaseModel]] = {
    m.model_fields["type"].default: m for m in (Normal, LogNormal, Uniform, Triangular)
}
Distribution = Annotated[
    Union[tuple(DISTRIBUTIONS.values())],  # type: ignore[valid-type]  # noqa: UP007
    Field(discriminator="type"),
]


class Walk(BaseModel):
    """A log-normal random walk: each period's multiplier is the previous one times
    exp(``drift`` + ``volatility`` × N(0, 1)), so the median path moves by ``drift`` (log) per
    period and the spread grows with time, as metal prices do."""

    model_config = _frozen
    drift: float = Field(0.0, description="Change of the log multiplier per period, e.g. 0.02.")
    volatility: float = Field(ge=0, description="Standard deviation of the log change per period.")

    def path(self, rng: np.random.Generator, steps: int) -> list[float]:
        shocks = self.drift + self.volatility * rng.standard_normal(steps)
        return [float(x) for x in np.exp(np.cumsum(shocks))]


class DemandDraw(BaseModel):
    """A demand multiplier drawn once per draw for the matching demand rows (filters as in
    ``scale_demand``; default: every planned period)."""

    model_config = _frozen
    segments: tuple[Segment, ...] | None = Field(None, description="Customer segments.")
    channels: tuple[Channel, ...] | None = Field(None, description="Sales channels.")
    customers: Ids | None = Field(None, description="Customer ids.")
    products: Ids | None = Field(None, description="Product ids.")
    families: Ids | None = Field(None, description="Product families.")
    countries: Ids | None = Field(None, description="Customer countries.")
    periods: Ids | None = Field(None, description="Periods; default: every planned period.")
    distribution: Distribution = Field(description="Distribution of the multiplier.")

    def override(self, factor: float) -> dict[str, Any]:
        filters = self.model_dump(mode="json", exclude_none=True, exclude={"distribution"})
        return {"kind": "scale_demand", **filters, "factor": factor}


class MetalDraw(BaseModel):
    """A metal price path per draw: one multiplier from ``from_period`` on (``distribution``),
    or a random walk over the listed ``periods`` (``walk``)."""

    model_config = _frozen
    metal: Metal = Field(description="The metal.")
    distribution: Distribution | None = Field(
        None, description="Distribution of one multiplier applied from `from_period` on."
    )
    from_period: str | None = Field(
        None, description="First period of `distribution`; default: the first planned period."
    )
    walk: Walk | None = Field(None, description="A random walk of multipliers over `periods`.")
    periods: Ids | None = Field(
        None, description="The periods of `walk`, in order (the walk starts at the first)."
    )

    @model_validator(mode="after")
    def _one_way(self) -> MetalDraw:
        if (self.distribution is None) == (self.walk is None):
            raise ValueError("give distribution or walk (one of them)")
        if self.walk is not None and not self.periods:
            raise ValueError("walk needs periods (the periods it runs over, in order)")
        if self.walk is None and self.periods is not None:
            raise ValueError("periods go with walk; use from_period with distribution")
        return self

    def override(self, rng: np.random.Generator) -> dict[str, Any]:
        if self.walk is not None:
            assert self.periods is not None
            path = self.walk.path(rng, len(self.periods))
            multipliers = {p: round(m, DECIMALS) for p, m in zip(self.periods, path, strict=True)}
            return {"kind": "metal_prices", "metal": self.metal, "multipliers": multipliers}
        assert self.distribution is not None
        factor = round(self.distribution.draw(rng), DECIMALS)  # type: ignore[attr-defined]
        body: dict[str, Any] = {"kind": "metal_prices", "metal": self.metal, "factor": factor}
        if self.from_period is not None:
            body["from_period"] = self.from_period
        return body


class MonteCarlo(BaseModel):
    """``draws`` scenarios named draw-001, draw-002, …, each with its own random stream."""

    model_config = _frozen
    draws: int = Field(ge=1, le=100_000, description="Number of scenarios.")
    seed: int = Field(ge=0, description="Seed: the same seed gives the same scenarios.")
    demand: tuple[DemandDraw, ...] = Field((), description="Demand multipliers drawn.")
    metals: tuple[MetalDraw, ...] = Field((), description="Metal price paths drawn.")

    @model_validator(mode="after")
    def _something(self) -> MonteCarlo:
        if not self.demand and not self.metals:
            raise ValueError("give demand or metals to draw")
        return self


class Axis(BaseModel):
    """One grid axis: ``values`` put into ``template`` at ``$value``, or named ``levels``, each a
    list of overrides."""

    model_config = _frozen
    template: dict[str, Any] | None = Field(
        None, description="One override with `$value` where the axis value goes."
    )
    values: tuple[Any, ...] | None = Field(None, description="The values, in order.")
    levels: dict[str, list[dict[str, Any]]] | None = Field(
        None, description="Label → list of overrides (an empty list: no change)."
    )

    @model_validator(mode="after")
    def _one_way(self) -> Axis:
        if (self.levels is None) == (self.template is None and self.values is None):
            raise ValueError("give template with values, or levels")
        if self.levels is None and (self.template is None or not self.values):
            raise ValueError("template goes with a non-empty list of values")
        if self.levels is not None and not self.levels:
            raise ValueError("levels is empty")
        if self.template is not None and not _has_placeholder(self.template):
            raise ValueError(f"template has no {PLACEHOLDER} to put the values in")
        return self


class SolveSettings(BaseModel):
    """Solver settings for every scenario of the sweep: a sweep trades a little optimality per
    scenario for many scenarios in the time of a few (the runner's own flags win)."""

    model_config = _frozen
    time_limit: float | None = Field(None, gt=0, description="Seconds per scenario.")
    gap: float | None = Field(None, ge=0, description="Relative MIP gap to stop at, e.g. 0.01.")


class Sweep(BaseModel):
    """A named family of scenarios: a grid or Monte Carlo draws, on an optional base."""

    model_config = _frozen
    name: str = Field(min_length=1, description="Name of the sweep.")
    description: str = Field("", description="The question the sweep answers.")
    base: str | None = Field(
        None, description="A scenario file (relative to the sweep) every scenario builds on."
    )
    grid: dict[str, Axis] | None = Field(
        None, description="Named axes; every combination of their values is a scenario."
    )
    monte_carlo: MonteCarlo | None = Field(None, description="Random draws.")
    solve: SolveSettings | None = Field(
        None, description="Solver settings for every scenario (time limit, gap)."
    )

    @model_validator(mode="after")
    def _one_way(self) -> Sweep:
        if (self.grid is None) == (self.monte_carlo is None):
            raise ValueError("give grid or monte_carlo (one of them)")
        if self.grid is not None and not self.grid:
            raise ValueError("grid has no axes")
        return self


def _has_placeholder(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(_has_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_placeholder(v) for v in value)
    return value == PLACEHOLDER


def _substitute(value: Any, replacement: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _substitute(v, replacement) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, replacement) for v in value]
    return replacement if value == PLACEHOLDER else value


def _label(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return str(value)


_OVERRIDE = TypeAdapter(AnyOverride)


class LoadedSweep:
    """A sweep with the file it came from (for lines in errors) and its base scenario."""

    def __init__(
        self, sweep: Sweep, source: SourceMap, folder: Path | None, base: Scenario | None
    ) -> None:
        self.sweep = sweep
        self.source = source
        self.folder = folder
        self.base = base

    @property
    def name(self) -> str:
        return self.sweep.name

    @property
    def solve(self) -> SolveSettings:
        return self.sweep.solve or SolveSettings()


def parse_sweep(text: str, file: str = "<sweep>", folder: Path | None = None) -> LoadedSweep:
    """Read a sweep from YAML text; its ``base`` is read relative to ``folder``."""
    data, source = read_yaml(text, file)
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        raise ScenarioError(
            [
                Problem(
                    file,
                    1,
                    "",
                    f"expected a mapping with name and grid or monte_carlo; found {found}",
                )
            ]
        )
    try:
        sweep = Sweep.model_validate(data)
    except PydanticValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, data, source, Sweep)) from None
    base = None
    if sweep.base is not None:
        base = _load_chain((folder or Path.cwd()) / sweep.base, (), source, ("base",))
    loaded = LoadedSweep(sweep, source, folder, base)
    expand(loaded)  # every template, level and draw is checked now, with its line
    return loaded


def load_sweep(path: str | Path) -> LoadedSweep:
    """Read the sweep file at ``path`` (and its base scenario); raise :class:`ScenarioError`
    naming file, line and key on any mistake."""
    path = Path(path)
    return parse_sweep(read_text(path), str(path), path.parent)


def expand(sweep: LoadedSweep | str | Path) -> list[Scenario]:
    """The sweep's scenarios, in order, each named uniquely within the sweep."""
    if not isinstance(sweep, LoadedSweep):
        sweep = load_sweep(sweep)
    spec = sweep.sweep
    if spec.grid is not None:
        built = _grid(sweep, spec.grid)
    else:
        assert spec.monte_carlo is not None
        built = _monte_carlo(sweep, spec.monte_carlo)
    scenarios = []
    for name, overrides, origins in built:
        scenario = Scenario(
            name=name,
            description=f"{name} of sweep {spec.name}",
            parent=spec.base,
            overrides=tuple(overrides),
        )
        scenario._source = SourceMap(
            sweep.source.file,
            sweep.source.lines,
            aliases={("overrides", i): origin for i, origin in enumerate(origins)},
        )
        scenario._folder = sweep.folder
        scenario._parent = sweep.base
        scenarios.append(scenario)
    return scenarios


def _override(
    sweep: LoadedSweep, data: dict[str, Any], origin: KeyPath, value_at: KeyPath
) -> Override:
    """Validate one generated override. A bad key points at ``origin`` in the file (the
    template, level or draw entry); a bad value put in at ``$value`` points at ``value_at``."""
    try:
        return _OVERRIDE.validate_python(data)
    except PydanticValidationError as exc:
        template = _at(sweep, origin)
        problems = []
        for message in messages(exc, data, AnyOverride):
            put_in = _value_in(template, message.path) == PLACEHOLDER
            about_value = put_in and message.kind != "extra_forbidden"
            where = value_at if about_value else (*origin, *message.path)
            problems.append(sweep.source.problem(where, message.text))
        raise ScenarioError(problems) from None


def _at(sweep: LoadedSweep, path: KeyPath) -> Any:
    """The raw value at ``path`` of the sweep (the template as written)."""
    value: Any = sweep.sweep.model_dump()
    for part in path:
        value = _value_in(value, (part,))
    return value


def _value_in(value: Any, path: KeyPath) -> Any:
    for part in path:
        in_mapping = isinstance(value, Mapping) and part in value
        in_list = isinstance(value, list | tuple) and isinstance(part, int) and part < len(value)
        if not (in_mapping or in_list):
            return None
        value = value[part]
    return value


def _grid(
    sweep: LoadedSweep, grid: Mapping[str, Axis]
) -> list[tuple[str, list[Override], list[KeyPath]]]:
    choices: list[list[tuple[str, list[Override], list[KeyPath]]]] = []
    for axis_name, axis in grid.items():
        options = []
        if axis.levels is not None:
            for label, overrides in axis.levels.items():
                paths: list[KeyPath] = [
                    ("grid", axis_name, "levels", label, i) for i in range(len(overrides))
                ]
                built = [
                    _override(sweep, o, p, p) if isinstance(o, dict) else _not_mapping(sweep, p)
                    for o, p in zip(overrides, paths, strict=True)
                ]
                options.append((f"{axis_name}={label}", built, paths))
        else:
            assert axis.template is not None
            assert axis.values is not None
            origin: KeyPath = ("grid", axis_name, "template")
            for index, value in enumerate(axis.values):
                data = _substitute(axis.template, value)
                built_one = _override(sweep, data, origin, ("grid", axis_name, "values", index))
                options.append((f"{axis_name}={_label(value)}", [built_one], [origin]))
        choices.append(options)
    scenarios = []
    seen: dict[str, int] = {}
    for combination in itertools.product(*choices):
        name = ",".join(label for label, _, _ in combination)
        if name in seen:
            raise ScenarioError(
                [
                    sweep.source.problem(
                        ("grid",),
                        f"two scenarios would be named '{name}'; make the values distinct",
                    )
                ]
            )
        seen[name] = 1
        overrides = [o for _, built, _ in combination for o in built]
        origins = [p for _, _, paths in combination for p in paths]
        scenarios.append((name, overrides, origins))
    return scenarios


def _not_mapping(sweep: LoadedSweep, path: KeyPath) -> Override:
    raise ScenarioError([sweep.source.problem(path, "expected an override (a mapping with kind)")])


def _monte_carlo(
    sweep: LoadedSweep, spec: MonteCarlo
) -> list[tuple[str, list[Override], list[KeyPath]]]:
    width = max(3, len(str(spec.draws)))
    scenarios = []
    for draw in range(1, spec.draws + 1):
        rng = np.random.default_rng([spec.seed, draw])
        overrides: list[Override] = []
        origins: list[KeyPath] = []
        for index, entry in enumerate(spec.demand):
            factor = round(entry.distribution.draw(rng), DECIMALS)  # type: ignore[attr-defined]
            path: KeyPath = ("monte_carlo", "demand", index)
            overrides.append(_override(sweep, entry.override(factor), path, path))
            origins.append(path)
        for index, entry in enumerate(spec.metals):
            path = ("monte_carlo", "metals", index)
            overrides.append(_override(sweep, entry.override(rng), path, path))
            origins.append(path)
        scenarios.append((f"draw-{draw:0{width}d}", overrides, origins))
    return scenarios
