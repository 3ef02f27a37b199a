"""Incident exports: per-report HTML/PDF, the report-once package, STIX 2.1 and MISP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from medtrust.domain.tenancy import Principal
from medtrust.incidents.exports.base import ExportInput, Tlp
from medtrust.incidents.exports.registry import get_export
from medtrust.incidents.report_document import all_reports
from medtrust.incidents.report_templates import load_templates
from medtrust.services.context import ServiceContext
from medtrust.services.incidents import get_workspace, timeline
from medtrust.storage.base import utcnow


@dataclass(frozen=True, slots=True)
class Rendered:
    """Export bytes with media type and a suggested file name."""

    content: bytes
    media_type: str
    filename: str


def export_incident(
    ctx: ServiceContext,
    principal: Principal,
    incident_id: int,
    *,
    fmt: str,
    key: str | None = None,
    tlp: Tlp = Tlp.AMBER,
    now: datetime | None = None,
) -> Rendered:
    """Render the incident (or one report of it) in an export format."""
    export = get_export(fmt)
    moment = now or utcnow()
    ws = get_workspace(ctx, principal, incident_id, now=moment)
    log = timeline(ctx, principal, incident_id)
    org = principal.organisation.name
    data = ExportInput(
        workspace=ws,
        reports=all_reports(ws, templates=load_templates(), organisation_name=org, log=log),
        organisation_name=org,
        log=log,
        generated_at=moment,
        tlp=tlp,
    )
    content = export.render(data, key)
    part = (
        f"-{data.report(key).regime.lower()}-{data.report(key).stage}" if export.per_report else ""
    )
    return Rendered(content, export.media_type, f"incident-{incident_id}{part}{export.suffix}")
