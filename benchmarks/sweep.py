"""Sweeps: rebuilding the model for every scenario against updating the solver in place.

Scenarios that change only data (demand quantities, prices, capacities) keep the model's
structure: the same lanes, rows and columns. A worker could then keep the HiGHS model of its
previous task and change only costs, bounds and coefficients (linopy's persistent solver
update: ``Highs.from_model(..., io_api="direct")`` then ``solver.update(new_model)``, which
diffs the new linopy model against the one HiGHS holds and calls changeColsCost,
changeColsBounds, changeRowsBounds and changeCoeff) instead of building a new HiGHS model.

For every scenario after the first (the first builds the model both paths start from), in one
process, the script times

* rebuild: prepare → build (linopy) → to_highspy → HiGHS run, as ``millnet solve`` does;
* in place: prepare → build (linopy) → ``solver.update`` on the kept HiGHS model → HiGHS run,

checks that both reach the same objective (within the MIP gap), and prints the phases, the
medians and the ratio in-place ÷ rebuild. Both paths need the linopy build: the update is a
diff of two linopy models. Skipping it would need the model builder to emit only the changed
coefficient arrays.

Two sweeps: the reference case's grid sweep (``cases/iwg2009/sweeps/aerospace-x-copper.yaml``,
its first --iwg-scenarios scenarios) and an OR-Library instance under a demand sweep (factors
0.90 … 1.10). Solves run single-threaded, as in a sweep's workers, with the sweep's gap and
no time limit (a time limit solves in a watchdog's child process, which a kept model cannot
reach).

    .venv/bin/python benchmarks/sweep.py                        # both sweeps
    .venv/bin/python benchmarks/sweep.py --skip-iwg             # the OR-Library sweep only
    .venv/bin/python benchmarks/sweep.py --iwg-scenarios 8 --orlib cap131

The OR-Library instances live outside the repository: --folder, else
$MILLNET_BENCHMARKS/orlib-cap, else ../shared/benchmarks/orlib-cap next to the repository.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IWG_CASE = REPO / "cases" / "iwg2009"
IWG_SWEEP = IWG_CASE / "sweeps" / "aerospace-x-copper.yaml"
ORLIB_FACTORS = (0.90, 0.95, 1.00, 1.05, 1.10)
#: Objectives of the two paths may differ by the MIP gap of each (plus solver noise).
NOISE = 1e-7


def default_folder() -> Path:
    root = os.environ.get("MILLNET_BENCHMARKS")
    base = Path(root) if root else REPO.parent / "shared" / "benchmarks"
    return base / "orlib-cap"


@dataclass
class Timing:
    scenario: str
    prepare_s: float
    build_s: float
    pass_s: float
    update_s: float
    rebuild_solve_s: float
    inplace_solve_s: float
    rebuild_objective: float | None
    inplace_objective: float | None
    how: str

    @property
    def rebuild_s(self) -> float:
        return self.prepare_s + self.build_s + self.pass_s + self.rebuild_solve_s

    @property
    def inplace_s(self) -> float:
        return self.prepare_s + self.build_s + self.update_s + self.inplace_solve_s


def _highs_options(gap: float | None) -> dict[str, object]:
    options: dict[str, object] = {"output_flag": False, "threads": 1}
    if gap is not None:
        options["mip_rel_gap"] = gap
    return options


def _solve(h, options: dict[str, object], sense: str) -> tuple[float, float | None]:
    """Run HiGHS on ``h``; seconds and objective in the model's sense (None without a plan)."""
    from millnet.solve._stdout import stdout_to_stderr

    for key, value in options.items():
        h.setOptionValue(key, value)
    start = time.perf_counter()
    with stdout_to_stderr(show=False):
        h.run()
    seconds = time.perf_counter() - start
    info = h.getInfo()
    if int(info.primal_solution_status) != 2:
        return seconds, None
    sign = -1.0 if sense == "max" else 1.0
    return seconds, sign * float(info.objective_function_value)


def measure(case, scenarios, gap: float | None) -> list[Timing]:
    """Both paths over ``scenarios`` (applied to ``case``); the first builds the kept model."""
    import linopy
    import linopy.solvers

    from millnet.model.build import build
    from millnet.model.data import prepare
    from millnet.scenario import apply
    from millnet.solve._stdout import stdout_to_stderr
    from millnet.solve.run import _prepare_scheduler

    _prepare_scheduler(1)
    options = _highs_options(gap)
    kept = None
    timings = []
    for index, scenario in enumerate(scenarios):
        applied = apply(case, scenario)
        start = time.perf_counter()
        data = prepare(applied.case, applied.options)
        prepare_s = time.perf_counter() - start
        start = time.perf_counter()
        built = build(data)
        build_s = time.perf_counter() - start
        if kept is None:
            with stdout_to_stderr(show=False):  # HiGHS's banner
                kept = linopy.solvers.Highs.from_model(built.model, io_api="direct")
            _solve(kept.solver_model, options, built.sense)
            print(f"  {scenario.name}: kept model built (not timed)", file=sys.stderr)
            continue
        # rebuild: a new HiGHS model, as solve.run does
        start = time.perf_counter()
        fresh = linopy.io.to_highspy(built.model)
        pass_s = time.perf_counter() - start
        rebuild_solve_s, rebuild_objective = _solve(fresh, options, built.sense)
        del fresh
        # in place: the kept HiGHS model changed to this scenario's data
        start = time.perf_counter()
        result = kept.update(built.model)
        update_s = time.perf_counter() - start
        how = "in place" if type(result).__name__ == "ModelDiff" else f"rebuilt ({result})"
        inplace_solve_s, inplace_objective = _solve(kept.solver_model, options, built.sense)
        timing = Timing(
            scenario=scenario.name,
            prepare_s=prepare_s,
            build_s=build_s,
            pass_s=pass_s,
            update_s=update_s,
            rebuild_solve_s=rebuild_solve_s,
            inplace_solve_s=inplace_solve_s,
            rebuild_objective=rebuild_objective,
            inplace_objective=inplace_objective,
            how=how,
        )
        timings.append(timing)
        print(
            f"  {scenario.name} ({index + 1}/{len(scenarios)}): rebuild {timing.rebuild_s:.2f} s, "
            f"in place {timing.inplace_s:.2f} s, {how}",
            file=sys.stderr,
        )
    return timings


def agree(timing: Timing, gap: float | None) -> bool:
    a, b = timing.rebuild_objective, timing.inplace_objective
    if a is None or b is None:
        return a is None and b is None
    tolerance = (gap or 0.0) + NOISE
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1.0)


def report(title: str, timings: list[Timing], gap: float | None) -> bool:
    print(f"\n{title}")
    header = (
        f"{'scenario':<32} {'prepare':>8} {'build':>7} {'pass':>7} {'update':>7} "
        f"{'solve rb':>9} {'solve ip':>9} {'rebuild':>8} {'in place':>9}  objectives"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for t in timings:
        same = agree(t, gap)
        ok &= same
        objective = "—" if t.rebuild_objective is None else f"{t.rebuild_objective:,.0f}"
        print(
            f"{t.scenario:<32} {t.prepare_s:8.3f} {t.build_s:7.3f} {t.pass_s:7.3f} "
            f"{t.update_s:7.3f} {t.rebuild_solve_s:9.3f} {t.inplace_solve_s:9.3f} "
            f"{t.rebuild_s:8.3f} {t.inplace_s:9.3f}  {objective} "
            f"{'same' if same else 'DIFFERENT: ' + str(t.inplace_objective)} ({t.how})"
        )
    if not timings:
        return ok

    def median(attribute: str) -> float:
        return statistics.median(getattr(t, attribute) for t in timings)

    rebuild, inplace = median("rebuild_s"), median("inplace_s")
    print(
        f"medians: pass {median('pass_s'):.3f} s vs update {median('update_s'):.3f} s; "
        f"solve {median('rebuild_solve_s'):.3f} s (rebuild) vs "
        f"{median('inplace_solve_s'):.3f} s (in place)"
    )
    wrong = sum(not agree(t, gap) for t in timings)
    if wrong:
        print(
            f"median per scenario: rebuild {rebuild:.3f} s; in place solved a different model "
            f"in {wrong} of {len(timings)} scenarios (objectives differ beyond the gap), so its "
            f"{inplace:.3f} s is no valid comparison"
        )
    else:
        print(
            f"median per scenario: rebuild {rebuild:.3f} s, in place {inplace:.3f} s, "
            f"ratio in place / rebuild {inplace / rebuild:.3f}"
        )
    saved = median("pass_s") - median("update_s")
    print(
        f"what in place can save at most (pass − update): {saved:.3f} s per scenario, "
        f"{100 * saved / rebuild:.1f} % of a rebuild"
    )
    return ok


def orlib_scenarios():
    from millnet.scenario import parse_scenario

    return [
        parse_scenario(
            f"name: demand={f:.2f}\noverrides:\n  - {{kind: scale_demand, factor: {f}}}\n"
        )
        for f in ORLIB_FACTORS
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iwg-scenarios", type=int, default=4)
    parser.add_argument("--skip-iwg", action="store_true")
    parser.add_argument("--skip-orlib", action="store_true")
    parser.add_argument("--orlib", default="cap131", help="OR-Library instance (file stem).")
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--gap", type=float, default=None, help="Default: the sweep file's.")
    args = parser.parse_args()

    from millnet.case import read_case
    from millnet.importers.orlib import read_orlib_cap
    from millnet.model.warm import warm_imports
    from millnet.scenario.sweep import expand, load_sweep

    warm_imports()
    ok = True
    if not args.skip_orlib:
        path = (args.folder or default_folder()) / f"{args.orlib}.txt"
        if not path.is_file():
            print(f"skipping the OR-Library sweep: {path} not found", file=sys.stderr)
        else:
            case = read_orlib_cap(path)
            gap = args.gap if args.gap is not None else 0.0
            print(
                f"OR-Library {args.orlib}: {len(ORLIB_FACTORS)} demand scenarios", file=sys.stderr
            )
            timings = measure(case, orlib_scenarios(), gap)
            ok &= report(
                f"OR-Library {args.orlib}, demand × {ORLIB_FACTORS}, gap {gap}", timings, gap
            )
    if not args.skip_iwg:
        loaded = load_sweep(IWG_SWEEP)
        scenarios = expand(loaded)[: args.iwg_scenarios]
        gap = args.gap if args.gap is not None else loaded.solve.gap
        case = read_case(IWG_CASE)
        print(f"iwg2009 {loaded.name}: {len(scenarios)} scenarios", file=sys.stderr)
        timings = measure(case, scenarios, gap)
        ok &= report(f"iwg2009 {loaded.name} (first {len(scenarios)}), gap {gap}", timings, gap)
    if not ok:
        print("\nthe two paths disagree on an objective", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
