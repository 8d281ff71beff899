"""Why a plant is in its state: force each other state on it, re-plan, and compare.

For a plant the optimal plan runs, idles or closes, each other state is forced on it over the
whole planned horizon (``ModelOptions.force_states``) and the case is planned again. The gap
between the two objectives is what the optimal choice is worth; the cost terms that move say
why (its own fixed cost against freight saved elsewhere, requalifications bought, unmet
demand), and the plan's other changes (other plants' states, customers served from elsewhere,
utilisation) say what the alternative would set in motion.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import polars as pl

from millnet.analysis.parallel import Failure, PortableCase, Progress, Runner, run_serial
from millnet.analysis.words import and_join, check_name, horizon_phrase, mass, money, period_span
from millnet.case import Case
from millnet.errors import MillnetError
from millnet.model.data import STATES
from millnet.model.options import ModelOptions
from millnet.plan import solve_case
from millnet.results.results import Results
from millnet.solve.options import SolveOptions

#: Cost terms a plant pays for its own state; the other terms follow the flows.
PLANT_TERMS = ("fixed_running", "fixed_idle", "restart", "idle", "close")
TERM_WORDS = {
    "fixed_running": "running fixed cost",
    "fixed_idle": "idle fixed cost",
    "restart": "restart cost",
    "idle": "idling cost",
    "close": "closure cost",
    "variable": "variable cost",
    "freight": "freight",
    "duty": "duty",
    "metal": "metal cost",
    "qualification": "requalification",
    "unmet_penalty": "unmet-demand penalty",
    "move": "customer move cost",
    "revenue": "revenue",
}
#: The tables a comparison reads.
KEPT_TABLES = ("plant_states", "flows", "unmet", "costs", "qualifications", "utilisation")
#: A utilisation change smaller than this share of capacity is not worth a word.
UTILISATION_WORTH_SAYING = 0.05
ACTIONS = {"running": "keeping {} running", "idle": "idling {}", "closed": "closing {}"}


@dataclass(frozen=True)
class Context:
    """What the words of a comparison need: the plant, units, and the horizon in words."""

    plant: str
    currency: str
    mass_unit: str
    #: ``over 2009–2010``, ``in P1``
    horizon: str


@dataclass(frozen=True, eq=False)
class Solved:
    """What a comparison reads of one plan. Plain data, unlike :class:`Results`, so that a
    worker process can send it back."""

    status: str
    termination: str
    objective: float | None
    gap: float | None
    #: ``min`` (cost) or ``max`` (margin).
    sense: str
    explanation: tuple[str, ...] = ()
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)

    @classmethod
    def of(cls, results: Results) -> Solved:
        outcome = results.outcome
        return cls(
            status=outcome.status.value,
            termination=outcome.termination,
            objective=outcome.objective,
            gap=outcome.gap,
            sense="max" if results.options.get("objective") == "margin" else "min",
            explanation=tuple(results.explanation),
            tables={k: results.tables[k] for k in KEPT_TABLES if k in results.tables},
        )

    @property
    def has_plan(self) -> bool:
        return self.objective is not None and bool(self.tables)

    def states_of(self, plant: str) -> tuple[str, ...]:
        rows = self.tables["plant_states"].filter(pl.col("planned") & (pl.col("plant") == plant))
        return tuple(rows["state"].to_list())

    def loss(self) -> float:
        """The objective as something to make small: cost, or −margin."""
        assert self.objective is not None
        return self.objective if self.sense == "min" else -self.objective


def forced_options(
    options: ModelOptions, plant: str, state: str, periods: Sequence[str]
) -> ModelOptions:
    """``options`` with ``plant`` forced to ``state`` in every period of ``periods`` (replacing
    any state forced on it before)."""
    kept = tuple(f for f in options.force_states if f[0] != plant)
    forced = tuple((plant, period, state) for period in periods)
    return options.model_copy(update={"force_states": kept + forced})


def solve_forced(
    portable: PortableCase,
    plant: str,
    state: str,
    periods: tuple[str, ...],
    model_options: ModelOptions,
    solve_options: SolveOptions,
) -> Solved:
    """The plan with ``plant`` forced to ``state`` over ``periods`` (a task for a worker)."""
    options = forced_options(model_options, plant, state, periods)
    results = solve_case(portable.case(), options, solve_options, reference=False, duals=False)
    return Solved.of(results)


@dataclass(frozen=True, eq=False)
class Alternative:
    """One forced state of the plant against the optimal plan. Money is in the case currency;
    ``delta`` is how much worse the alternative is (more cost, or less margin)."""

    state: str
    status: str
    objective: float | None
    delta: float | None
    delta_pct: float | None
    reason: str
    #: driver, term, scope (plant/other plants/network), optimal, alternative, delta (worse > 0)
    drivers: pl.DataFrame = field(repr=False)
    #: Other plants whose state changes: plant, period, optimal, alternative.
    state_changes: pl.DataFrame = field(repr=False)
    #: Demand rows whose main plant changes: customer, product, period, from_plant, to_plant,
    #: quantity (shipped in the alternative).
    moves: pl.DataFrame = field(repr=False)
    #: Unmet demand of the alternative minus the optimal plan's (mass).
    unmet_change: float = 0.0
    #: Qualifications the alternative buys that the optimal plan does not: plant, key, period,
    #: cost.
    requalifications: pl.DataFrame = field(repr=False, default_factory=pl.DataFrame)
    #: Used share of capacity over the horizon: plant, resource, optimal, alternative, change.
    utilisation: pl.DataFrame = field(repr=False, default_factory=pl.DataFrame)

    @property
    def feasible(self) -> bool:
        return self.delta is not None

    def to_json(self) -> dict[str, object]:
        return {
            "state": self.state,
            "status": self.status,
            "objective": self.objective,
            "delta": self.delta,
            "delta_pct": self.delta_pct,
            "reason": self.reason,
            "drivers": self.drivers.to_dicts(),
            "state_changes": self.state_changes.to_dicts(),
            "moved_rows": self.moves.height,
            "moved_volume": float(self.moves["quantity"].sum()) if self.moves.height else 0.0,
            "moves": self.moves.to_dicts(),
            "unmet_change": self.unmet_change,
            "requalifications": self.requalifications.to_dicts(),
            "utilisation": self.utilisation.to_dicts(),
        }


@dataclass(frozen=True, eq=False)
class PlantExplanation:
    """A plant's state in the optimal plan and what each other state would cost."""

    case_name: str
    plant: str
    currency: str
    mass_unit: str
    periods: tuple[str, ...]
    objective: float | None
    status: str
    optimal_states: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    #: (state, why it was not tried)
    skipped: tuple[tuple[str, str], ...] = ()
    #: Forced solves that failed: (state, message).
    failures: tuple[tuple[str, str], ...] = ()

    @property
    def optimal_summary(self) -> str:
        return state_summary(self.periods, self.optimal_states)

    def alternative(self, state: str) -> Alternative | None:
        return next((a for a in self.alternatives if a.state == state), None)

    def to_json(self) -> dict[str, object]:
        return {
            "case": self.case_name,
            "plant": self.plant,
            "currency": self.currency,
            "mass_unit": self.mass_unit,
            "status": self.status,
            "objective": self.objective,
            "optimal": self.optimal_summary,
            "optimal_states": [
                {"period": p, "state": s}
                for p, s in zip(self.periods, self.optimal_states, strict=True)
            ],
            "alternatives": [a.to_json() for a in self.alternatives],
            "skipped": [{"state": s, "why": w} for s, w in self.skipped],
            "failures": [{"state": s, "message": m} for s, m in self.failures],
        }


def state_summary(periods: Sequence[str], states: Sequence[str]) -> str:
    """``running`` when one state holds throughout, else the runs: ``running 2009Q1–2009Q2,
    idle 2009Q3–2010Q4``."""
    if len(set(states)) == 1:
        return states[0]
    runs: list[tuple[str, list[str]]] = []
    for period, state in zip(periods, states, strict=True):
        if runs and runs[-1][0] == state:
            runs[-1][1].append(period)
        else:
            runs.append((state, [period]))
    return ", ".join(f"{state} {period_span(ps)}" for state, ps in runs)


def candidate_states(
    initial_state: str, optimal: Sequence[str], options: ModelOptions
) -> tuple[list[str], list[tuple[str, str]]]:
    """The states worth forcing on a plant over the horizon, and those skipped with why."""
    if initial_state == "closed":
        return [], [
            (s, "the plant is closed before the plan, and a closure is final") for s in STATES
        ]
    tried, skipped = [], []
    for state in STATES:
        if all(s == state for s in optimal):
            skipped.append((state, f"the optimal plan already has it {state} throughout"))
        elif state == "closed" and options.forbid_closures:
            skipped.append((state, "closures are forbidden"))
        else:
            tried.append(state)
    return tried, skipped


def _limited(
    candidates: tuple[list[str], list[tuple[str, str]]], states: Sequence[str] | None
) -> tuple[list[str], list[tuple[str, str]]]:
    """The candidates (tried, skipped) narrowed to ``states`` when given."""
    tried, skipped = candidates
    if not states:
        return tried, skipped
    return [s for s in tried if s in states], [(s, w) for s, w in skipped if s in states]


def _base(case: Case, model_options: ModelOptions, solve_options: SolveOptions) -> Solved:
    results = solve_case(case, model_options, solve_options, reference=False, duals=False)
    base = Solved.of(results)
    if not base.has_plan:
        reasons = "; ".join(base.explanation) or base.termination
        raise MillnetError(f"no plan for case {case.name} to explain: {reasons}")
    return base


def _planned(base: Solved) -> tuple[str, ...]:
    states = base.tables["plant_states"].filter(pl.col("planned"))
    return tuple(states["period"].unique(maintain_order=True).to_list())


def _initial_states(case: Case) -> dict[str, str]:
    plants = case["plants"]
    return dict(zip(plants["id"].to_list(), plants["initial_state"].to_list(), strict=True))


def explain_plant(
    case: Case,
    plant: str,
    model_options: ModelOptions | None = None,
    solve_options: SolveOptions | None = None,
    *,
    states: Sequence[str] | None = None,
    on_solve: Callable[[str], None] | None = None,
) -> PlantExplanation:
    """Solve ``case``, then force each other state on ``plant`` in turn (one solve each, in this
    process) and compare; ``states`` limits the states tried (default: every other one).
    ``on_solve(state)`` is called before each forced solve."""
    model_options = model_options or ModelOptions()
    solve_options = solve_options or SolveOptions()
    initial = _initial_states(case)
    check_name(plant, list(initial), "plant")
    for state in states or ():
        check_name(state, list(STATES), "state")
    base = _base(case, model_options, solve_options)
    periods = _planned(base)
    tried, skipped = _limited(
        candidate_states(initial[plant], base.states_of(plant), model_options), states
    )
    portable = PortableCase.of(case)
    solved: dict[str, Solved | Failure] = {}
    for state in tried:
        if on_solve is not None:
            on_solve(state)
        try:
            solved[state] = solve_forced(
                portable, plant, state, periods, model_options, solve_options
            )
        except MillnetError as exc:
            solved[state] = Failure((plant, state), exc.message)
    return _explanation(case, plant, base, periods, solved, skipped)


@dataclass(frozen=True, eq=False)
class AllPlants:
    """Every plant's explanation against one optimal plan."""

    case_name: str
    currency: str
    objective: float | None
    status: str
    periods: tuple[str, ...]
    plants: tuple[PlantExplanation, ...]

    @property
    def failures(self) -> int:
        return sum(len(p.failures) for p in self.plants)

    def to_json(self) -> dict[str, object]:
        return {
            "case": self.case_name,
            "currency": self.currency,
            "status": self.status,
            "objective": self.objective,
            "periods": list(self.periods),
            "plants": [p.to_json() for p in self.plants],
        }


def explain_all_plants(
    case: Case,
    model_options: ModelOptions | None = None,
    solve_options: SolveOptions | None = None,
    *,
    states: Sequence[str] | None = None,
    runner: Runner = run_serial,
    on_start: Callable[[int], None] | None = None,
    on_progress: Progress | None = None,
) -> AllPlants:
    """Solve ``case`` once, then every plant's alternatives (only ``states`` when given) through
    ``runner`` (in this process unless told; the CLI runs them on Dask); ``on_start(total)``
    once the number of forced solves is known."""
    model_options = model_options or ModelOptions()
    solve_options = solve_options or SolveOptions()
    for state in states or ():
        check_name(state, list(STATES), "state")
    base = _base(case, model_options, solve_options)
    periods = _planned(base)
    initial = _initial_states(case)
    plans = {
        plant: _limited(candidate_states(state, base.states_of(plant), model_options), states)
        for plant, state in initial.items()
    }
    tasks = [
        (plant, state, periods, model_options, solve_options)
        for plant, (tried, _) in plans.items()
        for state in tried
    ]
    if on_start is not None:
        on_start(len(tasks))
    outputs = runner(solve_forced, PortableCase.of(case), tasks, on_progress)
    by_plant: dict[str, dict[str, Solved | Failure]] = {plant: {} for plant in initial}
    for task, output in zip(tasks, outputs, strict=True):
        by_plant[task[0]][task[1]] = output
    explanations = tuple(
        _explanation(case, plant, base, periods, by_plant[plant], plans[plant][1])
        for plant in initial
    )
    assert case.meta is not None
    return AllPlants(
        case_name=case.name,
        currency=case.meta.currency,
        objective=base.objective,
        status=base.status,
        periods=periods,
        plants=explanations,
    )


def _explanation(
    case: Case,
    plant: str,
    base: Solved,
    periods: tuple[str, ...],
    solved: dict[str, Solved | Failure],
    skipped: Sequence[tuple[str, str]],
) -> PlantExplanation:
    assert case.meta is not None
    context = Context(
        plant=plant,
        currency=case.meta.currency,
        mass_unit=case.meta.mass_unit,
        horizon=horizon_phrase(case["periods"], periods),
    )
    alternatives, failures = [], []
    for state, output in solved.items():
        if isinstance(output, Failure):
            failures.append((state, output.message))
        else:
            alternatives.append(compare(base, output, state, context))
    return PlantExplanation(
        case_name=case.name,
        plant=plant,
        currency=context.currency,
        mass_unit=context.mass_unit,
        periods=periods,
        objective=base.objective,
        status=base.status,
        optimal_states=base.states_of(plant),
        alternatives=tuple(alternatives),
        skipped=tuple(skipped),
        failures=tuple(failures),
    )


def compare(base: Solved, alt: Solved, state: str, context: Context) -> Alternative:
    """The alternative ``alt`` (plant forced to ``state``) against the optimal plan ``base``."""
    if not alt.has_plan:
        action = ACTIONS[state].format(context.plant)
        why = "; ".join(alt.explanation) or alt.termination
        empty = pl.DataFrame()
        return Alternative(
            state=state,
            status=alt.status,
            objective=None,
            delta=None,
            delta_pct=None,
            reason=f"{action} leaves no feasible plan: {why}",
            drivers=empty,
            state_changes=empty,
            moves=empty,
        )
    delta = alt.loss() - base.loss()
    scale = abs(base.loss())
    drivers = cost_drivers(base, alt, context.plant)
    changes = state_changes(base, alt, context.plant)
    moves = moved_rows(base, alt)
    unmet = _total(alt.tables["unmet"], "unmet") - _total(base.tables["unmet"], "unmet")
    requalifications = new_qualifications(base, alt)
    utilisation = utilisation_change(base, alt, context.plant)
    alternative = Alternative(
        state=state,
        status=alt.status,
        objective=alt.objective,
        delta=delta,
        delta_pct=100.0 * delta / scale if scale > 0 else None,
        reason="",
        drivers=drivers,
        state_changes=changes,
        moves=moves,
        unmet_change=unmet,
        requalifications=requalifications,
        utilisation=utilisation,
    )
    return dataclasses.replace(alternative, reason=reason(alternative, base, context))


def _total(frame: pl.DataFrame, column: str) -> float:
    return float(frame[column].sum()) if frame.height else 0.0


def cost_drivers(base: Solved, alt: Solved, plant: str) -> pl.DataFrame:
    """Cost by term and scope in both plans: ``plant`` (the plant's own state terms),
    ``other plants`` (their state terms) and ``network`` (everything that follows the flows);
    for the margin objective also revenue. ``delta`` is signed so that positive makes the
    alternative worse."""

    def by_scope(solved: Solved) -> pl.DataFrame:
        costs = solved.tables["costs"].with_columns(
            scope=pl.when(pl.col("term").is_in(PLANT_TERMS) & (pl.col("plant") == plant))
            .then(pl.lit("plant"))
            .when(pl.col("term").is_in(PLANT_TERMS))
            .then(pl.lit("other plants"))
            .otherwise(pl.lit("network"))
        )
        frame = costs.group_by("term", "scope").agg(pl.col("amount").sum())
        if solved.sense == "max":
            flows = solved.tables["flows"]
            revenue = float((flows["revenue"] * flows["quantity"]).sum()) if flows.height else 0.0
            # revenue lost makes a plan worse, like a cost
            frame = pl.concat(
                [
                    frame,
                    pl.DataFrame({"term": ["revenue"], "scope": ["network"], "amount": [-revenue]}),
                ]
            )
        return frame

    joined = (
        by_scope(base)
        .rename({"amount": "optimal"})
        .join(
            by_scope(alt).rename({"amount": "alternative"}),
            on=["term", "scope"],
            how="full",
            coalesce=True,
        )
        .with_columns(pl.col("optimal").fill_null(0.0), pl.col("alternative").fill_null(0.0))
        .with_columns((pl.col("alternative") - pl.col("optimal")).alias("delta"))
    )
    revenue = pl.col("term") == "revenue"
    return (
        joined.with_columns(
            pl.when(revenue).then(-pl.col("optimal")).otherwise(pl.col("optimal")).alias("optimal"),
            pl.when(revenue)
            .then(-pl.col("alternative"))
            .otherwise(pl.col("alternative"))
            .alias("alternative"),
            pl.col("term").replace_strict(TERM_WORDS, default=pl.col("term")).alias("driver"),
        )
        .select("driver", "term", "scope", "optimal", "alternative", "delta")
        .sort(pl.col("delta").abs(), descending=True)
    )


def state_changes(base: Solved, alt: Solved, plant: str) -> pl.DataFrame:
    """Plants other than ``plant`` whose planned state differs: plant, period, optimal,
    alternative."""

    def planned(solved: Solved) -> pl.DataFrame:
        return solved.tables["plant_states"].filter(pl.col("planned") & (pl.col("plant") != plant))

    return (
        planned(base)
        .select("plant", "period", pl.col("state").alias("optimal"))
        .join(
            planned(alt).select("plant", "period", pl.col("state").alias("alternative")),
            on=["plant", "period"],
            how="inner",
            maintain_order="left",
        )
        .filter(pl.col("optimal") != pl.col("alternative"))
    )


def _main_plant(flows: pl.DataFrame) -> pl.DataFrame:
    """The plant shipping the most of each demand row (customer, product, period)."""
    keys = ["customer", "product", "period"]
    return (
        flows.group_by([*keys, "plant"])
        .agg(pl.col("quantity").sum())
        .sort("quantity", "plant", descending=[True, False])
        .group_by(keys, maintain_order=True)
        .agg(pl.col("plant").first(), pl.col("quantity").sum())
    )


def moved_rows(base: Solved, alt: Solved) -> pl.DataFrame:
    """Demand rows served in both plans whose main plant differs."""
    keys = ["customer", "product", "period"]
    return (
        _main_plant(base.tables["flows"])
        .join(_main_plant(alt.tables["flows"]), on=keys, how="inner", suffix="_alt")
        .filter(pl.col("plant") != pl.col("plant_alt"))
        .select(
            *keys,
            pl.col("plant").alias("from_plant"),
            pl.col("plant_alt").alias("to_plant"),
            pl.col("quantity_alt").alias("quantity"),
        )
        .sort("period", "customer", "product")
    )


def new_qualifications(base: Solved, alt: Solved) -> pl.DataFrame:
    """Qualifications bought in the alternative and not in the optimal plan."""
    bought = alt.tables["qualifications"]
    if bought.height == 0:
        return bought
    return bought.join(base.tables["qualifications"], on=["plant", "key"], how="anti")


def utilisation_change(base: Solved, alt: Solved, plant: str) -> pl.DataFrame:
    """Used share of capacity over the horizon (Σ used ÷ Σ capacity) by plant and resource in
    both plans, for the other plants, largest change first."""

    def share(solved: Solved, name: str) -> pl.DataFrame:
        return (
            solved.tables["utilisation"]
            .filter(pl.col("plant") != plant)
            .group_by("plant", "resource")
            .agg((pl.col("used").sum() / pl.col("capacity").sum()).alias(name))
        )

    return (
        share(base, "optimal")
        .join(share(alt, "alternative"), on=["plant", "resource"], how="inner")
        .with_columns((pl.col("alternative") - pl.col("optimal")).alias("change"))
        .sort(pl.col("change").abs(), "plant", "resource", descending=[True, False, False])
    )


def reason(alt: Alternative, base: Solved, context: Context) -> str:
    """The alternative's cost and its binding reason in one or two sentences."""
    assert alt.delta is not None
    action = ACTIONS[alt.state].format(context.plant)
    cur = context.currency
    margin = base.sense == "max"
    drivers = alt.drivers
    total = float(drivers["delta"].abs().sum()) if drivers.height else 0.0
    tiny = max(0.005 * total, 1e-7 * abs(base.loss()), 0.5)
    if abs(alt.delta) <= tiny:
        head = f"{action} costs the same {context.horizon} (within the solver's tolerance)"
    elif alt.delta < 0:
        gap = f" (gap {base.gap:.2%})" if base.gap else ""
        head = (
            f"{action} would save {money(alt.delta, cur)} {context.horizon}: the plan it is "
            f"compared with was not proven optimal{gap}"
        )
    else:
        what = "lowers the margin by" if margin else "costs"
        more = "" if margin else " more"
        pct = f" ({alt.delta_pct:.1f} %)" if alt.delta_pct is not None else ""
        head = f"{action} {what} {money(alt.delta, cur)}{more} {context.horizon}{pct}"
        body = _drivers_phrase(drivers, tiny, cur)
        if body:
            head = f"{head}: {body}"
    extras = _extras(alt, context)
    return head + "." + (f" Also: {'; '.join(extras)}." if extras else "")


def _grouped(drivers: pl.DataFrame) -> list[tuple[str, str, float]]:
    """(scope, words, delta): the plant's own terms as one, other plants' as one, the network
    terms one by one."""
    groups: list[tuple[str, str, float]] = []
    for scope, owner in (("plant", "its"), ("other plants", "other plants'")):
        rows = drivers.filter(pl.col("scope") == scope)
        if rows.height == 0:
            continue
        moved = set(rows.filter(pl.col("delta").abs() > 1e-9)["term"].to_list())
        kind = (
            "fixed cost"
            if moved <= {"fixed_running", "fixed_idle"}
            else "fixed and transition costs"
        )
        groups.append((scope, f"{owner} {kind}", float(rows["delta"].sum())))
    for row in drivers.filter(pl.col("scope") == "network").iter_rows(named=True):
        groups.append(("network", row["driver"], row["delta"]))
    return groups


def _drivers_phrase(drivers: pl.DataFrame, tiny: float, cur: str) -> str:
    if drivers.height == 0:
        return ""
    groups = [g for g in _grouped(drivers) if abs(g[2]) > tiny]
    worse = sorted((g for g in groups if g[2] > 0), key=lambda g: -g[2])[:2]
    better = sorted((g for g in groups if g[2] < 0), key=lambda g: g[2])[:2]

    def worse_words(scope: str, words: str, value: float) -> str:
        if scope == "plant":
            return f"{words} of {money(value, cur)}"
        if scope == "other plants":
            return f"{money(value, cur)} more in {words}"
        if words == "revenue":
            return f"{money(value, cur)} less revenue"
        if words == "requalification":
            return f"{money(value, cur)} of requalification"
        return f"{money(value, cur)} more {words}"

    def better_words(scope: str, words: str, value: float) -> str:
        if words == "revenue":
            return f"{money(value, cur)} more revenue"
        return f"{money(value, cur)} of {words} saved"

    up = [worse_words(*g) for g in worse]
    down = [better_words(*g) for g in better]
    if up and down:
        plural = len(up) > 1 or (worse[0][0] == "plant" and worse[0][1].endswith("costs"))
        return f"{and_join(up)} {'outweigh' if plural else 'outweighs'} {and_join(down)}"
    if up:
        added = [
            f"{money(value, cur)} {'to' if scope != 'network' else 'of'} {words}"
            for scope, words, value in worse
        ]
        return f"it adds {and_join(added)}"
    return ""


def _extras(alt: Alternative, context: Context) -> list[str]:
    extras: list[str] = []
    cur = context.currency
    if alt.requalifications.height:
        for (plant,), rows in alt.requalifications.group_by("plant", maintain_order=True):
            n = rows.height
            cost = money(float(rows["cost"].sum()), cur)
            extras.append(f"needs {n} requalification{'s' if n > 1 else ''} at {plant} ({cost})")
    changes = alt.state_changes
    if changes.height:
        groups = list(changes.group_by("plant", "optimal", "alternative", maintain_order=True))
        for (plant, optimal, alternative), rows in groups[:3]:
            span = period_span(rows["period"].to_list())
            extras.append(f"{plant} {alternative} instead of {optimal} in {span}")
        if len(groups) > 3:
            extras.append(f"{len(groups) - 3} more plant state changes")
    if alt.moves.height:
        n = alt.moves.height
        volume = mass(float(alt.moves["quantity"].sum()), context.mass_unit)
        rows = "1 demand row changes" if n == 1 else f"{n} demand rows change"
        extras.append(f"{rows} plant ({volume})")
    if abs(alt.unmet_change) > 1e-6:
        more = "more" if alt.unmet_change > 0 else "less"
        extras.append(f"{mass(alt.unmet_change, context.mass_unit)} {more} demand unmet")
    shifts = alt.utilisation.filter(pl.col("change").abs() >= UTILISATION_WORTH_SAYING)
    for row in shifts.head(2).iter_rows(named=True):
        freed = "capacity freed at " if row["change"] < 0 else ""
        extras.append(
            f"{freed}{row['plant']} {row['resource']} {row['optimal']:.0%} → "
            f"{row['alternative']:.0%}"
        )
    return extras
