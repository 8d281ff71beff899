"""`millnet generate`: write a synthetic copper-wire case of any size."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from millnet.case import write_case
from millnet.cli._common import console, err_console, print_json
from millnet.generate import STEPS, NetworkSpec, generate_network

_DEFAULT = NetworkSpec()


class OutputFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


def _option_name(field: str) -> str:
    return "--" + field.replace("_", "-")


def generate(
    out: Annotated[
        Path,
        typer.Argument(
            help="Where to write the case: a folder (csv, parquet) or a file ending in .xlsx.",
            show_default=False,
        ),
    ],
    plants: Annotated[int, typer.Option("--plants", help="Number of plants.")] = _DEFAULT.plants,
    customers: Annotated[
        int, typer.Option("--customers", help="Number of customers.")
    ] = _DEFAULT.customers,
    products: Annotated[
        int, typer.Option("--products", help="Number of products.")
    ] = _DEFAULT.products,
    periods: Annotated[
        int, typer.Option("--periods", help="Number of quarters, from 2008Q1.")
    ] = _DEFAULT.periods,
    products_per_customer: Annotated[
        int,
        typer.Option("--products-per-customer", help="Products each customer buys."),
    ] = _DEFAULT.products_per_customer,
    candidates_per_demand: Annotated[
        int,
        typer.Option(
            "--candidates-per-demand",
            help="Plants that may serve each demand row (qualified or qualifiable).",
        ),
    ] = _DEFAULT.candidates_per_demand,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = _DEFAULT.seed,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            help="csv, parquet or xlsx (default: xlsx for a name ending in .xlsx, else csv).",
            show_default=False,
        ),
    ] = None,
    json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document on stdout and nothing else.")
    ] = False,
) -> None:
    """Write a synthetic copper-wire case of any size, shaped like the iwg2009 reference case.

    Plants take the reference case's roles (rod breakdown, fine wire, plating, specialty,
    Europe) in real towns; customers in real towns buy metal-indexed; demand runs quarterly from
    2008Q1. Every demand row gets exactly --candidates-per-demand candidate plants, so the
    number of lanes is (customers x products per customer) x candidates. The same options and
    seed give the same case.

    Example: millnet generate big --plants 60 --customers 5000 --periods 12
    """
    spec = NetworkSpec(
        plants=plants,
        customers=customers,
        products=products,
        periods=periods,
        products_per_customer=products_per_customer,
        candidates_per_demand=candidates_per_demand,
        seed=seed,
    )
    spec.check(_option_name)
    started = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        task = progress.add_task("generating", total=len(STEPS) + 1)

        def on_step(name: str) -> None:
            progress.update(task, description=f"generating: {name}", advance=1)

        case = generate_network(spec, on_step=on_step)
        progress.update(task, description=f"writing {out}")
        path = write_case(case, out, fmt.value if fmt is not None else None)
        progress.update(task, advance=1)
    seconds = time.perf_counter() - started
    rows = {name: frame.height for name, frame in case.tables.items()}
    written = "xlsx" if path.is_file() else ("parquet" if fmt is OutputFormat.parquet else "csv")
    if json:
        print_json(
            {
                "path": str(path),
                "format": written,
                "name": case.name,
                "fingerprint": case.fingerprint,
                "rows": rows,
                "lanes": rows["qualifications"],
                "seconds": round(seconds, 3),
            }
        )
        return
    console.print(
        f"Wrote [bold]{escape(case.name)}[/] to {escape(str(path))} ({written}) in "
        f"{seconds:.1f} s: {rows['plants']:,} plants, {rows['customers']:,} customers, "
        f"{rows['products']:,} products, {rows['periods']:,} periods, "
        f"{rows['demand']:,} demand rows, {rows['qualifications']:,} lanes "
        f"(qualification rows); fingerprint {case.fingerprint[:12]}"
    )
