"""Benchmark `millnet generate`: a large synthetic network against the iwg2009 reference case.

Usage::

    .venv/bin/python benchmarks/generate.py [--runs 3] [--plants 60] [--customers 5000]
        [--periods 12] [--products 60] [--products-per-customer 2] [--candidates-per-demand 8]

For each case, every run times generation, validation and writing (CSV, to a temporary
folder); the medians are printed with the row counts, the peak memory and the ratio of the
large case's times to the reference case's, measured in the same process. The target: the
large case generates in well under a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from millnet.case import Case, write_case
from millnet.generate import NetworkSpec, generate_network, reference_case
from millnet.validate import validate


def timed(func: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def python_peak_mb(func: Callable[[], object]) -> float:
    """Peak of memory allocated through Python (numpy included; polars' own allocator not)."""
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(name: str, build: Callable[[], Case], runs: int, folder: Path) -> dict[str, object]:
    times: dict[str, list[float]] = {"generate": [], "validate": [], "write": []}
    case: Case | None = None
    for run in range(runs):
        seconds, built = timed(build)
        assert isinstance(built, Case)
        case = built
        times["generate"].append(seconds)
        seconds, report = timed(lambda built=built: validate(built))
        if not report.ok:  # type: ignore[attr-defined]
            sys.exit(f"{name}: the generated case is not valid")
        times["validate"].append(seconds)
        out = folder / f"{name}-{run}"
        seconds, _ = timed(lambda built=built, out=out: write_case(built, out, "csv"))
        times["write"].append(seconds)
    assert case is not None
    return {
        "name": name,
        "case": case.name,
        "medians": {step: statistics.median(values) for step, values in times.items()},
        "rows": {table: frame.height for table, frame in case.tables.items()},
        "python_peak_mb": python_peak_mb(build),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per case (medians)")
    parser.add_argument("--plants", type=int, default=60)
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--periods", type=int, default=12)
    parser.add_argument("--products", type=int, default=NetworkSpec.products)
    parser.add_argument("--products-per-customer", type=int, default=2)
    parser.add_argument("--candidates-per-demand", type=int, default=8)
    parser.add_argument("--seed", type=int, default=NetworkSpec.seed)
    args = parser.parse_args(argv)
    spec = NetworkSpec(
        plants=args.plants,
        customers=args.customers,
        products=args.products,
        periods=args.periods,
        products_per_customer=args.products_per_customer,
        candidates_per_demand=args.candidates_per_demand,
        seed=args.seed,
    )
    spec.check()
    print(f"cpus: {os.cpu_count()}  python {sys.version.split()[0]}  runs: {args.runs}")
    with tempfile.TemporaryDirectory(prefix="millnet-bench-") as tmp:
        folder = Path(tmp)
        results = [
            measure("reference", reference_case, args.runs, folder),
            measure("synthetic", lambda: generate_network(spec), args.runs, folder),
        ]
    base = results[0]["medians"]
    print()
    print(f"{'case':<10} {'step':<9} {'median s':>9} {'x reference':>12}")
    for result in results:
        medians = result["medians"]
        for step, seconds in medians.items():  # type: ignore[union-attr]
            ratio = seconds / base[step] if base[step] else float("nan")  # type: ignore[index]
            print(f"{result['name']:<10} {step:<9} {seconds:>9.3f} {ratio:>12.1f}")
    print()
    for result in results:
        rows = ", ".join(f"{t} {n:,}" for t, n in result["rows"].items() if n)  # type: ignore[union-attr]
        print(f"{result['case']}: {rows}")
        print(f"  peak Python-allocated memory while generating: {result['python_peak_mb']:.0f} MB")
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process (all steps): {maxrss_mb:.0f} MB")
    generate_s = results[1]["medians"]["generate"]  # type: ignore[index]
    verdict = "within" if generate_s < 60 else "OVER"
    print(f"synthetic generation {generate_s:.2f} s: {verdict} the one-minute target")
    return 0 if generate_s < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
