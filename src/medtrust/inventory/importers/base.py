"""What every inventory reader produces: a header and numbered rows of text cells."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from medtrust.inventory.fields import header_key
from medtrust.inventory.mapping import MIN_SCORE, guess_mapping

#: rows searched for the header (exports often start with a title or a date line)
HEADER_SEARCH_ROWS = 20
Cells = list[str | None]


@dataclass(frozen=True, slots=True)
class TableInfo:
    """How the file was read, for the import report."""

    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    """A read table: unique headers and an iterator of ``(row number, cells)``."""

    info: TableInfo
    headers: tuple[str, ...]
    rows: Iterator[tuple[int, Cells]]


class InventoryReader(Protocol):
    """Reads a CMMS/asset-management export into a :class:`Table`."""

    name: str

    def sniff(self, head: bytes, filename: str | None) -> bool:
        """Whether this reader recognises the first bytes (and file name)."""
        ...

    def read(self, data: bytes, *, filename: str | None) -> Table:
        """Read the table; raise :class:`InventoryInputError` when it is not one."""
        ...


def unique_headers(cells: Sequence[str | None]) -> tuple[str, ...]:
    """Header texts made unique and non-empty: ``Location``, ``Location (2)``, ``Column 5``."""
    seen: dict[str, int] = {}
    out = []
    for index, cell in enumerate(cells):
        text = " ".join((cell or "").split()) or f"Column {index + 1}"
        key = header_key(text)
        seen[key] = seen.get(key, 0) + 1
        out.append(text if seen[key] == 1 else f"{text} ({seen[key]})")
    return tuple(out)


def find_header_row(first_rows: Sequence[Cells]) -> int:
    """Index of the row among the first ones that looks most like a header.

    The header is the row whose cells map to the most asset fields; without any such row, the
    first row with at least two filled cells.
    """
    best, best_count = -1, 0
    for index, cells in enumerate(first_rows[:HEADER_SEARCH_ROWS]):
        _mapping, guesses = guess_mapping([c or "" for c in cells], fuzzy=False)
        count = sum(1 for g in guesses if g.field is not None and g.score >= MIN_SCORE)
        if count > best_count:
            best, best_count = index, count
    if best >= 0 and best_count >= 2:
        return best
    for index, cells in enumerate(first_rows):
        if sum(1 for c in cells if c and c.strip()) >= 2:
            return index
    return 0
