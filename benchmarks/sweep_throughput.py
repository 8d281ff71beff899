"""Sweep throughput on the reference case: scenarios solved per minute, by workers and start.

Scenarios are Monte Carlo draws of the reference case's ``demand-and-metal-risk`` sweep
(segment demand multipliers, copper and silver price paths; seeded, so every configuration
solves the same scenarios), as many as ``--scenarios``. Each configuration runs them through
the sweep path a user runs (``millnet.distributed.run_sweep`` on a local Dask cluster, one
solver thread per worker, every run saved to a fresh SQLite store as it finishes) with the
sweep file's solver settings (time limit 15 s, gap 1 %):

* workers: 1 and 2 (``--workers``);
* start: ``warm`` gives every scenario the first scenario's plan as its MIP start, ``cold``
  solves each from scratch (``--modes``).

It prints, per configuration, the wall time, the scenarios per minute, the scaling efficiency
(throughput with 2 workers ÷ (2 × throughput with 1), same start), the share of solves that
reached the gap (the rest stopped at the time limit), and the median cost per scenario by
phase: apply (the scenario applied to the case), build (validate, prepare and build the
model), solve, extract, and store (saving the run, timed in the client). Per-scenario
objectives of warm and cold runs are compared too: they may differ by the gap, no more.

    .venv/bin/python benchmarks/sweep_throughput.py --scenarios 8        # a quick look
    .venv/bin/python benchmarks/sweep_throughput.py                      # 200, all four
    .venv/bin/python benchmarks/sweep_throughput.py --workers 2 --modes warm
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
CASE = REPO / "cases" / "iwg2009"
SWEEP = CASE / "sweeps" / "demand-and-metal-risk.yaml"
#: Phases of a scenario's cost, and the Results timings each sums.
PHASES = {
    "apply": ("scenario_s",),
    "build": ("validate_s", "build_s"),
    "solve": ("solve_s",),
    "extract": ("extract_s",),
}
#: The acceptance target: this many scenarios in this many minutes on 2 cores.
TARGET_SCENARIOS, TARGET_MINUTES = 200, 10.0


@dataclass
class Config:
    workers: int
    warm: bool
    wall_s: float = 0.0
    solved: int = 0
    failed: int = 0
    at_gap: int = 0
    phases: dict[str, list[float]] = field(default_factory=dict)
    objectives: dict[str, float | None] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.workers} worker{'s' if self.workers > 1 else ''}, {self.mode}"

    @property
    def mode(self) -> str:
        return "warm" if self.warm else "cold"

    @property
    def per_minute(self) -> float:
        return 60.0 * self.solved / self.wall_s if self.wall_s else 0.0

    def median(self, phase: str) -> float:
        values = self.phases.get(phase, [])
        return statistics.median(values) if values else float("nan")


def scenarios(n: int):
    """The first ``n`` draws of the shipped Monte Carlo sweep, and its name and solver settings.

    Draw *i* does not depend on the number of draws, so 8 scenarios are the first 8 of 200."""
    from millnet.scenario.sweep import expand, parse_sweep

    data = yaml.safe_load(SWEEP.read_text(encoding="utf-8"))
    data["monte_carlo"]["draws"] = n
    data["name"] = f"{data['name']}-{n}"
    loaded = parse_sweep(yaml.safe_dump(data, sort_keys=False), str(SWEEP), SWEEP.parent)
    return loaded, expand(loaded)


def run(config: Config, case, tasks, solve_options, name: str, folder: Path) -> None:
    from millnet.distributed import run_sweep
    from millnet.model.options import ModelOptions
    from millnet.store import Store

    store = Store(f"sqlite:///{folder / f'{config.workers}-{config.mode}.db'}").check()
    phases: dict[str, list[float]] = {p: [] for p in (*PHASES, "store")}
    began = time.perf_counter()

    def save(done) -> str:
        results = done.results
        for phase, keys in PHASES.items():
            phases[phase].append(sum(results.timings.get(k, 0.0) for k in keys))
        start = time.perf_counter()
        run_id = store.save(results, sweep=name)
        phases["store"].append(time.perf_counter() - start)
        outcome = results.outcome
        config.objectives[done.name] = outcome.objective
        if outcome.gap is not None and outcome.gap <= (solve_options.gap or 0.0) + 1e-9:
            config.at_gap += 1
        print(
            f"  {len(config.objectives)} at {time.perf_counter() - began:.0f} s: {done.name}: "
            f"{outcome.status.value}, gap {_pct(outcome.gap)}, "
            f"solve {results.timings.get('solve_s', 0.0):.1f} s",
            file=sys.stderr,
            flush=True,
        )
        return run_id

    with store:
        report = run_sweep(
            case,
            tasks,
            model_options=ModelOptions(),
            solve_options=solve_options,
            workers=config.workers,
            on_done=save,
            warm_start=config.warm,
        )
    config.wall_s = report.seconds
    config.solved = len(report.finished)
    config.failed = len(report.failed)
    config.phases = phases
    for failed in report.failed:
        print(f"  FAILED {failed.name}: {failed.message}", file=sys.stderr)


def _pct(gap: float | None) -> str:
    return "—" if gap is None else f"{100 * gap:.2f} %"


def table(configs: list[Config], n: int) -> str:
    one = {c.mode: c for c in configs if c.workers == 1}
    rows = [
        "| configuration | scenarios | wall (s) | scenarios/min | scaling 1→2 | at gap "
        "| apply | build | solve | extract | store |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in configs:
        base = one.get(c.mode)
        scaling = (
            f"{100 * c.per_minute / (c.workers * base.per_minute):.0f} %"
            if base is not None and c.workers > 1 and base.per_minute
            else "—"
        )
        phases = " | ".join(f"{c.median(p):.2f}" for p in (*PHASES, "store"))
        rows.append(
            f"| {c.label} | {c.solved}/{n} | {c.wall_s:.0f} | {c.per_minute:.1f} | {scaling} "
            f"| {c.at_gap}/{c.solved} | {phases} |"
        )
    rows.append("")
    rows.append("Phase columns: median seconds per scenario.")
    return "\n".join(rows)


def compare(configs: list[Config], gap: float) -> str:
    """How far warm objectives are from cold ones, scenario by scenario (same workers)."""
    lines = []
    for workers in sorted({c.workers for c in configs}):
        by_mode = {c.mode: c for c in configs if c.workers == workers}
        if {"warm", "cold"} <= by_mode.keys():
            warm, cold = by_mode["warm"].objectives, by_mode["cold"].objectives
            diffs = [
                (warm[k] - cold[k]) / abs(cold[k])
                for k in warm.keys() & cold.keys()
                if warm[k] is not None and cold[k] is not None and cold[k]
            ]
            if diffs:
                lines.append(
                    f"{workers} worker(s): warm − cold objective, relative: median "
                    f"{100 * statistics.median(diffs):+.3f} %, worst {100 * max(diffs):+.3f} %, "
                    f"best {100 * min(diffs):+.3f} % (gap {100 * gap:g} %)"
                )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=TARGET_SCENARIOS)
    parser.add_argument("--workers", default="1,2", help="comma-separated, e.g. 1,2")
    parser.add_argument("--modes", default="warm,cold", help="warm, cold or both")
    parser.add_argument("--time-limit", type=float, default=None, help="default: the sweep's")
    parser.add_argument("--gap", type=float, default=None, help="default: the sweep's")
    args = parser.parse_args(argv)

    from millnet.case import read_case
    from millnet.distributed import Task
    from millnet.solve.options import SolveOptions

    case = read_case(CASE)
    loaded, drawn = scenarios(args.scenarios)
    tasks = [Task(s.name, s) for s in drawn]
    settings = loaded.solve
    solve_options = SolveOptions(
        time_limit=args.time_limit if args.time_limit is not None else settings.time_limit,
        gap=args.gap if args.gap is not None else settings.gap,
        threads=1,
    )
    workers = [int(w) for w in args.workers.split(",")]
    modes = [m.strip() for m in args.modes.split(",")]
    if any(m not in ("warm", "cold") for m in modes) or any(w < 1 for w in workers):
        parser.error("--modes takes warm and/or cold; --workers positive integers")
    configs = [Config(w, m == "warm") for w in workers for m in modes]
    print(
        f"{len(tasks)} scenarios of {case.name} ({loaded.name}), time limit "
        f"{solve_options.time_limit:g} s, gap {solve_options.gap:g}, 1 solver thread per worker",
        file=sys.stderr,
    )
    with tempfile.TemporaryDirectory(prefix="millnet-throughput-") as tmp:
        for config in configs:
            print(f"{config.label} …", file=sys.stderr, flush=True)
            run(config, case, tasks, solve_options, loaded.name, Path(tmp))
            print(
                f"{config.label}: {config.solved} solved in {config.wall_s:.0f} s "
                f"({config.per_minute:.1f}/min)",
                file=sys.stderr,
                flush=True,
            )
    print(table(configs, len(tasks)))
    print()
    print(compare(configs, solve_options.gap or 0.0))
    best = max(configs, key=lambda c: c.per_minute)
    if best.per_minute:
        minutes = TARGET_SCENARIOS / best.per_minute
        verdict = "met" if minutes < TARGET_MINUTES and best.workers <= 2 else "not met"
        print(
            f"\nProjected for {TARGET_SCENARIOS} scenarios at the best rate ({best.label}): "
            f"{minutes:.1f} min; the {TARGET_MINUTES:g}-minute target is {verdict}."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
