"""CSV (and other delimited text) exports: delimiter and encoding detected, header found."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import chain, islice

from medtrust.inventory.errors import InventoryInputError
from medtrust.inventory.importers.base import (
    HEADER_SEARCH_ROWS,
    Cells,
    Table,
    TableInfo,
    find_header_row,
    unique_headers,
)
from medtrust.inventory.importers.encoding import decode_export

DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_LINES = 50
#: largest accepted cell (the csv module's default is 128 KiB)
_MAX_FIELD = 1024 * 1024


def sniff_delimiter(text: str) -> str:
    """The delimiter giving the most lines with the same (more than one) number of cells."""
    sample = text[: 256 * 1024].split("\n")[:_SAMPLE_LINES]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(r)]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        score = (counts.count(mode) if mode > 1 else 0, mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class CsvInventoryReader:
    """Delimited text exports (``,`` ``;`` tab ``|``) in UTF-8/16 (BOM or not) or cp1252."""

    name = "csv"

    def sniff(self, head: bytes, filename: str | None) -> bool:
        """Anything that is not a zip or OLE2 container is tried as text."""
        return not head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))

    def read(self, data: bytes, *, filename: str | None) -> Table:
        """Decode, detect the delimiter, find the header row, and stream the rest."""
        name = filename or "input"
        decoded = decode_export(data, name=name)
        if not decoded.text.strip():
            raise InventoryInputError(f"{name}: the file is empty")
        delimiter = sniff_delimiter(decoded.text)
        csv.field_size_limit(_MAX_FIELD)
        reader = csv.reader(io.StringIO(decoded.text, newline=""), delimiter=delimiter)
        rows = _numbered(reader, name)
        head = list(islice(rows, HEADER_SEARCH_ROWS))
        if not head:
            raise InventoryInputError(f"{name}: the file has no rows")
        index = find_header_row([cells for _, cells in head])
        header_line, header_cells = head[index]
        info = TableInfo(
            format=self.name,
            encoding=decoded.encoding,
            delimiter=delimiter,
            header_row=header_line,
            notes=decoded.notes,
        )
        return Table(info, unique_headers(header_cells), chain(head[index + 1 :], rows))


def _numbered(reader: Iterator[list[str]], name: str) -> Iterator[tuple[int, Cells]]:
    line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            where = getattr(reader, "line_num", line)
            raise InventoryInputError(f"{name}: line {where}: unreadable CSV ({exc})") from exc
        line = getattr(reader, "line_num", line + 1)
        if any(c.strip() for c in cells):
            yield line, [c if c.strip() else None for c in cells]
