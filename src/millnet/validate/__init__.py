"""Validation: every problem of a case as an issue naming file, row and column."""

from __future__ import annotations

from millnet.case.model import Case
from millnet.issues import Issue, cap_issues
from millnet.validate.columns import column_checks, foreign_key_checks
from millnet.validate.report import ValidationReport
from millnet.validate.rules import RULES


def validate(case: Case) -> ValidationReport:
    """Check ``case`` against the declarations and every rule; never raises on bad content."""
    found: list[Issue] = list(case.read_issues)
    found.extend(column_checks(case))
    found.extend(foreign_key_checks(case))
    for check in RULES.values():
        found.extend(check(case))
    return ValidationReport(
        case_name=case.name,
        fingerprint=case.fingerprint if case.meta is not None else None,
        issues=tuple(cap_issues(found)),
    )


__all__ = ["RULES", "ValidationReport", "validate"]
