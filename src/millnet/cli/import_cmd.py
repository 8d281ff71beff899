"""``millnet import``: turn files of other formats into millnet cases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape

from millnet.cli._common import console, err_console, print_json

import_app = typer.Typer(
    name="import",
    help="Turn files of other formats into millnet cases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


@import_app.command("orlib-cap")
def orlib_cap(
    file: Annotated[
        Path,
        typer.Argument(
            help="An OR-Library capacitated facility location file (cap41.txt … capc.txt).",
            show_default=False,
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Argument(
            help="Where to write the case (a folder; a .xlsx file with --format xlsx).",
            show_default=False,
        ),
    ],
    capacity: Annotated[
        float | None,
        typer.Option(
            "--capacity",
            min=0,
            help="Capacity of every facility, for files that carry the word 'capacity' instead "
            "(capa, capb, capc).",
        ),
    ] = None,
    fmt: Annotated[
        Literal["csv", "parquet", "xlsx"],
        typer.Option("--format", help="csv, parquet or xlsx."),
    ] = "csv",
    json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document on stdout.")
    ] = False,
) -> None:
    """Import a Beasley OR-Library capacitated facility location instance as a one-period case.

    Opening a facility is running its plant: fixed cost = running cost, idle costs nothing.

    A lane costs the file's cost of serving the customer divided by its demand, per unit.

    Solve it with [bold]millnet solve OUT_DIR[/] (--single-source for that variant).

    Example: [bold]millnet import orlib-cap ../shared/benchmarks/orlib-cap/cap41.txt out/cap41[/]
    """
    from millnet.case import write_case
    from millnet.importers.orlib import cap_case, parse_orlib_cap

    instance = parse_orlib_cap(file, capacity)
    written = write_case(cap_case(instance), out_dir, fmt)
    document = {
        "case": instance.name,
        "out": str(written),
        "format": fmt,
        "plants": instance.n_facilities,
        "customers": instance.n_customers,
        "total_demand": float(instance.demand.sum()),
        "total_capacity": float(instance.capacity.sum()),
    }
    if document["total_capacity"] < document["total_demand"]:
        err_console.print(
            "[yellow]warning:[/] total capacity is below total demand, so some demand will go "
            "unmet in any plan"
        )
    if json:
        print_json(document)
        return
    console.print(
        f"wrote {escape(str(written))} ({fmt}): case {escape(instance.name)}, "
        f"{instance.n_facilities} plants, {instance.n_customers} customers, total demand "
        f"{document['total_demand']:,.0f}, total capacity {document['total_capacity']:,.0f}"
    )
