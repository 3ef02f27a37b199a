"""Reports as documents: a template, its effective values and the obligation they serve (pure).

:func:`report_for` joins a workspace key with its template and pre-fill context; the exports
(HTML, PDF, report-once JSON, STIX, MISP) all read the resulting :class:`ReportDocument`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from medtrust.errors import NotFoundError
from medtrust.incidents.chain import LogRecord
from medtrust.incidents.drafts import DraftContext, display, effective_values, missing
from medtrust.incidents.facts import CraTrack
from medtrust.incidents.facts_doc import cra_track
from medtrust.incidents.obligation import Obligation
from medtrust.incidents.records import DraftValue, LogKind, ObligationState
from medtrust.incidents.report_templates import (
    NOTICE_REGIME,
    NOTICE_STAGE,
    ReportTemplate,
    TemplateSet,
)
from medtrust.incidents.workspace import Workspace


@dataclass(frozen=True, slots=True)
class ReportLine:
    """One field of a report as shown."""

    key: str
    label: str
    article: str | None
    value: DraftValue
    text: str
    required: bool


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """One report (or manufacturer notice) ready to render."""

    key: str
    template: ReportTemplate
    regime: str
    stage: str
    subject: str
    status: str
    obligation: Obligation | None
    state: ObligationState
    values: Mapping[str, DraftValue]
    lines: tuple[ReportLine, ...]
    missing: tuple[str, ...]
    saved: bool

    @property
    def title(self) -> str:
        """Heading, e.g. ``NIS2 early warning - incident``."""
        return f"{self.template.title} - {self.subject}"

    @property
    def complete(self) -> bool:
        """True when every required field has a value."""
        return not self.missing


def patch_summary(patch: Mapping[str, Any], prefix: str = "") -> list[str]:
    """``{"incident": {"significant": True}}`` -> ``["incident.significant = true"]``."""
    lines = []
    for key in sorted(patch):
        value = patch[key]
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            lines.extend(patch_summary(value, f"{path}."))
        elif value is None:
            lines.append(f"{path} removed")
        elif isinstance(value, bool):
            lines.append(f"{path} = {'true' if value else 'false'}")
        else:
            lines.append(f"{path} = {value}")
    return lines


def decision_lines(log: Sequence[LogRecord]) -> tuple[str, ...]:
    """Decisions on the timeline: when, who, what and on what grounds."""
    out = []
    for entry in log:
        if entry.kind != LogKind.DECISION:
            continue
        payload = entry.payload
        when = payload.get("decided_at") or entry.at.astimezone(UTC).isoformat(timespec="minutes")
        what = "; ".join(patch_summary(payload.get("patch", {}))) or "(no change of facts)"
        out.append(f"{when} {entry.actor}: {what} - grounds: {payload.get('grounds', '')}")
    return tuple(out)


def _submitted_lines(ws: Workspace, *, regime: str | None, subject: str, skip: str) -> list[str]:
    lines = []
    for item in ws.items:
        o = item.obligation
        if item.key == skip or o.submitted_at is None or o.subject != subject:
            continue
        if regime is not None and o.regime != regime:
            continue
        ref = item.state.submission_reference
        lines.append(
            f"{o.regime} {o.stage.value} to {o.recipient}: sent {o.submitted_at.isoformat()}"
            + (f", reference {ref}" if ref else "")
        )
    return lines


def _target(ws: Workspace, key: str) -> tuple[str, str, str, Obligation | None, ObligationState]:
    item = ws.item(key)
    if item is not None:
        o = item.obligation
        return o.regime, o.stage.value, o.subject, o, item.state
    notice = ws.notice(key)
    if notice is not None:
        return NOTICE_REGIME, NOTICE_STAGE, notice.device.name, None, notice.state
    raise NotFoundError(f"no report {key!r} in this incident")


def report_for(
    ws: Workspace,
    key: str,
    *,
    templates: TemplateSet,
    organisation_name: str,
    log: Sequence[LogRecord],
) -> ReportDocument:
    """The report with ``key``: template, effective values, completeness."""
    regime, stage, subject, obligation, state = _target(ws, key)
    track: CraTrack | None = None
    if obligation is not None and regime == "CRA":
        track = cra_track(obligation)
    template = templates.for_stage(regime, stage, track)
    siblings = {
        i.obligation.stage.value: i.state.draft
        for i in ws.items
        if i.obligation.regime == regime
        and i.obligation.subject == subject
        and i.key != key
        and i.state.draft is not None
    }
    ctx = DraftContext(
        title=ws.record.title,
        organisation_name=organisation_name,
        facts=ws.facts,
        regime=regime,
        stage=stage,
        subject=subject,
        obligation=obligation,
        decisions=decision_lines(log),
        earlier_submissions=tuple(_submitted_lines(ws, regime=regime, subject=subject, skip=key)),
        device_reports=tuple(_submitted_lines(ws, regime=None, subject=subject, skip=key)),
        sibling_drafts=siblings,
    )
    values = effective_values(template, state.draft, ctx)
    lines = tuple(
        ReportLine(f.key, f.label, f.article, values[f.key], display(f, values[f.key]), f.required)
        for f in template.fields
    )
    item = ws.item(key)
    notice = ws.notice(key)
    status = item.status.value if item else (notice.status.value if notice else "due")
    return ReportDocument(
        key=key,
        template=template,
        regime=regime,
        stage=stage,
        subject=subject,
        status=status,
        obligation=obligation,
        state=state,
        values=values,
        lines=lines,
        missing=missing(template, values),
        saved=state.draft is not None,
    )


def all_reports(
    ws: Workspace, *, templates: TemplateSet, organisation_name: str, log: Sequence[LogRecord]
) -> tuple[ReportDocument, ...]:
    """Every report and notice of the workspace, in workspace order."""
    keys = [i.key for i in ws.items] + [n.key for n in ws.notices]
    return tuple(
        report_for(ws, k, templates=templates, organisation_name=organisation_name, log=log)
        for k in keys
    )
