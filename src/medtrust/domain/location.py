"""Where in an input something was found."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LocationKind(StrEnum):
    """How a location is addressed."""

    CELL = "cell"  # spreadsheet cell, e.g. C24
    LINE = "line"  # 1-based line number in a text file
    ROW = "row"  # 1-based data row in a CSV file (header is row 1)
    FIELD = "field"  # JSON pointer-ish path, e.g. answers/DOC-1


@dataclass(frozen=True, slots=True)
class Location:
    """A place in an input document."""

    kind: LocationKind
    ref: str

    def __str__(self) -> str:
        return f"{self.kind.value} {self.ref}"
