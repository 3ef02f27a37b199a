"""Writer registry: stable names (the CLI's ``--to`` choices) mapped to writer factories."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from medtrust.catalog.mds2 import Mds2Catalogue, load_mds2_catalogue
from medtrust.domain.mds2 import Mds2Form
from medtrust.errors import UnsupportedFormatError
from medtrust.mds2.writers.base import Mds2Writer
from medtrust.mds2.writers.html_print import HtmlPrintWriter
from medtrust.mds2.writers.json_document import JsonDocumentWriter
from medtrust.mds2.writers.pdf_print import PdfPrintWriter
from medtrust.mds2.writers.xlsx_form import XlsxFormWriter

#: registry key -> factory; keys are lowercase and stable (CLI choices, API ``?format=``)
WRITERS: Mapping[str, Callable[[], Mds2Writer]] = MappingProxyType(
    {
        "json": JsonDocumentWriter,
        "xlsx": XlsxFormWriter,
        "html": HtmlPrintWriter,
        "pdf": PdfPrintWriter,
    }
)


def writer_names() -> tuple[str, ...]:
    """Registry keys in a stable (sorted) order."""
    return tuple(sorted(WRITERS))


def get_writer(name: str) -> Mds2Writer:
    """Build the writer registered under ``name``.

    Raises:
        UnsupportedFormatError: when no writer has that name.
    """
    factory = WRITERS.get(name)
    if factory is None:
        known = ", ".join(writer_names())
        raise UnsupportedFormatError(f"unknown MDS2 output format {name!r} (known: {known})")
    return factory()


def write_mds2(form: Mds2Form, to: str, *, catalogue: Mds2Catalogue | None = None) -> bytes:
    """Write ``form`` in the format named ``to`` (default catalogue: the packaged HN 1-2019)."""
    return get_writer(to).write(form, catalogue=catalogue or load_mds2_catalogue())
