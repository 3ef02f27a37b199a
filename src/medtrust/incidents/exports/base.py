"""What every incident export reads, and the export Protocol."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from medtrust.errors import InputError
from medtrust.incidents.chain import LogRecord
from medtrust.incidents.report_document import ReportDocument
from medtrust.incidents.workspace import Workspace


class ExportError(InputError):
    """An export cannot be produced from the given request (unknown format, missing report)."""

    code = "incident-export-invalid"


class Tlp(StrEnum):
    """Traffic Light Protocol label for sharing exports (FIRST TLP 2.0 names)."""

    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True, slots=True)
class ExportInput:
    """An incident's workspace with every report, its log and who exports it."""

    workspace: Workspace
    reports: tuple[ReportDocument, ...]
    organisation_name: str
    log: Sequence[LogRecord]
    generated_at: datetime
    tlp: Tlp = Tlp.AMBER

    @property
    def head_hash(self) -> str | None:
        """Hash of the newest log entry (lets a recipient check the log later)."""
        return self.log[-1].hash if self.log else None

    def report(self, key: str | None) -> ReportDocument:
        """The report with ``key``; formats that export one report require it."""
        if not key:
            raise ExportError("this format exports one report: give the report key")
        for report in self.reports:
            if report.key == key:
                return report
        raise ExportError(f"no report {key!r} in this incident")


class IncidentExport(Protocol):
    """An output format of the incident workspace."""

    name: str
    media_type: str
    suffix: str
    per_report: bool

    def render(self, data: ExportInput, key: str | None = None) -> bytes:
        """The export as bytes (``key`` selects the report for per-report formats)."""
        ...
