"""``millnet scenario``: check, show and expand scenario and sweep files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from millnet.cli._common import console, print_json

scenario_app = typer.Typer(
    name="scenario",
    help="Check, show and expand scenario and sweep files (YAML).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

ScenarioFile = Annotated[Path, typer.Argument(help="A scenario YAML file.", show_default=False)]
JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout and nothing else.")
]


@scenario_app.command("check")
def check(
    file: ScenarioFile,
    case: Annotated[
        Path | None,
        typer.Option(
            "--case",
            help="Also apply the scenario to this case and validate the result.",
            show_default=False,
        ),
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Check a scenario file (with --case: against a case).

    Checks the YAML, every override and the parents; with --case, also that every id the
    scenario names exists in the case and that the changed case is valid.

    Every problem names the file, the line and the key. Exit 0 when valid, 1 when not, 2 when
    the case path is not a case.

    Example: [bold]millnet scenario check cases/iwg2009/scenarios/copper-doubles.yaml --case
    cases/iwg2009[/]
    """
    from millnet.case import read_case
    from millnet.scenario import ScenarioError, apply, load_scenario
    from millnet.validate import validate

    document: dict[str, Any] = {"file": str(file), "valid": True, "problems": []}
    loaded_case = read_case(case) if case is not None else None
    try:
        scenario = load_scenario(file)
        document.update(
            scenario=scenario.name,
            lineage=list(scenario.lineage),
            overrides=len(scenario.steps()),
        )
        if loaded_case is not None:
            applied = apply(loaded_case, scenario)
            report = validate(applied.case)
            document["case"] = {
                "name": loaded_case.name,
                "fingerprint": loaded_case.fingerprint,
                "scenario_fingerprint": applied.case.fingerprint,
                "notes": list(applied.notes),
                "valid": report.ok,
                "issues": report.to_json(),
            }
            document["valid"] = report.ok
    except ScenarioError as exc:
        document["valid"] = False
        document["problems"] = [p.to_dict() for p in exc.problems]
    if json:
        print_json(document)
    else:
        _render_check(document)
    if not document["valid"]:
        raise typer.Exit(1)


def _render_check(document: dict[str, Any]) -> None:
    for problem in document["problems"]:
        where = ", ".join(
            part
            for part in (
                problem["file"],
                f"line {problem['line']}" if problem["line"] else "",
                f"column {problem['column']}" if problem.get("column") else "",
                f"key {problem['key']}" if problem["key"] else "",
            )
            if part
        )
        console.print(f"[red]{escape(where)}[/]: {escape(problem['message'])}", soft_wrap=True)
    checked = document.get("case")
    if checked is not None:
        for note in checked["notes"]:
            console.print(escape(note), soft_wrap=True)
        for issue in checked["issues"]:
            style = "red" if issue["severity"] == "error" else "yellow"
            place = ", ".join(
                str(x)
                for x in (issue["file"], issue["row"] and f"row {issue['row']}", issue["column"])
                if x
            )
            console.print(
                f"[{style}]{issue['severity']}[/] {escape(place)}: {escape(issue['message'])}",
                soft_wrap=True,
            )
    name = document.get("scenario") or document["file"]
    verdict = "[green]valid[/]" if document["valid"] else "[red]not valid[/]"
    against = f" against case {escape(checked['name'])}" if checked is not None else ""
    count = f" — {document['overrides']} override(s)" if "overrides" in document else ""
    console.print(f"{escape(name)}: {verdict}{against}{count}", soft_wrap=True)


@scenario_app.command("show")
def show(file: ScenarioFile, json: JsonFlag = False) -> None:
    """Show the overrides of a scenario in the order they apply.

    The parents' overrides come first; each override names the file and line it comes from.

    Example: [bold]millnet scenario show cases/iwg2009/scenarios/keep-littleton.yaml[/]
    """
    from millnet.scenario import load_scenario
    from millnet.scenario.spec import inline

    scenario = load_scenario(file)
    steps = [
        {
            "scenario": at.scenario,
            "file": at.source.file,
            "line": at.source.line(at.path),
            **override.to_data(),
        }
        for override, at in scenario.steps()
    ]
    if json:
        print_json(
            {
                "name": scenario.name,
                "description": scenario.description,
                "lineage": list(scenario.lineage),
                "overrides": steps,
            }
        )
        return
    console.rule(f"[bold]{escape(scenario.name)}[/]")
    if scenario.description:
        console.print(escape(scenario.description))
    if len(scenario.lineage) > 1:
        console.print(f"Builds on: {escape(' → '.join(scenario.lineage))}")
    table = Table(title="Overrides, in the order they apply", title_justify="left")
    for header in ("#", "from", "override"):
        table.add_column(header, overflow="fold")
    for index, (override, at) in enumerate(scenario.steps(), start=1):
        line = at.source.line(at.path)
        table.add_row(
            str(index),
            escape(f"{at.source.file}:{line}" if line else at.source.file),
            escape(inline(override.to_data())),
        )
    console.print(table)


@scenario_app.command("expand")
def expand_cmd(
    file: Annotated[Path, typer.Argument(help="A sweep YAML file.", show_default=False)],
    json: JsonFlag = False,
) -> None:
    """List the scenarios a sweep expands to, with their overrides.

    A grid gives every combination of its axes' values; Monte Carlo gives its draws.

    Example: [bold]millnet scenario expand cases/iwg2009/sweeps/aerospace-x-copper.yaml[/]
    """
    from millnet.scenario.spec import inline
    from millnet.scenario.sweep import expand, load_sweep

    sweep = load_sweep(file)
    scenarios = expand(sweep)
    base = sweep.base
    if json:
        print_json(
            {
                "sweep": sweep.name,
                "description": sweep.sweep.description,
                "base": None
                if base is None
                else {
                    "name": base.name,
                    "lineage": list(base.lineage),
                    "overrides": [o.to_data() for o, _ in base.steps()],
                },
                "count": len(scenarios),
                "scenarios": [
                    {
                        "name": s.name,
                        "description": s.description,
                        "lineage": list(s.lineage),
                        "overrides": [o.to_data() for o in s.overrides],
                    }
                    for s in scenarios
                ],
            }
        )
        return
    console.rule(f"[bold]{escape(sweep.name)}[/]: {len(scenarios)} scenario(s)")
    if sweep.sweep.description:
        console.print(escape(sweep.sweep.description))
    if base is not None:
        console.print(
            f"Every scenario builds on {escape(' → '.join(base.lineage))} "
            f"({len(base.steps())} override(s))"
        )
    table = Table(show_lines=False)
    table.add_column("scenario", overflow="fold")
    table.add_column("overrides", overflow="fold")
    for scenario in scenarios:
        shown = "\n".join(inline(o.to_data()) for o in scenario.overrides) or "(none)"
        table.add_row(escape(scenario.name), escape(shown))
    console.print(table)
