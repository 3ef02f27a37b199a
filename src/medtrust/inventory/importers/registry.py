"""Inventory readers by stable name, and picking one for a file."""

from __future__ import annotations

from collections.abc import Callable

from medtrust.inventory.errors import InventoryInputError
from medtrust.inventory.importers.base import InventoryReader, Table
from medtrust.inventory.importers.csv_reader import CsvInventoryReader
from medtrust.inventory.importers.xlsx_reader import XlsxInventoryReader

READERS: dict[str, Callable[[], InventoryReader]] = {
    "csv": CsvInventoryReader,
    "xlsx": XlsxInventoryReader,
}


def read_table(data: bytes, *, filename: str | None, format: str | None = None) -> Table:
    """Read an export with the named reader, or the first whose sniff accepts it."""
    if format is not None:
        if format not in READERS:
            raise InventoryInputError(
                f"unknown inventory format {format!r}; use one of {', '.join(sorted(READERS))}"
            )
        return READERS[format]().read(data, filename=filename)
    if not data:
        raise InventoryInputError(f"{filename or 'input'}: the file is empty")
    head = data[:8]
    if (filename or "").lower().endswith((".xlsx", ".xlsm")) or head.startswith(b"PK"):
        return XlsxInventoryReader().read(data, filename=filename)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return XlsxInventoryReader().read(data, filename=filename)
    return CsvInventoryReader().read(data, filename=filename)
