"""``millnet demo``: the 2009 decision of the reference case, told and saved."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from millnet.cli._common import console, err_console
from millnet.errors import MillnetError


def demo(
    case: Annotated[Path, typer.Option("--case", help="The case to plan.")] = Path("cases/iwg2009"),
    out: Annotated[Path, typer.Option("--out", help="Where to write the results.")] = Path(
        "out/demo"
    ),
) -> None:
    """Plan the reference case from 2009Q1 and tell the decision in a planner's words.

    Example: [bold]millnet demo[/] (run from the repository root)
    """
    from millnet.case import read_case
    from millnet.case.summary import summarize
    from millnet.cli.case_cmds import render_summary
    from millnet.cli.solve_cmd import render, results_json, write_json
    from millnet.model.warm import warm_imports
    from millnet.plan import solve_case
    from millnet.report.html import write_html
    from millnet.report.story import story

    if not case.exists():
        raise MillnetError(
            f"{case}: the reference case is not here; run the demo from the repository root "
            "or pass --case"
        )
    warm_imports()
    loaded = read_case(case)
    render_summary(summarize(loaded))
    err_console.print("planning … (about a minute)")
    results = solve_case(loaded)
    render(results)
    console.rule("[bold]The decision[/]")
    for line in story(results):
        console.print(escape(line))
    results.write(out)
    write_json(out / "results.json", results_json(results))
    write_html(results, out / "report.html")
    err_console.print(f"results written to {escape(str(out))}/ (report: report.html)")
