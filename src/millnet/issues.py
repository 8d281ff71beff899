"""Issues found in a case: where (file, table, row, column), what, and how bad.

Rows are numbered as a person sees them in a spreadsheet: the header is row 1, the first data
row is row 2. An issue about a whole file or table has no row; one about a whole column names the
column and no row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

#: At most this many issues of one kind (same table, column and rule) are listed one by one;
#: the rest are summed up in one more issue, so a bad 100 MB column stays readable.
MAX_PER_KIND = 20


@dataclass(frozen=True, slots=True)
class Issue:
    severity: Severity
    table: str | None
    row: int | None
    column: str | None
    message: str
    #: The file as the user knows it: ``plants.csv``, ``case.xlsx[plants]``, ``case.toml``.
    file: str | None = None
    #: A stable rule id, e.g. ``type``, ``range``, ``foreign-key``, ``coverage``.
    rule: str = ""

    def location(self) -> str:
        parts = [self.file or self.table or "case"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def cap_issues(issues: Iterable[Issue], limit: int = MAX_PER_KIND) -> list[Issue]:
    """Keep the first ``limit`` issues of each kind and add one summary issue per kind cut."""
    kept: list[Issue] = []
    seen: Counter[tuple[object, ...]] = Counter()
    first: dict[tuple[object, ...], Issue] = {}
    for issue in issues:
        if issue.row is None:  # file-level issues and counts already summed up pass through
            kept.append(issue)
            continue
        kind = (issue.severity, issue.table, issue.column, issue.rule, issue.file)
        seen[kind] += 1
        if seen[kind] <= limit:
            kept.append(issue)
            first.setdefault(kind, issue)
    for kind, count in seen.items():
        if count > limit:
            sample = first[kind]
            kept.append(
                Issue(
                    severity=sample.severity,
                    table=sample.table,
                    row=None,
                    column=sample.column,
                    message=f"{count - limit:,} more rows with the same problem ({sample.rule})",
                    file=sample.file,
                    rule=sample.rule,
                )
            )
    return kept


def rows_phrase(rows: Sequence[int], limit: int = 10) -> str:
    """``rows 3, 5 and 9`` / ``rows 3, 5, … (40 rows)`` for messages about several rows."""
    shown = [str(r) for r in rows[:limit]]
    if len(rows) == 1:
        return f"row {shown[0]}"
    if len(rows) <= limit:
        return "rows " + ", ".join(shown[:-1]) + " and " + shown[-1]
    return "rows " + ", ".join(shown) + f", … ({len(rows):,} rows)"
