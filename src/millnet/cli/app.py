"""The `millnet` command line: thin typed commands over the public API.

Conventions every command follows:

* with ``--json``, stdout carries exactly one JSON document; logs and progress go to stderr;
* a user error prints one clear message (no traceback) and exits 1;
* exit 2 is for usage errors and paths that do not exist or cannot be opened;
* ``--help`` shows an example.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer
from rich.markup import escape

from millnet.cli._common import err_console
from millnet.errors import MillnetError

app = typer.Typer(
    name="millnet",
    help="millnet: plan a manufacturing network (plants, capacity, sourcing, metal economics).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _register() -> None:
    # Commands live in their own modules; importing them here keeps `app` the single registry.
    from millnet.cli import case_cmds  # noqa: F401
    from millnet.cli.demo_cmd import demo
    from millnet.cli.generate_cmd import generate
    from millnet.cli.import_cmd import import_app
    from millnet.cli.solve_cmd import solve
    from millnet.cli.wire_cmd import wire

    registered = {c.name for c in app.registered_commands}
    commands = (("wire", wire), ("solve", solve), ("demo", demo), ("generate", generate))
    for name, function in commands:
        if name not in registered:
            app.command(name)(function)
    if "import" not in {g.name for g in app.registered_groups}:
        app.add_typer(import_app, name="import")
    from millnet.cli.scenario_cmd import scenario_app

    if "scenario" not in {g.name for g in app.registered_groups}:
        app.add_typer(scenario_app, name="scenario")
    from millnet.cli.explain_cmd import alternatives, breakeven, explain

    for name, function in (
        ("explain", explain),
        ("alternatives", alternatives),
        ("breakeven", breakeven),
    ):
        if name not in registered:
            app.command(name)(function)
    from millnet.cli.runs_cmd import runs_app

    if "runs" not in {g.name for g in app.registered_groups}:
        app.add_typer(runs_app, name="runs")
    from millnet.cli.serve_cmd import serve

    if "serve" not in {c.name for c in app.registered_commands}:
        app.command("serve")(serve)
    from millnet.cli.report_cmd import report

    if "report" not in {c.name for c in app.registered_commands}:
        app.command("report")(report)
    from millnet.cli.sweep_cmd import compare, sweep, sweep_summary

    for name, function in (
        ("sweep", sweep),
        ("compare", compare),
        ("sweep-summary", sweep_summary),
    ):
        if name not in {c.name for c in app.registered_commands}:
            app.command(name)(function)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the console script; maps millnet errors to exit codes."""
    _register()
    try:
        app(args=list(argv) if argv is not None else None, prog_name="millnet")
    except MillnetError as exc:
        err_console.print(f"[bold red]error:[/] {escape(exc.message)}", soft_wrap=True)
        sys.exit(exc.exit_code)
