"""The "report once" package: every report of the incident in one machine-readable JSON document.

Meant for a future single entry point (NIS2 amendment in the Digital Omnibus proposal,
COM(2025) 837) and for authorities that take several regimes at once: one document carries the
facts, each obligation (article, recipient, deadline, status) and each report's fields.
"""

from __future__ import annotations

import json
from typing import Any

from medtrust.incidents.exports.base import ExportInput
from medtrust.incidents.render import obligation_document
from medtrust.incidents.report_document import ReportDocument, decision_lines

FORMAT = "medtrust-report-once"
FORMAT_VERSION = 1


def report_json(report: ReportDocument, *, form: bool = False) -> dict[str, Any]:
    """One report as a JSON-ready mapping; ``form`` adds each field's kind, help and choices."""
    state = report.state
    doc: dict[str, Any] = {
        "key": report.key,
        "regime": report.regime,
        "stage": report.stage,
        "subject": report.subject,
        "status": report.status,
        "template": report.template.id,
        "content_basis": report.template.basis,
        "obligation": obligation_document(report.obligation) if report.obligation else None,
        "submission_reference": state.submission_reference,
        "acknowledged_at": state.acknowledged_at.isoformat() if state.acknowledged_at else None,
        "acknowledgement_reference": state.acknowledgement_reference,
        "not_applicable_grounds": state.not_applicable_grounds,
        "draft_saved": report.saved,
        "complete": report.complete,
        "missing": list(report.missing),
        "fields": [
            {"key": line.key, "label": line.label, "article": line.article, "value": line.value}
            for line in report.lines
        ],
    }
    if form:
        for entry, field in zip(doc["fields"], report.template.fields, strict=True):
            entry["kind"] = field.kind.value
            entry["required"] = field.required
            entry["help"] = field.help
            entry["choices"] = [{"value": c.value, "label": c.label} for c in field.choices]
    return doc


def package_document(data: ExportInput) -> dict[str, Any]:
    """The package as a JSON-ready mapping (stable order)."""
    ws = data.workspace
    record = ws.record
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": data.generated_at.isoformat(),
        "tlp": data.tlp.value,
        "reporter": {
            "organisation": data.organisation_name,
            "role": ws.facts.organisation.role.value,
            "country": ws.facts.organisation.country,
            "nis2": ws.facts.organisation.nis2.value,
        },
        "incident": {
            "id": record.id,
            "title": record.title,
            "created_at": record.created_at.isoformat(),
            "created_by": record.created_by,
            "log": {"entries": len(data.log), "head_hash": data.head_hash},
        },
        "facts": dict(record.facts),
        "decisions": list(decision_lines(data.log)),
        "reports": [report_json(r) for r in data.reports],
        "not_applicable": [
            {"regime": n.regime, "article": n.article, "subject": n.subject, "reason": n.reason}
            for n in ws.not_applicable
        ],
        "notes": list(ws.plan.notes),
    }


class ReportOnceExport:
    """All reports in one JSON package."""

    name = "report-once"
    media_type = "application/json"
    suffix = ".json"
    per_report = False

    def render(self, data: ExportInput, key: str | None = None) -> bytes:
        """The package as UTF-8 JSON."""
        text = json.dumps(package_document(data), indent=2, ensure_ascii=False, sort_keys=False)
        return (text + "\n").encode("utf-8")
