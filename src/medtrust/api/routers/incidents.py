"""Incident workspace: open, status (clocks by urgency), record, drafts, evidence, export, verify.

Every route is scoped to the caller's organisation: another organisation's incident id answers
404 exactly like an id that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response
from pydantic import AwareDatetime, BaseModel, Field

from medtrust.api.deps import Context, CurrentPrincipal
from medtrust.incidents.exports.base import Tlp
from medtrust.incidents.exports.registry import EXPORTS
from medtrust.incidents.exports.report_once import report_json
from medtrust.incidents.status_view import status_document
from medtrust.services import incidents as svc
from medtrust.services.incident_exports import export_incident

router = APIRouter(tags=["Incidents"])

KeyQuery = Annotated[str, Query(description="Report key, e.g. NIS2:early_warning:incident")]
OptionalKey = Annotated[
    str, Query(description="Report key, e.g. NIS2:early_warning:incident (404 when unknown)")
]
NowQuery = Annotated[AwareDatetime | None, Query(description="Clocks at this time (default: now)")]


class IncidentIn(BaseModel):
    """A new incident: a title and the facts (a facts-file mapping, or its YAML/JSON text)."""

    title: str = Field(min_length=1, max_length=300)
    facts: dict[str, Any] | str


class CreatedOut(BaseModel):
    """Id of what was created."""

    id: int


class IncidentSummaryOut(BaseModel):
    """An incident in the list."""

    id: int
    title: str
    created_at: datetime
    open_reports: int
    overdue_reports: int
    next_due: str | None


class FactsIn(BaseModel):
    """A JSON merge patch of the facts; a decision needs grounds."""

    patch: dict[str, Any] = Field(min_length=1)
    decision: bool = False
    grounds: str | None = None
    decided_at: AwareDatetime | None = None


class SubmissionIn(BaseModel):
    """A report was sent (or acknowledged) at a time, with the recipient's reference."""

    key: str
    at: AwareDatetime | None = None
    reference: str | None = None


class ApplicabilityIn(BaseModel):
    """Mark a report not applicable (grounds required) or applicable again."""

    key: str
    applicable: bool
    grounds: str | None = None


class DraftIn(BaseModel):
    """Edited draft fields (fields not given keep their saved value)."""

    values: dict[str, str | list[str] | None]


class NoteIn(BaseModel):
    """A note for the timeline."""

    text: str = Field(min_length=1)


class LogEntryOut(BaseModel):
    """One entry of the hash-chained log."""

    seq: int
    at: datetime
    actor: str
    kind: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class VerifyOut(BaseModel):
    """Result of verifying the log."""

    ok: bool
    entries: int
    head: str | None
    broken_at: int | None
    reason: str | None
    facts_match: bool
    message: str


@router.get("/incidents", response_model=list[IncidentSummaryOut])
def list_incidents(ctx: Context, principal: CurrentPrincipal) -> list[IncidentSummaryOut]:
    """Incidents of your organisation, newest first."""
    out = []
    for ws in svc.list_incidents(ctx, principal):
        open_items = [i for i in ws.items if i.status.open]
        dated = [i.obligation.due for i in open_items if i.obligation.due is not None]
        out.append(
            IncidentSummaryOut(
                id=ws.record.id,
                title=ws.record.title,
                created_at=ws.record.created_at,
                open_reports=len(open_items),
                overdue_reports=sum(1 for i in open_items if i.overdue),
                next_due=dated[0].isoformat() if dated else None,
            )
        )
    return out


@router.post("/incidents", response_model=CreatedOut, status_code=201)
def open_incident(ctx: Context, principal: CurrentPrincipal, body: IncidentIn) -> CreatedOut:
    """Open an incident from facts (the same document ``medtrust incident plan`` reads)."""
    return CreatedOut(id=svc.open_incident(ctx, principal, title=body.title, facts=body.facts))


@router.get("/incidents/{incident_id}")
def get_incident(
    ctx: Context, principal: CurrentPrincipal, incident_id: int, now: NowQuery = None
) -> dict[str, Any]:
    """Facts, reports ordered by urgency with clocks and statuses, exclusions and notes."""
    return status_document(svc.get_workspace(ctx, principal, incident_id, now=now))


@router.get("/incidents/{incident_id}/timeline", response_model=list[LogEntryOut])
def get_timeline(ctx: Context, principal: CurrentPrincipal, incident_id: int) -> list[LogEntryOut]:
    """The incident's log, oldest first."""
    return [
        LogEntryOut(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            kind=e.kind,
            payload=dict(e.payload),
            prev_hash=e.prev_hash,
            hash=e.hash,
        )
        for e in svc.timeline(ctx, principal, incident_id)
    ]


@router.get("/incidents/{incident_id}/verify", response_model=VerifyOut)
def verify(ctx: Context, principal: CurrentPrincipal, incident_id: int) -> VerifyOut:
    """Recompute the log's hash chain and replay the facts."""
    result = svc.verify_incident(ctx, principal, incident_id)
    broken = result.chain.broken
    return VerifyOut(
        ok=result.ok,
        entries=result.chain.entries,
        head=result.chain.head,
        broken_at=broken.seq if broken else None,
        reason=broken.reason if broken else None,
        facts_match=result.facts_match,
        message=result.describe(),
    )


@router.post("/incidents/{incident_id}/facts")
def record_facts(
    ctx: Context, principal: CurrentPrincipal, incident_id: int, body: FactsIn
) -> dict[str, Any]:
    """Record a fact change or a decision (with grounds); returns the new status."""
    svc.record_facts(
        ctx,
        principal,
        incident_id,
        patch=body.patch,
        grounds=body.grounds,
        decision=body.decision,
        decided_at=body.decided_at,
    )
    return status_document(svc.get_workspace(ctx, principal, incident_id))


@router.post("/incidents/{incident_id}/submissions")
def record_submission(
    ctx: Context, principal: CurrentPrincipal, incident_id: int, body: SubmissionIn
) -> dict[str, Any]:
    """Record that a report was sent."""
    svc.record_submission(
        ctx, principal, incident_id, key=body.key, at=body.at, reference=body.reference
    )
    return status_document(svc.get_workspace(ctx, principal, incident_id))


@router.post("/incidents/{incident_id}/acknowledgements")
def record_acknowledgement(
    ctx: Context, principal: CurrentPrincipal, incident_id: int, body: SubmissionIn
) -> dict[str, Any]:
    """Record that the recipient acknowledged a sent report."""
    svc.record_acknowledgement(
        ctx, principal, incident_id, key=body.key, at=body.at, reference=body.reference
    )
    return status_document(svc.get_workspace(ctx, principal, incident_id))


@router.post("/incidents/{incident_id}/applicability")
def set_applicability(
    ctx: Context, principal: CurrentPrincipal, incident_id: int, body: ApplicabilityIn
) -> dict[str, Any]:
    """Mark a report not applicable (with grounds) or applicable again."""
    svc.set_applicability(
        ctx, principal, incident_id, key=body.key, applicable=body.applicable, grounds=body.grounds
    )
    return status_document(svc.get_workspace(ctx, principal, incident_id))


@router.get("/incidents/{incident_id}/report")
def get_report(
    ctx: Context, principal: CurrentPrincipal, incident_id: int, key: OptionalKey = ""
) -> dict[str, Any]:
    """A report draft: its fields (kind, choices, article) with saved or pre-filled values."""
    return report_json(svc.get_report(ctx, principal, incident_id, key), form=True)


@router.put("/incidents/{incident_id}/report")
def save_report(
    ctx: Context, principal: CurrentPrincipal, incident_id: int, key: KeyQuery, body: DraftIn
) -> dict[str, Any]:
    """Save edited draft fields."""
    report = svc.save_draft(ctx, principal, incident_id, key=key, values=body.values)
    return report_json(report, form=True)


@router.post("/incidents/{incident_id}/notes", status_code=204)
def add_note(ctx: Context, principal: CurrentPrincipal, incident_id: int, body: NoteIn) -> Response:
    """Add a note to the timeline."""
    svc.add_note(ctx, principal, incident_id, text=body.text)
    return Response(status_code=204)


@router.post("/incidents/{incident_id}/evidence", response_model=CreatedOut, status_code=201)
async def add_evidence(
    ctx: Context,
    principal: CurrentPrincipal,
    incident_id: int,
    file: Annotated[UploadFile | None, File(description="A file to attach")] = None,
    url: Annotated[str | None, Form(description="Or a link")] = None,
    key: Annotated[str | None, Form(description="Report key; empty = the incident")] = None,
    note: Annotated[str | None, Form()] = None,
) -> CreatedOut:
    """Attach a file (stored with its SHA-256, size-limited) or a link."""
    data = await file.read() if file is not None else None
    evidence_id = svc.add_evidence(
        ctx,
        principal,
        incident_id,
        key=key or None,
        filename=(file.filename if file is not None else None) or None,
        data=data,
        media_type=file.content_type if file is not None else None,
        url=url or None,
        note=note,
    )
    return CreatedOut(id=evidence_id)


@router.get(
    "/incidents/{incident_id}/evidence/{evidence_id}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def get_evidence(
    ctx: Context, principal: CurrentPrincipal, incident_id: int, evidence_id: int
) -> Response:
    """Download an attached file (a link answers with a redirect to it)."""
    item, content = svc.get_evidence(ctx, principal, incident_id, evidence_id)
    if content is None:
        return Response(status_code=307, headers={"Location": item.url or ""})
    return Response(
        content,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="evidence-{item.id}"',
            "X-Content-SHA256": item.sha256 or "",
        },
    )


@router.get(
    "/incidents/{incident_id}/export",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "application/pdf": {}}}},
)
def export(
    ctx: Context,
    principal: CurrentPrincipal,
    incident_id: int,
    format: Annotated[
        str, Query(description=f"one of {', '.join(sorted(EXPORTS))}")
    ] = "report-once",
    key: Annotated[str | None, Query(description="Report key (report-html/pdf)")] = None,
    tlp: Tlp = Tlp.AMBER,
) -> Response:
    """The report-once package, a STIX 2.1 bundle, a MISP event, or one report as HTML/PDF."""
    out = export_incident(ctx, principal, incident_id, fmt=format, key=key, tlp=tlp)
    return Response(
        out.content,
        media_type=out.media_type,
        headers={"Content-Disposition": f'attachment; filename="{out.filename}"'},
    )
