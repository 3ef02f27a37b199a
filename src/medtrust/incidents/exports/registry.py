"""Export registry: stable names (CLI choices, API ``?format=`` values) to exports."""

from __future__ import annotations

from collections.abc import Callable

from medtrust.incidents.exports.base import ExportError, IncidentExport
from medtrust.incidents.exports.html_report import HtmlReportExport
from medtrust.incidents.exports.misp_event import MispEventExport
from medtrust.incidents.exports.pdf_report import PdfReportExport
from medtrust.incidents.exports.report_once import ReportOnceExport
from medtrust.incidents.exports.stix_bundle import StixBundleExport

EXPORTS: dict[str, Callable[[], IncidentExport]] = {
    "misp": MispEventExport,
    "report-html": HtmlReportExport,
    "report-once": ReportOnceExport,
    "report-pdf": PdfReportExport,
    "stix": StixBundleExport,
}


def get_export(name: str) -> IncidentExport:
    """The export called ``name``."""
    factory = EXPORTS.get(name)
    if factory is None:
        raise ExportError(
            f"unknown export format {name!r}; use one of {', '.join(sorted(EXPORTS))}"
        )
    return factory()
