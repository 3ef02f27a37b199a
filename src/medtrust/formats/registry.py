"""Output formats of ``medtrust scan`` by stable name (CLI ``--format``, later API ``?format=``)."""

from __future__ import annotations

from collections.abc import Callable

from medtrust.errors import UnsupportedFormatError
from medtrust.formats.base import ScanFormat
from medtrust.formats.csaf_vex import CsafVexFormat
from medtrust.formats.cyclonedx_vex import CycloneDxVexFormat
from medtrust.formats.sarif import SarifFormat
from medtrust.formats.scan_json import JsonFormat
from medtrust.formats.scan_table import TableFormat

FORMATS: dict[str, Callable[[], ScanFormat]] = {
    "table": TableFormat,
    "json": JsonFormat,
    "cyclonedx-vex": CycloneDxVexFormat,
    "csaf-vex": CsafVexFormat,
    "sarif": SarifFormat,
}


def format_names() -> tuple[str, ...]:
    """Registered names, in registry order (table first: the default)."""
    return tuple(FORMATS)


def get_format(name: str) -> ScanFormat:
    """The format registered under ``name``."""
    try:
        return FORMATS[name]()
    except KeyError:
        known = ", ".join(FORMATS)
        raise UnsupportedFormatError(f"unknown output format {name!r} (known: {known})") from None
