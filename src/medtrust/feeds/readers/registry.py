"""Registry of feed readers and content-based format detection.

Detection is by content, not by file name: readers are tried in a fixed order, most specific
markers first (a CSAF document also has a ``vulnerabilities`` array, so CSAF is tried before
NVD; OSV's ``id``/``modified`` markers are the loosest, so OSV comes last).
"""

from __future__ import annotations

import re
from functools import cache

from medtrust.errors import UnsupportedFormatError
from medtrust.feeds.readers.base import FeedReader
from medtrust.feeds.readers.csaf import CsafReader
from medtrust.feeds.readers.cve5 import Cve5Reader
from medtrust.feeds.readers.cyclonedx_vex import CycloneDxVexReader
from medtrust.feeds.readers.epss import EpssReader
from medtrust.feeds.readers.kev import KevReader
from medtrust.feeds.readers.nvd import NvdReader
from medtrust.feeds.readers.nvd_legacy import NvdLegacyReader
from medtrust.feeds.readers.openvex import OpenVexReader
from medtrust.feeds.readers.osv import OsvReader

#: how much of a file detection looks at
HEAD_BYTES = 64 * 1024
_QUICK_HEAD_BYTES = 4 * 1024

_ROLIE = re.compile(rb'\A\s*\{\s*"feed"\s*:\s*\{')
_JSON_SCHEMA = re.compile(rb'"\$schema"\s*:\s*"https?://json-schema\.org/')
_SCHEMA_PROPERTIES = re.compile(rb'"properties"\s*:\s*\{')


@cache
def readers() -> tuple[FeedReader, ...]:
    """Every reader, in detection order."""
    return (
        CsafReader(),
        Cve5Reader(),
        NvdReader(),
        NvdLegacyReader(),
        KevReader(),
        OpenVexReader(),
        CycloneDxVexReader(),
        EpssReader(),
        OsvReader(),
    )


def reader_names() -> tuple[str, ...]:
    """The registry keys, sorted."""
    return tuple(sorted(reader.name for reader in readers()))


def get_reader(name: str) -> FeedReader:
    """The reader registered under ``name``."""
    for reader in readers():
        if reader.name == name:
            return reader
    known = ", ".join(reader_names())
    raise UnsupportedFormatError(f"unknown feed format {name!r} (known: {known})")


def detect_feed(origin: str, head: bytes) -> FeedReader | None:
    """The first reader that recognises ``head`` (the start of the content), if any."""
    # Specific markers are nearly always near the start: try them on a short head first
    # (cheap), then on the long one; the loose OSV fallback only after both.
    *specific, fallback = readers()
    for size in (_QUICK_HEAD_BYTES, HEAD_BYTES):
        window = head[:size]
        for reader in specific:
            if reader.detect(origin, window):
                return reader
        if len(head) <= size:
            break
    if fallback.detect(origin, head):
        return fallback
    return None


def non_record_document(head: bytes) -> str | None:
    """Why a recognisable document holds no records (ROLIE feed, JSON Schema), else ``None``."""
    head = head[:HEAD_BYTES]
    if _ROLIE.search(head):
        return "ROLIE feed (an index of advisories, not an advisory)"
    if _JSON_SCHEMA.search(head) and _SCHEMA_PROPERTIES.search(head):
        return "JSON Schema document"
    return None
