"""The workspace status: a JSON-ready document and a rich table (clocks ordered by urgency)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from medtrust.incidents.chain import LogRecord
from medtrust.incidents.records import EvidenceItem, LogKind
from medtrust.incidents.render import obligation_document
from medtrust.incidents.report_document import patch_summary
from medtrust.incidents.workspace import ReportItem, Workspace

STATUS_FORMAT_VERSION = 1


def evidence_document(item: EvidenceItem) -> dict[str, Any]:
    """One piece of evidence (metadata only)."""
    return {
        "id": item.id,
        "key": item.obligation_key,
        "kind": item.kind,
        "name": item.name,
        "media_type": item.media_type,
        "size": item.size,
        "sha256": item.sha256,
        "url": item.url,
        "note": item.note,
        "added_at": item.added_at.isoformat(),
        "added_by": item.added_by,
    }


def item_document(item: ReportItem) -> dict[str, Any]:
    """One report of the workspace."""
    state = item.state
    return {
        "key": item.key,
        "status": item.status.value,
        "clock": item.clock,
        "overdue": item.overdue,
        "obligation": obligation_document(item.obligation),
        "draft_saved_at": state.drafted_at.isoformat() if state.drafted_at else None,
        "submission_reference": state.submission_reference,
        "acknowledged_at": state.acknowledged_at.isoformat() if state.acknowledged_at else None,
        "acknowledgement_reference": state.acknowledgement_reference,
        "not_applicable_grounds": state.not_applicable_grounds,
        "evidence": [evidence_document(e) for e in item.evidence],
    }


def status_document(ws: Workspace) -> dict[str, Any]:
    """The workspace as a JSON-ready mapping, reports in urgency order."""
    record = ws.record
    return {
        "format_version": STATUS_FORMAT_VERSION,
        "incident": {
            "id": record.id,
            "title": record.title,
            "created_at": record.created_at.isoformat(),
            "created_by": record.created_by,
            "updated_at": record.updated_at.isoformat(),
        },
        "now": ws.plan.now.isoformat() if ws.plan.now else None,
        "facts": dict(record.facts),
        "reports": [item_document(i) for i in ws.items],
        "notices": [
            {"key": n.key, "device": n.device.name, "status": n.status.value} for n in ws.notices
        ],
        "not_applicable": [
            {"regime": n.regime, "article": n.article, "subject": n.subject, "reason": n.reason}
            for n in ws.not_applicable
        ],
        "no_longer_triggered": [s.key for s in ws.orphans],
        "evidence": [evidence_document(e) for e in ws.evidence if e.obligation_key is None],
        "notes": list(ws.plan.notes),
    }


def print_status(ws: Workspace, console: Console) -> None:
    """The reports as a table, most urgent first."""
    table = Table(title=f"Incident {ws.record.id}: {ws.record.title}", show_lines=True)
    for column in ("Due", "Report", "Status", "Clock", "Key"):
        table.add_column(column)
    for item in ws.items:
        o = item.obligation
        due = o.due.isoformat() if o.due is not None else o.limit
        table.add_row(
            due,
            f"{o.regime} {o.stage.value}\n{o.article}\n{o.subject}",
            item.status.value,
            item.clock,
            item.key,
        )
    console.print(table)
    for notice in ws.notices:
        console.print(f"• notice to the manufacturer of {notice.device.name}: {notice.status}")
    for state in ws.orphans:
        console.print(f"• {state.key}: recorded work, but the facts no longer trigger it")


def entry_summary(entry: LogRecord) -> str:
    """What a log entry recorded, in one line."""
    payload = entry.payload
    kind = entry.kind
    if kind == LogKind.OPENED:
        return f"opened: {payload.get('title', '')}"
    if kind in (LogKind.FACT, LogKind.DECISION):
        what = "; ".join(patch_summary(payload.get("patch", {})))
        grounds = payload.get("grounds")
        return f"{what}" + (f" - grounds: {grounds}" if grounds else "")
    if kind == LogKind.SUBMISSION:
        ref = payload.get("reference")
        entry_at = payload.get("entry", {}).get("at", "")
        return f"{payload.get('key')} sent {entry_at}" + (f" (ref. {ref})" if ref else "")
    if kind == LogKind.ACKNOWLEDGEMENT:
        return f"{payload.get('key')} acknowledged {payload.get('at', '')}"
    if kind == LogKind.APPLICABILITY:
        word = "applicable" if payload.get("applicable") else "not applicable"
        return f"{payload.get('key')} {word}: {payload.get('grounds', '')}".rstrip(": ")
    if kind == LogKind.DRAFT:
        return f"draft of {payload.get('key')} saved ({len(payload.get('values', {}))} fields)"
    if kind == LogKind.EVIDENCE:
        return f"evidence {payload.get('name')} attached" + (
            f" to {payload['key']}" if payload.get("key") else ""
        )
    if kind == LogKind.REMINDER:
        return f"reminder for {payload.get('key')} ({payload.get('threshold_hours')} h threshold)"
    if kind == LogKind.NOTE:
        return str(payload.get("text", ""))
    return kind
