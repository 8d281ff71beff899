"""The errors millnet raises for user mistakes.

Every error carries the message a user needs (which file, row and column, what was found and
what was expected) and the exit code the CLI maps it to. Anything else that escapes is a bug.
"""

from __future__ import annotations


class MillnetError(Exception):
    """A user-facing error: bad value, bad file, unknown name. CLI exit code 1."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(MillnetError):
    """The command itself was used wrongly (bad option combination). CLI exit code 2."""

    exit_code = 2


class CaseError(MillnetError):
    """A path that does not exist or is not a case millnet can open at all. CLI exit code 2."""

    exit_code = 2


class ValidationError(MillnetError):
    """A case was read but has errors; carries the validation report. CLI exit code 1."""

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report
