"""xlsx exports, read with python-calamine after the container safety checks.

Calamine returns the values a spreadsheet program stored; formulas are never evaluated, and a
cell whose text starts with ``=`` stays text.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

from python_calamine import CalamineWorkbook

from medtrust.errors import InputTooLargeError, Mds2Error
from medtrust.inventory.errors import InventoryInputError
from medtrust.inventory.importers.base import (
    HEADER_SEARCH_ROWS,
    Cells,
    Table,
    TableInfo,
    find_header_row,
    unique_headers,
)
from medtrust.mds2.readers.base import one_line
from medtrust.mds2.readers.limits import OLE2_MAGIC, ZIP_MAGIC, ReadLimits, check_xlsx_container
from medtrust.mds2.readers.nema_xlsx import cell_text


def _cells(row: Sequence[Any]) -> Cells:
    return [cell_text(v) for v in row]


class XlsxInventoryReader:
    """The first worksheet with a recognisable header (or the first non-empty one)."""

    name = "xlsx"

    def __init__(self, limits: ReadLimits | None = None) -> None:
        self._limits = limits or ReadLimits(max_sheet_cells=50_000_000)

    def sniff(self, head: bytes, filename: str | None) -> bool:
        """Zip (xlsx) or OLE2 (legacy xls / encrypted) magic."""
        return head.startswith(ZIP_MAGIC) or head.startswith(OLE2_MAGIC)

    def read(self, data: bytes, *, filename: str | None) -> Table:
        """Check the container, pick the sheet, find the header row."""
        name = filename or "input"
        try:
            check_xlsx_container(data, name=name, limits=self._limits)
        except InputTooLargeError:
            raise
        except Mds2Error as exc:
            raise InventoryInputError(exc.message) from exc
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            chosen = None
            for sheet_name in workbook.sheet_names:
                sheet = workbook.get_sheet_by_name(sheet_name)
                rows = iter(sheet.iter_rows())
                head = [_cells(r) for _, r in zip(range(HEADER_SEARCH_ROWS), rows, strict=False)]
                if not any(any(c for c in cells) for cells in head):
                    continue
                index = find_header_row(head)
                filled = sum(1 for c in head[index] if c)
                if chosen is None or filled > chosen[3]:
                    chosen = (sheet_name, head, index, filled, rows)
                if filled >= 2:
                    break
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # calamine raises its own types and pyo3 panics
            raise InventoryInputError(f"{name}: cannot read the workbook: {one_line(exc)}") from exc
        if chosen is None:
            raise InventoryInputError(f"{name}: every worksheet is empty")
        sheet_name, head, index, _filled, rest = chosen
        numbered = _number(head, rest, start=index + 1)
        info = TableInfo(format=self.name, sheet=sheet_name, header_row=index + 1)
        return Table(info, unique_headers(head[index]), numbered)


def _number(head: list[Cells], rest: Iterator[Any], *, start: int) -> Iterator[tuple[int, Cells]]:
    number = start
    for cells in head[start:]:
        number += 1
        if any(cells):
            yield number, cells
    for row in rest:
        number += 1
        cells = _cells(row)
        if any(cells):
            yield number, cells
