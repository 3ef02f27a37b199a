"""Per-row findings of an import: every rejected row says why, every warning says where."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class IssueSeverity(StrEnum):
    """An error rejects the row; a warning keeps it."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class RowIssue:
    """One finding on one row (``row`` counts file rows, the header being row 1)."""

    row: int
    severity: IssueSeverity
    code: str
    message: str
    column: str | None = None
    field: str | None = None

    @property
    def sort_key(self) -> tuple[int, int, str, str]:
        """Row order, errors before warnings, then code and column."""
        return (
            self.row,
            0 if self.severity is IssueSeverity.ERROR else 1,
            self.code,
            self.column or "",
        )


def error(
    row: int, code: str, message: str, *, column: str | None = None, field: str | None = None
) -> RowIssue:
    """An issue that rejects the row."""
    return RowIssue(row, IssueSeverity.ERROR, code, message, column, field)


def warning(
    row: int, code: str, message: str, *, column: str | None = None, field: str | None = None
) -> RowIssue:
    """An issue that keeps the row."""
    return RowIssue(row, IssueSeverity.WARNING, code, message, column, field)
