"""Gap report formats by name: ``table``, ``json``, ``xlsx``, ``pdf`` (CLI and API ``format``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from medtrust.compliance.assessment import Assessment
from medtrust.compliance.library import Library
from medtrust.compliance.reports.as_json import assessment_json
from medtrust.compliance.reports.as_pdf import assessment_pdf
from medtrust.compliance.reports.as_text import assessment_text
from medtrust.compliance.reports.as_xlsx import assessment_xlsx
from medtrust.errors import UnsupportedFormatError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class ReportFormat:
    """One output format of the gap report."""

    name: str
    media_type: str
    suffix: str
    binary: bool
    render: Callable[[Assessment, Library], bytes]


def _utf8(render: Callable[[Assessment, Library], str]) -> Callable[[Assessment, Library], bytes]:
    return lambda assessment, library: render(assessment, library).encode("utf-8")


REPORT_FORMATS: Mapping[str, ReportFormat] = MappingProxyType(
    {
        "table": ReportFormat(
            "table", "text/plain; charset=utf-8", ".txt", False, _utf8(assessment_text)
        ),
        "json": ReportFormat("json", "application/json", ".json", False, _utf8(assessment_json)),
        "xlsx": ReportFormat("xlsx", XLSX, ".xlsx", True, assessment_xlsx),
        "pdf": ReportFormat("pdf", "application/pdf", ".pdf", True, assessment_pdf),
    }
)


def report_format(name: str) -> ReportFormat:
    """The format called ``name``; unknown names raise :class:`UnsupportedFormatError`."""
    found = REPORT_FORMATS.get(name)
    if found is None:
        known = ", ".join(REPORT_FORMATS)
        raise UnsupportedFormatError(f"unknown report format {name!r} (known: {known})")
    return found
