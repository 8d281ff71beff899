"""Case commands: validate, summary, convert, template, demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from millnet.case import Case, read_case, write_case, write_template
from millnet.case.summary import CaseSummary, summarize
from millnet.cli._common import console, err_console, print_json
from millnet.cli.app import app
from millnet.errors import MillnetError
from millnet.validate import ValidationReport, validate

CasePath = Annotated[
    Path,
    typer.Argument(
        help="A case: a folder of CSV or Parquet files with case.toml, or an .xlsx workbook.",
        show_default=False,
    ),
]
JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout and nothing else.")
]


@app.command("validate")
def validate_cmd(path: CasePath, json: JsonFlag = False) -> None:
    """Check a case: types, units, ranges, keys, references, periods, coverage.

    Every issue names the file (or sheet), the row as a spreadsheet shows it (header = row 1)
    and the column. Exit 0 when valid (warnings allowed), 1 when the case has errors, 2 when
    PATH does not exist or is not a case.

    Example: [bold]millnet validate cases/iwg2009 --json[/]
    """
    report = validate(read_case(path))
    if json:
        print_json(report.to_json())
    else:
        render_report(report, path)
    if not report.ok:
        raise typer.Exit(1)


def render_report(report: ValidationReport, path: Path) -> None:
    if report.issues:
        table = Table(title=f"Issues in {escape(str(path))}", show_lines=False)
        for header in ("severity", "file", "row", "column", "message"):
            table.add_column(header, overflow="fold")
        for issue in report.issues:
            style = "red" if issue.severity == "error" else "yellow"
            table.add_row(
                f"[{style}]{issue.severity}[/]",
                escape(issue.file or issue.table or ""),
                "" if issue.row is None else str(issue.row),
                escape(issue.column or ""),
                escape(issue.message),
            )
        console.print(table)
    verdict = "[green]valid[/]" if report.ok else "[red]not valid[/]"
    console.print(
        f"{escape(report.case_name)}: {verdict} — {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s)"
    )


@app.command("summary")
def summary_cmd(path: CasePath, json: JsonFlag = False) -> None:
    """Show what a case holds: plants by country and role, demand by segment and period,
    metal prices.

    Example: [bold]millnet summary cases/iwg2009[/]
    """
    case = read_case(path)
    summary = summarize(case)
    if json:
        print_json(summary.to_json())
    else:
        render_summary(summary)


def render_summary(summary: CaseSummary) -> None:
    console.rule(f"[bold]{escape(summary.name)}[/]")
    if summary.description:
        console.print(escape(summary.description))
    counts = ", ".join(f"{n} {t}" for t, n in summary.counts.items() if n)
    console.print(f"Tables: {counts}")
    planned = f"; planned from {summary.plan_from}" if summary.plan_from else ""
    if summary.periods:
        console.print(
            f"Periods: {summary.periods[0]} … {summary.periods[-1]} "
            f"({len(summary.periods)}){planned}"
        )
    console.print(_frame_table("Plants by country and role", summary.plants))
    console.print(
        _frame_table(
            f"Demand by segment and period ({summary.mass_unit})", summary.demand, digits=0
        )
    )
    console.print(_frame_table("Metal prices, index + premium", summary.metal_prices, digits=2))


def _frame_table(title: str, frame: object, digits: int | None = None) -> Table:
    import polars as pl

    assert isinstance(frame, pl.DataFrame)
    table = Table(title=title, title_justify="left")
    for name, dtype in frame.schema.items():
        table.add_column(escape(name), justify="right" if dtype.is_numeric() else "left")
    for record in frame.iter_rows():
        cells = []
        for value in record:
            if isinstance(value, float) and digits is not None:
                cells.append(f"{value:,.{digits}f}")
            else:
                cells.append(escape("" if value is None else str(value)))
        table.add_row(*cells)
    return table


@app.command("convert")
def convert_cmd(
    source: CasePath,
    out: Annotated[Path, typer.Argument(help="Output folder, or a file ending in .xlsx.")],
    to: Annotated[
        str | None,
        typer.Option("--to", help="csv, xlsx or parquet (default: xlsx for *.xlsx, else csv)."),
    ] = None,
) -> None:
    """Convert a case between a CSV folder, an Excel workbook and a Parquet folder, losslessly.

    A case whose cells could not all be read is not converted (those cells would be lost);
    fix the errors first. Cases with other validation errors convert, so they can be fixed in
    another format.

    Example: [bold]millnet convert cases/iwg2009 iwg2009.xlsx[/]
    """
    case = read_case(source)
    _refuse_lossy(case)
    written = write_case(case, out, to)
    err_console.print(f"wrote {escape(str(written))} (fingerprint {case.fingerprint[:12]})")


def _refuse_lossy(case: Case) -> None:
    errors = [i for i in case.read_issues if i.severity == "error"]
    if errors:
        shown = "\n".join(f"  {i}" for i in errors[:10])
        raise MillnetError(
            f"the case has {len(errors)} reading error(s); converting would lose those cells:"
            f"\n{shown}"
        )


@app.command("template")
def template_cmd(
    out: Annotated[Path, typer.Argument(help="The workbook to write (.xlsx).")],
) -> None:
    """Write an empty case workbook: every table, with column descriptions and units.

    Example: [bold]millnet template my-network.xlsx[/]
    """
    write_template(out)
    err_console.print(f"wrote {escape(str(out))}")
