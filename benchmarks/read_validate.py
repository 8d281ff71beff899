"""Time to read and validate a case, against polars' bare CSV parse in the same run.

The case is the `mini` example, scaled by replicating its customers (and their demand) N times.
Prints medians over --runs runs of: bare parse (baseline), read_case, validate, and the ratio.

    .venv/bin/python benchmarks/read_validate.py --customers 5000 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import polars as pl

from millnet.case import load_example, read_case, write_case
from millnet.validate import validate


def scaled_case(copies: int):
    case = load_example("mini")
    customers = case["customers"]
    demand = case["demand"]
    suffix = pl.int_range(copies, eager=True).cast(pl.String).alias("copy").to_frame()
    customers = (
        customers.join(suffix, how="cross").with_columns(_suffixed("id").alias("id")).drop("copy")
    )
    demand = (
        demand.join(suffix, how="cross")
        .with_columns(_suffixed("customer_id").alias("customer_id"))
        .drop("copy")
    )
    return case.with_tables(customers=customers, demand=demand)


def _suffixed(column: str) -> pl.Expr:
    # Copy 0 keeps the original ids, which qualifications and lanes refer to.
    return (
        pl.when(pl.col("copy") == "0")
        .then(pl.col(column))
        .otherwise(pl.col(column) + "-" + pl.col("copy"))
    )


def timed(func) -> tuple[float, object]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=5000, help="customer copies of mini")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    copies = max(1, args.customers // 4)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "case"
        write_case(scaled_case(copies), folder, "csv")
        files = sorted(folder.glob("*.csv"))
        rows = {p.stem: pl.read_csv(p, infer_schema=False).height for p in files}
        read_case(folder)  # warm-up: imports and first-call costs
        bare, reads, checks = [], [], []
        for _ in range(args.runs):
            bare.append(timed(lambda: [pl.read_csv(p, infer_schema=False) for p in files])[0])
            seconds, case = timed(lambda: read_case(folder))
            reads.append(seconds)
            seconds, report = timed(lambda case=case: validate(case))
            checks.append(seconds)
            assert report.ok, report.errors[:3]
    b, r, v = (statistics.median(x) for x in (bare, reads, checks))
    print(f"case: {rows['customers']:,} customers, {rows['demand']:,} demand rows")
    print(f"{'phase':<28}{'median s':>10}{'× bare parse':>14}")
    print(f"{'bare polars parse (baseline)':<28}{b:>10.4f}{1:>14.1f}")
    print(f"{'millnet read_case':<28}{r:>10.4f}{r / b:>14.1f}")
    print(f"{'millnet validate':<28}{v:>10.4f}{v / b:>14.1f}")
    print(f"{'read + validate':<28}{r + v:>10.4f}{(r + v) / b:>14.1f}")


if __name__ == "__main__":
    main()
