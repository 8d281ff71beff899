"""OR-Library capacitated facility location: millnet against plain HiGHS, instance by instance.

Every instance is imported (``millnet import orlib-cap``'s importer) into a temporary CSV case
folder once. Then, in one process after a warm-up, each instance is solved --runs times by

* millnet: ``plan(folder, …, reference=False)``, timed from reading the case to finished
  results (the phases read, validate, build, solve, extract of ``results.timings``), and
* plain HiGHS on the textbook strong formulation built directly with highspy (y_i binary,
  x_ij ∈ [0, 1]; min Σ f_i y_i + Σ c_ij x_ij; Σ_i x_ij = 1; Σ_j d_j x_ij ≤ s_i y_i;
  x_ij ≤ y_i), timed from the parsed arrays to the solved model,

and the medians are compared. Each millnet objective must match optima.tsv to a relative 1e-6
with optimality proven; the script exits 1 when one does not (and, with --strict, when a time
target is missed).

With --cli, each instance is instead solved cold by ``millnet solve CASE --json --no-reference``
in a fresh process, --runs times, for the per-instance overhead (total_s − solve_s) and solve
time; plain HiGHS is still timed in this process for the comparison.

With --single-source, both sides solve the single-source variant (one facility per customer; x
binary for plain HiGHS). There is no published optimum: millnet is checked against plain HiGHS.

    .venv/bin/python benchmarks/orlib_cap.py                 # 37 small instances, in process
    .venv/bin/python benchmarks/orlib_cap.py --cli           # cold CLI runs
    .venv/bin/python benchmarks/orlib_cap.py --instances cap41,cap13* --runs 1
    .venv/bin/python benchmarks/orlib_cap.py --large --instances capa-14000 --time-limit 120

The instances live outside the repository: --folder, else $MILLNET_BENCHMARKS/orlib-cap, else
../shared/benchmarks/orlib-cap next to the repository.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
RELATIVE_TOLERANCE = 1e-6
#: Targets of the issue.
TOTAL_RATIO_TARGET = 2.0
OVERHEAD_TARGET_S = 0.5
SOLVE_RATIO_TARGET = 1.5
#: Time limit of the A/B/C variants when none is given.
LARGE_TIME_LIMIT_S = 120.0
PHASES = ("read_s", "validate_s", "build_s", "solve_s", "extract_s")


def default_folder() -> Path:
    root = os.environ.get("MILLNET_BENCHMARKS")
    base = Path(root) if root else REPO.parent / "shared" / "benchmarks"
    return base / "orlib-cap"


@dataclass(frozen=True)
class Instance:
    name: str
    file: str
    capacity: float | None
    optimum: float


def read_optima(folder: Path) -> list[Instance]:
    with (folder / "optima.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        Instance(
            name=r["instance"],
            file=r["file"],
            capacity=float(r["capacity"]) if (r.get("capacity") or "").strip() else None,
            optimum=float(r["optimum"]),
        )
        for r in rows
    ]


def select(instances: list[Instance], patterns: str | None, large: bool) -> list[Instance]:
    chosen = [i for i in instances if large or i.capacity is None]
    if patterns:
        wanted = [p.strip() for p in patterns.split(",") if p.strip()]
        chosen = [i for i in chosen if any(fnmatch.fnmatch(i.name, p) for p in wanted)]
    return chosen


# --------------------------------------------------------------------------------------------
# Plain HiGHS on the textbook strong formulation


@dataclass
class HighsRun:
    status: str
    objective: float | None
    build_s: float
    solve_s: float

    @property
    def total_s(self) -> float:
        return self.build_s + self.solve_s


def highs_strong(
    instance,
    *,
    threads: int | None,
    single_source: bool,
    time_limit: float | None,
    gap: float | None,
) -> HighsRun:
    """Build min Σ f y + Σ c x s.t. Σ_i x_ij = 1, Σ_j d_j x_ij ≤ s_i y_i, x_ij ≤ y_i directly
    with highspy (columns: y_0…y_{m−1}, then x_ij facility-major) and solve it."""
    import highspy

    from millnet.solve._stdout import stdout_to_stderr

    start = time.perf_counter()
    m, n = instance.n_facilities, instance.n_customers
    mn = m * n
    x = m + np.arange(mn).reshape(m, n)  # column of x_ij
    y = np.arange(m)
    # Rows: n assignment rows, m capacity rows, m·n linking rows (row-wise matrix).
    assign_index = x.T.ravel()  # row j: x_0j … x_{m−1}j
    assign_value = np.ones(mn)
    capacity_index = np.concatenate([x, y[:, None]], axis=1).ravel()
    capacity_value = np.concatenate(
        [np.broadcast_to(instance.demand, (m, n)), -instance.capacity[:, None]], axis=1
    ).ravel()
    link_index = np.stack([x.ravel(), np.repeat(y, n)], axis=1).ravel()
    link_value = np.tile([1.0, -1.0], mn)
    index = np.concatenate([assign_index, capacity_index, link_index]).astype(np.int32)
    value = np.concatenate([assign_value, capacity_value, link_value])
    lengths = np.concatenate([np.full(n, m), np.full(m, n + 1), np.full(mn, 2)])
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)

    lp = highspy.HighsLp()
    lp.num_col_ = m + mn
    lp.num_row_ = n + m + mn
    lp.col_cost_ = np.concatenate([instance.fixed_cost, instance.cost.ravel()])
    lp.col_lower_ = np.zeros(m + mn)
    lp.col_upper_ = np.ones(m + mn)
    lp.row_lower_ = np.concatenate([np.ones(n), np.full(m + mn, -highspy.kHighsInf)])
    lp.row_upper_ = np.concatenate([np.ones(n), np.zeros(m + mn)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = m + mn
    lp.a_matrix_.num_row_ = n + m + mn
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    integer, continuous = highspy.HighsVarType.kInteger, highspy.HighsVarType.kContinuous
    lp.integrality_ = [integer] * m + [integer if single_source else continuous] * mn
    with stdout_to_stderr(show=False):  # HiGHS prints a banner when first created
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if threads is not None:
        h.setOptionValue("threads", int(threads))
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    if gap is not None:
        h.setOptionValue("mip_rel_gap", float(gap))
    h.passModel(lp)
    built = time.perf_counter()
    h.run()
    solved = time.perf_counter()
    word = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    objective = info.objective_function_value if int(info.primal_solution_status) == 2 else None
    return HighsRun(word, objective, built - start, solved - built)


# --------------------------------------------------------------------------------------------
# millnet


@dataclass
class MillnetRun:
    status: str
    objective: float | None
    gap: float | None
    timings: dict[str, float]
    wall_s: float | None = None
    #: Demand left unmet by the plan (single-source instances can be infeasible).
    unmet: float = 0.0

    @property
    def total_s(self) -> float:
        return self.timings.get("total_s", math.nan)

    @property
    def overhead_s(self) -> float:
        return self.total_s - self.timings.get("solve_s", math.nan)


def millnet_in_process(folder: Path, model_options, solve_options) -> MillnetRun:
    from millnet.plan import plan

    results = plan(folder, model_options, solve_options, reference=False)
    outcome = results.outcome
    unmet = results.tables.get("unmet")
    return MillnetRun(
        outcome.status.value,
        outcome.objective,
        outcome.gap,
        dict(results.timings),
        unmet=float(unmet["unmet"].sum()) if unmet is not None and unmet.height else 0.0,
    )


def millnet_cli(folder: Path, args: argparse.Namespace) -> MillnetRun:
    command = [millnet_executable(), "solve", str(folder), "--json", "--no-reference", "--no-save"]
    if args.threads is not None:
        command += ["--threads", str(args.threads)]
    if args.single_source:
        command.append("--single-source")
    if args.time_limit is not None:
        command += ["--time-limit", str(args.time_limit)]
    if args.gap is not None:
        command += ["--gap", str(args.gap)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    try:
        document = json.loads(done.stdout)
    except json.JSONDecodeError:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return MillnetRun(f"error (exit {done.returncode}): {' | '.join(tail)}", None, None, {})
    return MillnetRun(
        document["status"],
        document.get("objective"),
        document.get("gap"),
        dict(document.get("timings", {})),
        wall,
        unmet=sum(float(u["unmet"]) for u in document.get("unmet") or []),
    )


def millnet_executable() -> str:
    beside = Path(sys.executable).parent / "millnet"
    if beside.exists():
        return str(beside)
    found = shutil.which("millnet")
    if found is None:
        sys.exit("the millnet command is not installed (expected next to this Python)")
    return found


# --------------------------------------------------------------------------------------------
# Runs and reports


@dataclass
class Row:
    instance: Instance
    expected: float | None  # published optimum, or plain HiGHS's in the single-source variant
    millnet: list[MillnetRun] = field(default_factory=list)
    highs: list[HighsRun] = field(default_factory=list)
    #: Plain HiGHS proved the (single-source) instance infeasible: millnet must leave demand unmet.
    infeasible: bool = False

    def phase(self, name: str) -> float:
        return median([r.timings.get(name, math.nan) for r in self.millnet])

    @property
    def total(self) -> float:
        return median([r.total_s for r in self.millnet])

    @property
    def overhead(self) -> float:
        return median([r.overhead_s for r in self.millnet])

    @property
    def wall(self) -> float:
        return median([r.wall_s if r.wall_s is not None else math.nan for r in self.millnet])

    @property
    def highs_total(self) -> float:
        return median([r.total_s for r in self.highs])

    @property
    def highs_solve(self) -> float:
        return median([r.solve_s for r in self.highs])

    @property
    def objective(self) -> float | None:
        return self.millnet[-1].objective if self.millnet else None

    @property
    def unmet(self) -> float:
        return self.millnet[-1].unmet if self.millnet else 0.0

    @property
    def status(self) -> str:
        statuses = {r.status for r in self.millnet}
        return statuses.pop() if len(statuses) == 1 else "/".join(sorted(statuses))

    @property
    def error(self) -> float:
        if self.objective is None or self.expected is None:
            return math.inf
        return abs(self.objective - self.expected) / max(1.0, abs(self.expected))

    @property
    def expected_text(self) -> str:
        return "infeasible" if self.infeasible else fmt(self.expected, ",.3f")

    @property
    def objective_text(self) -> str:
        return f"unmet {self.unmet:,.0f}" if self.unmet > 0 else fmt(self.objective, ",.3f")

    @property
    def error_text(self) -> str:
        return "—" if self.infeasible else fmt(self.error, ".1e")

    @property
    def ok(self) -> bool:
        if self.status != "optimal":
            return False
        if self.infeasible:  # both agree that not all demand can be served
            return self.unmet > 0
        return self.unmet == 0 and self.error <= RELATIVE_TOLERANCE


def median(values: list[float]) -> float:
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else math.nan


def prepare_cases(
    instances: list[Instance], folder: Path, tmp: Path
) -> dict[str, tuple[object, Path]]:
    from millnet.case import write_case
    from millnet.importers.orlib import cap_case, parse_orlib_cap

    prepared = {}
    for instance in instances:
        parsed = parse_orlib_cap(folder / instance.file, instance.capacity)
        out = write_case(cap_case(parsed), tmp / instance.name, "csv")
        prepared[instance.name] = (parsed, out)
    return prepared


def highs_kwargs(args: argparse.Namespace) -> dict[str, object]:
    return {
        "threads": args.threads,
        "single_source": args.single_source,
        "time_limit": args.time_limit,
        "gap": args.gap,
    }


def run_benchmark(args: argparse.Namespace, instances: list[Instance], folder: Path) -> list[Row]:
    from millnet.model.options import ModelOptions
    from millnet.model.warm import warm_imports
    from millnet.solve.options import SolveOptions

    warm_imports()
    model_options = ModelOptions(single_source="horizon" if args.single_source else "off")
    solve_options = SolveOptions(threads=args.threads, time_limit=args.time_limit, gap=args.gap)
    with tempfile.TemporaryDirectory(prefix="millnet-orlib-") as tmp:
        prepared = prepare_cases(instances, folder, Path(tmp))
        rows = [Row(i, None if args.single_source else i.optimum) for i in instances]
        # Warm-up: one full round trip on the first instance, not counted.
        parsed, case_dir = prepared[instances[0].name]
        highs_strong(parsed, **highs_kwargs(args))
        if not args.cli:
            millnet_in_process(case_dir, model_options, solve_options)
        for run in range(args.runs):
            for row in rows:
                parsed, case_dir = prepared[row.instance.name]
                # Alternate which side goes first, so neither always finds the caches warm.
                sides = ["highs", "millnet"] if run % 2 == 0 else ["millnet", "highs"]
                for side in sides:
                    if side == "highs":
                        row.highs.append(highs_strong(parsed, **highs_kwargs(args)))
                    elif args.cli:
                        row.millnet.append(millnet_cli(case_dir, args))
                    else:
                        row.millnet.append(
                            millnet_in_process(case_dir, model_options, solve_options)
                        )
                if args.verbose:
                    print(
                        f"  run {run + 1}: {row.instance.name} millnet "
                        f"{row.millnet[-1].total_s:.3f} s, HiGHS {row.highs[-1].total_s:.3f} s",
                        file=sys.stderr,
                    )
        if args.single_source:
            for row in rows:
                objectives = [r.objective for r in row.highs if r.status == "Optimal"]
                row.expected = objectives[0] if objectives else None
                row.infeasible = any(r.status == "Infeasible" for r in row.highs)
    return rows


def fmt(value: float | None, spec: str = ".3f") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format(value, spec)


def report_in_process(rows: list[Row], args: argparse.Namespace) -> list[str]:
    reference = "HiGHS SS" if args.single_source else "optimum"
    header = (
        f"{'instance':<11} {reference:>15} {'millnet':>15} {'rel.err':>8} {'status':<8} "
        f"{'read':>6} {'valid':>6} {'build':>6} {'solve':>6} {'extr':>6} {'total':>7} "
        f"{'HiGHS':>7} {'h.solve':>7} {'ratio':>6} {'s.ratio':>7}"
    )
    print(f"\nIn process, medians of {args.runs} run(s), seconds (threads={args.threads}):")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row.instance.name:<11} {row.expected_text:>15} {row.objective_text:>15} "
            f"{row.error_text:>8} {row.status:<8} "
            + " ".join(f"{fmt(row.phase(p)):>6}" for p in PHASES)
            + f" {fmt(row.total):>7} {fmt(row.highs_total):>7} {fmt(row.highs_solve):>7} "
            f"{fmt(row.total / row.highs_total, '.2f'):>6} "
            f"{fmt(row.phase('solve_s') / row.highs_solve, '.2f'):>7}"
        )
    total = sum(r.total for r in rows)
    highs_total = sum(r.highs_total for r in rows)
    solve = sum(r.phase("solve_s") for r in rows)
    highs_solve = sum(r.highs_solve for r in rows)
    print("-" * len(header))
    print(
        f"Σ millnet read→results {total:.3f} s; Σ plain HiGHS build+solve {highs_total:.3f} s; "
        f"ratio {total / highs_total:.2f} (target ≤ {TOTAL_RATIO_TARGET})"
    )
    print(
        f"Σ millnet solve {solve:.3f} s; Σ plain HiGHS solve {highs_solve:.3f} s; "
        f"ratio {solve / highs_solve:.2f}"
    )
    print(
        "Σ by phase: "
        + ", ".join(f"{p[:-2]} {sum(r.phase(p) for r in rows):.3f} s" for p in PHASES)
        + f"; overhead (total − solve) {sum(r.overhead for r in rows):.3f} s"
    )
    missed = []
    if not total <= TOTAL_RATIO_TARGET * highs_total:
        missed.append(f"Σ millnet / Σ HiGHS = {total / highs_total:.2f} > {TOTAL_RATIO_TARGET}")
    return missed


def report_cli(rows: list[Row], args: argparse.Namespace) -> list[str]:
    header = (
        f"{'instance':<11} {'status':<8} {'rel.err':>8} {'read':>6} {'valid':>6} {'build':>6} "
        f"{'extr':>6} {'overhd':>6} {'solve':>6} {'h.solve':>7} {'s.ratio':>7} {'wall':>6}"
    )
    print(
        f"\nCLI, cold (millnet solve --json --no-reference), medians of {args.runs} run(s), "
        f"seconds (threads={args.threads}); overhead = total_s − solve_s; wall = the process:"
    )
    print(header)
    print("-" * len(header))
    missed = []
    for row in rows:
        ratio = row.phase("solve_s") / row.highs_solve
        print(
            f"{row.instance.name:<11} {row.status:<8} {row.error_text:>8} "
            + " ".join(f"{fmt(row.phase(p)):>6}" for p in ("read_s", "validate_s", "build_s"))
            + f" {fmt(row.phase('extract_s')):>6} {fmt(row.overhead):>6} "
            f"{fmt(row.phase('solve_s')):>6} {fmt(row.highs_solve):>7} {fmt(ratio, '.2f'):>7} "
            f"{fmt(row.wall, '.2f'):>6}"
        )
        if not row.overhead <= OVERHEAD_TARGET_S:
            missed.append(f"{row.instance.name}: overhead {row.overhead:.3f} s > 0.5 s")
        if not ratio <= SOLVE_RATIO_TARGET:
            missed.append(
                f"{row.instance.name}: solve {row.phase('solve_s'):.3f} s > "
                f"{SOLVE_RATIO_TARGET} × HiGHS {row.highs_solve:.3f} s"
            )
    print("-" * len(header))
    overheads = [r.overhead for r in rows]
    print(
        f"overhead: max {max(overheads):.3f} s, median {statistics.median(overheads):.3f} s "
        f"(target ≤ {OVERHEAD_TARGET_S} s each); "
        + ", ".join(
            f"max {p[:-2]} {max(r.phase(p) for r in rows):.3f} s"
            for p in ("read_s", "validate_s", "build_s", "extract_s")
        )
    )
    ratios = [r.phase("solve_s") / r.highs_solve for r in rows]
    print(
        f"solve ratio millnet / HiGHS: max {max(ratios):.2f}, median "
        f"{statistics.median(ratios):.2f} (target ≤ {SOLVE_RATIO_TARGET} each); "
        f"Σ millnet solve {sum(r.phase('solve_s') for r in rows):.3f} s, "
        f"Σ HiGHS solve {sum(r.highs_solve for r in rows):.3f} s"
    )
    return missed


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--folder", type=Path, default=None, help="the orlib-cap folder (with optima.tsv)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per instance (medians)")
    parser.add_argument(
        "--instances", default=None, help="comma-separated names or patterns, e.g. cap4*,cap131"
    )
    parser.add_argument(
        "--large", action="store_true", help="include the A/B/C variants (100 × 1000; slow)"
    )
    parser.add_argument("--cli", action="store_true", help="cold `millnet solve` per run")
    parser.add_argument("--single-source", action="store_true", help="single-source variant")
    parser.add_argument(
        "--threads", type=int, default=1, help="solver threads on both sides (default 1)"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help=f"seconds per solve, both sides (default none; {LARGE_TIME_LIMIT_S:g} with --large)",
    )
    parser.add_argument("--gap", type=float, default=None, help="relative MIP gap, both sides")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 also when a time target is missed"
    )
    parser.add_argument("--verbose", action="store_true", help="progress on stderr")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be ≥ 1")
    if args.large and args.time_limit is None:
        args.time_limit = LARGE_TIME_LIMIT_S
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    folder = args.folder or default_folder()
    if not (folder / "optima.tsv").exists():
        print(
            f"skipped: no OR-Library instances at {folder} (set MILLNET_BENCHMARKS or --folder)",
            file=sys.stderr,
        )
        return 0
    instances = select(read_optima(folder), args.instances, args.large)
    if not instances:
        print(f"no instance matches {args.instances!r}", file=sys.stderr)
        return 2
    rows = run_benchmark(args, instances, folder)
    missed = report_cli(rows, args) if args.cli else report_in_process(rows, args)
    wrong = [r for r in rows if not r.ok]
    for row in wrong:
        print(
            f"MISSED {row.instance.name}: status {row.status}, objective "
            f"{row.objective_text}, expected {row.expected_text} (rel. error {row.error_text})"
        )
    against = "plain HiGHS's result" if args.single_source else "published optimum"
    print(
        f"{len(rows) - len(wrong)} of {len(rows)} instances optimal within "
        f"{RELATIVE_TOLERANCE:g} of the {against}"
    )
    for line in missed:
        print(f"target missed: {line}")
    if not missed:
        print("time targets met")
    if wrong or (args.strict and missed):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
