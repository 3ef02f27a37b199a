"""Incident pages: list and open, detail (clocks, timeline, decisions, evidence), draft editor.

Every form posts with the session's CSRF token; every change goes through the incident services,
which log it in the incident's hash chain and the audit trail.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medtrust.domain.tenancy import OrgKind, Principal
from medtrust.errors import InputError
from medtrust.incidents.chain import canonical_json
from medtrust.incidents.drafts import YES_NO
from medtrust.incidents.facts_doc import decision_patch, read_document
from medtrust.incidents.report_template_file import FieldKind
from medtrust.incidents.status_view import entry_summary
from medtrust.incidents.workspace import Workspace
from medtrust.services import incidents as svc
from medtrust.services.incident_exports import export_incident
from medtrust.web.rendering import render
from medtrust.web.security import PagePrincipal, check_csrf, page_context

router = APIRouter(include_in_schema=False)
RISKS = ("none", "unlikely", "risk", "high")


Csrf = Annotated[str, Form()]


def _back(incident_id: int, anchor: str = "", **flags: str) -> RedirectResponse:
    query = "&".join(f"{k}={quote(v)}" for k, v in flags.items())
    target = f"/incidents/{incident_id}" + (f"?{query}" if query else "") + anchor
    return RedirectResponse(target, status_code=303)


def starter_facts(principal: Principal, now: datetime) -> str:
    """A facts document to start from (the organisation's role guessed from its kind)."""
    role = "manufacturer" if principal.organisation.kind is OrgKind.MANUFACTURER else None
    aware = now.astimezone(UTC).replace(second=0, microsecond=0).isoformat()
    return (
        f"organisation: {{role: {role or 'healthcare_provider'}, country: DE, nis2: essential, "
        "timezone: Europe/Berlin}\n"
        f"incident: {{aware_at: '{aware}', significant: false, suspected_malicious: false, "
        "cross_border: false, ongoing: false}\n"
        "# personal_data_breach: {aware_at: '...', risk: high}\n"
        "# devices:\n"
        "#   - {name: Infusion pump, regulation: MDR, aware_at: '...', serious_incident: true}\n"
    )


def local_moment(text: str, zone_name: str | None) -> datetime | None:
    """A form time: ISO 8601 with zone, or a browser local time read in the organisation's zone."""
    value = text.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"not a date and time: {value!r}") from exc
    if moment.tzinfo is None:
        try:
            zone = ZoneInfo(zone_name) if zone_name else UTC
        except (ZoneInfoNotFoundError, ValueError):
            zone = UTC
        moment = moment.replace(tzinfo=zone)
    return moment


def _zone(ws: Workspace) -> str | None:
    org = ws.record.facts.get("organisation", {})
    return org.get("timezone") if isinstance(org, dict) else None


@router.get("/incidents", response_class=HTMLResponse)
def incidents_page(request: Request, principal: PagePrincipal) -> Response:
    """The organisation's incidents and the form to open one."""
    now = datetime.now(UTC)
    items = svc.list_incidents(page_context(request), principal, now=now)
    return render(
        request,
        "incidents.html",
        {"items": items, "starter": starter_facts(principal, now), "title_value": ""},
    )


@router.post("/incidents", response_class=HTMLResponse)
def open_incident(
    request: Request,
    principal: PagePrincipal,
    title: Annotated[str, Form()],
    facts: Annotated[str, Form()],
    csrf_token: Csrf = "",
) -> Response:
    """Open an incident and show it."""
    check_csrf(request, csrf_token)
    incident_id = svc.open_incident(page_context(request), principal, title=title, facts=facts)
    return _back(incident_id, opened="1")


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(
    request: Request, principal: PagePrincipal, incident_id: int, done: str = "", opened: str = ""
) -> Response:
    """Clocks by urgency, actions per report, decisions, evidence, exports and the timeline."""
    ctx = page_context(request)
    ws = svc.get_workspace(ctx, principal, incident_id)
    log = svc.timeline(ctx, principal, incident_id)
    facts = ws.facts
    breach = facts.personal_data_breach
    return render(
        request,
        "incident.html",
        {
            "ws": ws,
            "incident": facts.incident,
            "risk": breach.risk.value if breach else "none",
            "risks": RISKS,
            "timeline": [(e, entry_summary(e)) for e in reversed(log)],
            "verification": svc.verify_incident(ctx, principal, incident_id),
            "facts_yaml": canonical_json(dict(ws.record.facts)),
            "done": done,
            "opened": bool(opened),
        },
    )


@router.post("/incidents/{incident_id}/decision")
def record_decision(
    request: Request,
    principal: PagePrincipal,
    incident_id: int,
    grounds: Annotated[str, Form()],
    significant: Annotated[str, Form()] = "no",
    suspected_malicious: Annotated[str, Form()] = "no",
    cross_border: Annotated[str, Form()] = "no",
    personal_data: Annotated[str, Form()] = "none",
    csrf_token: Csrf = "",
) -> Response:
    """Record who decided what about significance and personal data, and why."""
    check_csrf(request, csrf_token)
    if personal_data not in RISKS:
        raise InputError(f"personal data risk must be one of {', '.join(RISKS)}")
    ctx = page_context(request)
    ws = svc.get_workspace(ctx, principal, incident_id)
    patch = decision_patch(
        ws.record.facts,
        significant=significant == "yes",
        suspected_malicious=suspected_malicious == "yes",
        cross_border=cross_border == "yes",
        breach_risk=None if personal_data == "none" else personal_data,
        breach_aware_at=datetime.now(UTC),
    )
    if not patch:
        return _back(incident_id, "#decision", done="nothing changed")
    svc.record_facts(ctx, principal, incident_id, patch=patch, grounds=grounds, decision=True)
    return _back(incident_id, "#clocks", done="decision recorded")


@router.post("/incidents/{incident_id}/facts")
def record_facts(
    request: Request,
    principal: PagePrincipal,
    incident_id: int,
    patch: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
    csrf_token: Csrf = "",
) -> Response:
    """Apply a merge patch (YAML or JSON) to the facts."""
    check_csrf(request, csrf_token)
    document = read_document(patch, source="patch")
    svc.record_facts(page_context(request), principal, incident_id, patch=document, grounds=note)
    return _back(incident_id, "#clocks", done="facts recorded")


@router.post("/incidents/{incident_id}/submission")
def record_submission(
    request: Request,
    principal: PagePrincipal,
    incident_id: int,
    key: Annotated[str, Form()],
    at: Annotated[str, Form()] = "",
    reference: Annotated[str, Form()] = "",
    csrf_token: Csrf = "",
) -> Response:
    """Mark a report submitted."""
    check_csrf(request, csrf_token)
    ctx = page_context(request)
    zone = _zone(svc.get_workspace(ctx, principal, incident_id))
    svc.record_submission(
        ctx, principal, incident_id, key=key, at=local_moment(at, zone), reference=reference
    )
    return _back(incident_id, "#clocks", done="submission recorded")


@router.post("/incidents/{incident_id}/acknowledgement")
def record_acknowledgement(
    request: Request,
    principal: PagePrincipal,
    incident_id: int,
    key: Annotated[str, Form()],
    reference: Annotated[str, Form()] = "",
    csrf_token: Csrf = "",
) -> Response:
    """Mark a submitted report acknowledged by its recipient."""
    check_csrf(request, csrf_token)
    svc.record_acknowledgement(
        page_context(request), principal, incident_id, key=key, reference=reference
    )
    return _back(incident_id, "#clocks", done="acknowledgement recorded")


@router.post("/incidents/{incident_id}/applicability")
def set_applicability(
    request: Request,
    principal: PagePrincipal,
    incident_id: int,
    key: Annotated[str, Form()],
    applicable: Annotated[str, Form()],
    grounds: Annotated[str, Form()] = "",
    csrf_token: Csrf = "",
) -> Response:
    """Mark a report not applicable (with grounds) or applicable again."""
    check_csrf(request, csrf_token)
    svc.set_applicability(
        page_context(request),
        principal,
        incident_id,
        key=key,
        applicable=applicable == "yes",
        grounds=grounds,
    )
    return _back(incident_id, "#clocks", done="applicability recorded")


@router.post("/incidents/{incident_id}/note")
def add_note(
    request: Request,
    principal: PagePrincipal,
    incident_id: int,
    text: Annotated[str, Form()],
    csrf_token: Csrf = "",
) -> Response:
    """Add a note to the timeline."""
    check_csrf(request, csrf_token)
    svc.add_note(page_context(request), principal, incident_id, text=text)
    return _back(incident_id, "#timeline", done="note added")


@router.post("/incidents/{incident_id}/evidence")
async def add_evidence(
    request: Request,
    principal: PagePrincipal,
    incident_id: int,
    file: Annotated[UploadFile | None, File()] = None,
    url: Annotated[str, Form()] = "",
    key: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    csrf_token: Csrf = "",
) -> Response:
    """Attach a file or a link."""
    check_csrf(request, csrf_token)
    has_file = file is not None and bool(file.filename)
    data = await file.read() if file is not None and has_file else None
    svc.add_evidence(
        page_context(request),
        principal,
        incident_id,
        key=key or None,
        filename=file.filename if file is not None and has_file else None,
        data=data,
        media_type=file.content_type if file is not None and has_file else None,
        url=None if has_file else (url or None),
        note=note,
    )
    return _back(incident_id, "#evidence", done="evidence attached")


@router.get("/incidents/{incident_id}/evidence/{evidence_id}")
def evidence_download(
    request: Request, principal: PagePrincipal, incident_id: int, evidence_id: int
) -> Response:
    """Download an attached file (never rendered inline)."""
    item, content = svc.get_evidence(page_context(request), principal, incident_id, evidence_id)
    if content is None:
        return RedirectResponse(item.url or f"/incidents/{incident_id}", status_code=303)
    return Response(
        content,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="evidence-{item.id}"'},
    )


@router.get("/incidents/{incident_id}/report", response_class=HTMLResponse)
def report_page(
    request: Request,
    principal: PagePrincipal,
    incident_id: int,
    key: Annotated[str, Query()],
    saved: str = "",
) -> Response:
    """The draft editor of one report, pre-filled from the incident record."""
    report = svc.get_report(page_context(request), principal, incident_id, key)
    return render(
        request,
        "incident_report.html",
        {
            "incident_id": incident_id,
            "report": report,
            "fields": list(zip(report.template.fields, report.lines, strict=True)),
            "kinds": FieldKind,
            "yes_no": YES_NO,
            "key_q": quote(key, safe=""),
            "saved": bool(saved),
        },
    )


@router.post("/incidents/{incident_id}/report")
async def save_report(request: Request, principal: PagePrincipal, incident_id: int) -> Response:
    """Save the draft fields (named ``f_<field>``; codes come as repeated values)."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    key = str(form.get("key", ""))
    report = svc.get_report(page_context(request), principal, incident_id, key)
    values: dict[str, str | list[str] | None] = {}
    for field in report.template.fields:
        name = f"f_{field.key}"
        if field.kind is FieldKind.CODES:
            values[field.key] = [str(v) for v in form.getlist(name)]
        elif name in form:
            values[field.key] = str(form.get(name, ""))
    svc.save_draft(page_context(request), principal, incident_id, key=key, values=values)
    return RedirectResponse(
        f"/incidents/{incident_id}/report?key={quote(key, safe='')}&saved=1", status_code=303
    )


@router.get("/incidents/{incident_id}/export/{fmt}")
def export(
    request: Request,
    principal: PagePrincipal,
    incident_id: int,
    fmt: str,
    key: str | None = None,
) -> Response:
    """Download an export (report HTML opens inline)."""
    out = export_incident(page_context(request), principal, incident_id, fmt=fmt, key=key)
    disposition = "inline" if fmt == "report-html" else "attachment"
    return Response(
        out.content,
        media_type=out.media_type,
        headers={"Content-Disposition": f'{disposition}; filename="{out.filename}"'},
    )
