"""The :class:`ValidationReport`: every issue of a case, errors first-class."""

from __future__ import annotations

from dataclasses import dataclass

from millnet.errors import ValidationError
from millnet.issues import Issue


@dataclass(frozen=True)
class ValidationReport:
    case_name: str
    fingerprint: str | None
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when the case has no errors (warnings allowed)."""
        return not self.errors

    def to_json(self) -> list[dict[str, object]]:
        return [i.to_dict() for i in self.issues]

    def raise_for_errors(self) -> None:
        """Raise :class:`ValidationError` naming the first errors when there are any."""
        if self.ok:
            return
        shown = "\n".join(f"  {i}" for i in self.errors[:10])
        more = len(self.errors) - 10
        tail = f"\n  … and {more} more" if more > 0 else ""
        raise ValidationError(
            f"case '{self.case_name}' has {len(self.errors)} error(s):\n{shown}{tail}", self
        )
