"""Registry of MDS2 readers, format detection and the ``read_mds2`` entry points."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from medtrust.catalog.mds2 import Mds2Catalogue, load_mds2_catalogue
from medtrust.domain.mds2 import Mds2Form
from medtrust.errors import Mds2Error, UnsupportedFormatError
from medtrust.mds2.readers.base import Mds2Reader, display_name
from medtrust.mds2.readers.csv import CsvReader
from medtrust.mds2.readers.encoding import decode_text
from medtrust.mds2.readers.json import JsonReader
from medtrust.mds2.readers.limits import ReadLimits, check_size
from medtrust.mds2.readers.nema_xlsx import NemaXlsxReader
from medtrust.mds2.readers.text import TextReader

#: registry key -> factory, in detection order (most specific first; text accepts any text)
READERS: Mapping[str, Callable[[], Mds2Reader]] = MappingProxyType(
    {
        "nema-xlsx": NemaXlsxReader,
        "json": JsonReader,
        "csv": CsvReader,
        "text": TextReader,
    }
)
SNIFF_BYTES = 8192


def detect_format(data: bytes, filename: str | None) -> str:
    """The registry key of the reader for ``data``; content decides, not the file name.

    Raises :class:`UnsupportedFormatError` (one line) for binary data no reader accepts.
    """
    head = data[:SNIFF_BYTES]
    name = display_name(filename)
    if not head.strip():
        raise UnsupportedFormatError(f"{name}: the document is empty")
    for key, factory in READERS.items():
        if factory().sniff(head, filename):
            return key
    try:
        decode_text(head, name=name)
    except Mds2Error as exc:
        raise UnsupportedFormatError(
            f"{name}: unrecognised binary data (not an xlsx workbook, JSON, CSV or text)"
        ) from exc
    raise UnsupportedFormatError(f"{name}: unrecognised document format")


def read_mds2(
    data: bytes,
    *,
    filename: str | None = None,
    format: str | None = None,
    limits: ReadLimits | None = None,
    catalogue: Mds2Catalogue | None = None,
) -> Mds2Form:
    """Read an MDS2 form from bytes, detecting the format unless ``format`` names a reader.

    Raises an :class:`medtrust.errors.InputError` subclass with a one-line message when the
    document cannot be read; per-item problems are in ``form.read_issues``.
    """
    active = limits or ReadLimits()
    check_size(len(data), name=display_name(filename), limits=active)
    key = format or detect_format(data, filename)
    factory = READERS.get(key)
    if factory is None:
        known = ", ".join(READERS)
        raise UnsupportedFormatError(f"unknown MDS2 format {key!r} (known: {known})")
    return factory().read(
        data, filename=filename, catalogue=catalogue or load_mds2_catalogue(), limits=active
    )


def read_mds2_file(
    path: Path,
    *,
    format: str | None = None,
    limits: ReadLimits | None = None,
) -> Mds2Form:
    """Read an MDS2 form from a file, refusing files over the size limit before reading."""
    active = limits or ReadLimits()
    try:
        size = path.stat().st_size
        check_size(size, name=path.name, limits=active)
        with path.open("rb") as stream:
            data = stream.read(active.max_bytes + 1)
    except OSError as exc:
        raise Mds2Error(f"{path.name}: cannot read the file: {exc.strerror or exc}") from exc
    return read_mds2(data, filename=path.name, format=format, limits=active)
