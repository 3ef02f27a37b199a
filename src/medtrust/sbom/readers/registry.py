"""Registry of SBOM readers: stable names, format detection and a one-call read."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from medtrust.domain.component import SbomDocument
from medtrust.sbom.errors import SbomError, SbomFormatError, SbomTooLargeError
from medtrust.sbom.readers.base import SbomReader
from medtrust.sbom.readers.cyclonedx_json import CycloneDxJsonReader
from medtrust.sbom.readers.cyclonedx_xml import CycloneDxXmlReader
from medtrust.sbom.readers.spdx_json import SpdxJsonReader
from medtrust.sbom.readers.spdx_tag_value import SpdxTagValueReader
from medtrust.sbom.readers.spdx_xml import SpdxXmlReader

logger = logging.getLogger(__name__)

#: default largest SBOM file accepted, in bytes (real SBOMs of a few hundred MB exist)
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
HEAD_BYTES = 64 * 1024

READERS: dict[str, Callable[[], SbomReader]] = {
    "cyclonedx-json": CycloneDxJsonReader,
    "cyclonedx-xml": CycloneDxXmlReader,
    "spdx-json": SpdxJsonReader,
    "spdx-tag-value": SpdxTagValueReader,
    "spdx-xml": SpdxXmlReader,
}

# documents we recognise but that are not SBOMs this package reads
_NOT_SBOM: tuple[tuple[re.Pattern[bytes], str], ...] = (
    (re.compile(rb'"@context"\s*:\s*"https://openvex\.dev/'), "an OpenVEX document, not an SBOM"),
    (re.compile(rb'"csaf_version"\s*:'), "a CSAF advisory, not an SBOM"),
    (
        re.compile(rb"<(?:\w+:)?SoftwareIdentity[\s>]"),
        "a SWID tag (ISO/IEC 19770-2), not supported",
    ),
    (
        re.compile(rb'"@context"\s*:\s*"https://spdx\.org/rdf/3'),
        "SPDX 3.0 JSON-LD, not supported yet",
    ),
)


def reader_names() -> list[str]:
    """Registry keys in sorted order."""
    return sorted(READERS)


def get_reader(name: str) -> SbomReader:
    """The reader registered under ``name``."""
    try:
        return READERS[name]()
    except KeyError:
        raise SbomFormatError(
            name, f"unknown SBOM reader; choose one of {', '.join(reader_names())}"
        ) from None


def detect(head: bytes, filename: str) -> SbomReader | None:
    """The first reader (in sorted key order) that claims ``head``, or None."""
    for name in reader_names():
        reader = READERS[name]()
        if reader.detect(head, filename):
            return reader
    return None


def _choose(data: bytes, source: str) -> SbomReader:
    reader = detect(data[:HEAD_BYTES], source)
    if reader is None and len(data) > HEAD_BYTES:
        # JSON members can come in any order: look at the whole input once (a byte search)
        reader = detect(data, source)
    if reader is not None:
        return reader
    for pattern, what in _NOT_SBOM:
        if pattern.search(data[:HEAD_BYTES]):
            raise SbomFormatError(source, f"this is {what}")
    if not data.strip():
        raise SbomError(source, "file is empty")
    raise SbomFormatError(
        source, f"not a recognised SBOM; supported formats: {', '.join(reader_names())}"
    )


def read_sbom_bytes(
    data: bytes,
    *,
    source: str,
    reader: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SbomDocument:
    """Read an SBOM held in memory; raise :class:`SbomError` (one line) if it is unreadable."""
    if len(data) > max_bytes:
        raise SbomTooLargeError(
            source, f"{len(data)} bytes is more than the limit of {max_bytes} bytes"
        )
    chosen = get_reader(reader) if reader else _choose(data, source)
    try:
        return chosen.read(data, source)
    except SbomError:
        raise
    except MemoryError:
        raise SbomTooLargeError(source, "not enough memory to read the file") from None
    except Exception as exc:  # any library or mapping failure becomes a one-line input error
        logger.debug("reader %s failed on %s", chosen.name, source, exc_info=True)
        raise SbomError(
            source, f"{chosen.name} reader failed: {type(exc).__name__}: {exc}"
        ) from exc


def read_sbom(
    path: Path, *, reader: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> SbomDocument:
    """Read an SBOM file, refusing files larger than ``max_bytes`` before reading them."""
    source = path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SbomTooLargeError(
                source, f"{size} bytes is more than the limit of {max_bytes} bytes"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the size may change, or be unknown (pipes)
    except OSError as exc:
        raise SbomError(source, f"cannot read file: {exc.strerror or exc}") from None
    return read_sbom_bytes(data, source=source, reader=reader, max_bytes=max_bytes)
