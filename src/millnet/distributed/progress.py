"""The sweep's progress on stderr: runs done of total, failures, elapsed time and ETA.

Failures are printed above the bar as they happen (which scenario, why), so a long sweep tells
its problems while it runs instead of at the end.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class SweepProgress:
    """A progress bar over ``total`` runs (``show=False``: silent, for ``--json`` callers that
    want nothing but their document, and for tests)."""

    def __init__(self, total: int, *, show: bool = True, console: Console | None = None) -> None:
        self.total = total
        self.failed = 0
        self.skipped = 0
        self.console = console or Console(stderr=True, highlight=False)
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        if show:
            self._progress = Progress(
                TextColumn("sweep"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[failures]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
                transient=False,
            )

    def __enter__(self) -> SweepProgress:
        if self._progress is not None:
            self._progress.start()
            self._task = self._progress.add_task("sweep", total=self.total, failures="")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def _advance(self) -> None:
        if self._progress is None or self._task is None:
            return
        failures = f"[red]{self.failed} failed[/]" if self.failed else ""
        if self.skipped:
            failures = f"{failures} {self.skipped} skipped".strip()
        self._progress.update(self._task, advance=1, failures=failures)

    def done(self, name: str, message: str = "") -> None:
        if message and self._progress is not None:
            self.console.print(f"  {escape(name)}: {escape(message)}", soft_wrap=True)
        self._advance()

    def skip(self, name: str) -> None:
        self.skipped += 1
        self._advance()

    def fail(self, name: str, message: str) -> None:
        self.failed += 1
        if self._progress is not None:
            self.console.print(
                f"[red]failed:[/] scenario {escape(name)}: {escape(message)}", soft_wrap=True
            )
        self._advance()
