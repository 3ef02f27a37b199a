"""Report drafts: pre-fill from the incident record, validation of edits, completeness (pure).

A template field names its pre-fill sources in order; the first that yields a value wins. Sources
are either a name from :data:`PREFILL` (facts, the obligation, decisions on the timeline) or
``draft:<stage>.<field>``: the same field of another stage's draft of the same regime and subject
(the NIS2 notification repeats the early warning's answers). Saved values always win over
pre-filled ones, including a field the user cleared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from medtrust.errors import InputError
from medtrust.incidents.facts import CraProduct, Device, IncidentFacts
from medtrust.incidents.obligation import Obligation
from medtrust.incidents.records import DraftValue
from medtrust.incidents.report_template_file import FieldKind
from medtrust.incidents.report_templates import ReportTemplate, TemplateField

MAX_FIELD_CHARS = 20_000
YES_NO = ("yes", "no", "unknown")
_YES_NO_LABEL = {"yes": "Yes", "no": "No", "unknown": "Unknown"}


class DraftError(InputError):
    """An edited draft does not fit its template (the message names the field)."""

    code = "incident-draft-invalid"


@dataclass(frozen=True, slots=True)
class DraftContext:
    """What pre-fill rules may read."""

    title: str
    organisation_name: str
    facts: IncidentFacts
    regime: str
    stage: str
    subject: str
    obligation: Obligation | None = None
    decisions: tuple[str, ...] = ()
    earlier_submissions: tuple[str, ...] = ()
    device_reports: tuple[str, ...] = ()
    sibling_drafts: Mapping[str, Mapping[str, DraftValue]] = field(default_factory=dict)

    def local(self, moment: datetime | None) -> str | None:
        """ISO 8601 in the organisation's time zone (as given when it has none)."""
        if moment is None:
            return None
        zone = self.facts.organisation.timezone
        return (moment.astimezone(zone) if zone is not None else moment).isoformat()

    @property
    def device(self) -> Device | None:
        """The device the report is about, if any."""
        return next((d for d in self.facts.devices if d.name == self.subject), None)

    @property
    def product(self) -> CraProduct | None:
        """The CRA product the report is about, if any."""
        return next(
            (
                p
                for p in self.facts.cra_products
                if self.subject == p.name or self.subject.startswith(f"{p.name} (")
            ),
            None,
        )


def _yes_no(flag: bool | None) -> str | None:
    return None if flag is None else ("yes" if flag else "no")


def _lines(items: tuple[str, ...]) -> str | None:
    return "\n".join(items) or None


def _device_outcome(ctx: DraftContext) -> str | None:
    device = ctx.device
    if device is None:
        return None
    if device.death_or_serious_deterioration:
        return "death_or_serious_deterioration"
    if device.serious_public_health_threat:
        return "serious_public_health_threat"
    return "other_serious" if device.serious_incident else None


def _product_aware(ctx: DraftContext) -> str | None:
    product = ctx.product
    if product is None:
        return None
    incident_track = "(severe incident)" in ctx.subject
    if incident_track and product.severe_incident is not None:
        return ctx.local(product.severe_incident.aware_at)
    return ctx.local(product.vulnerability.aware_at) if product.vulnerability else None


def _breach_risk(ctx: DraftContext) -> str | None:
    breach = ctx.facts.personal_data_breach
    if breach is None:
        return None
    return f"Assessed risk to the rights and freedoms of individuals: {breach.risk.value}."


#: named pre-fill sources
PREFILL: dict[str, Callable[[DraftContext], DraftValue]] = {
    "incident.title": lambda c: c.title,
    "incident.aware_at": lambda c: c.local(c.facts.incident.aware_at) if c.facts.incident else None,
    "incident.suspected_malicious": lambda c: _yes_no(
        c.facts.incident.suspected_malicious if c.facts.incident else None
    ),
    "incident.cross_border": lambda c: _yes_no(
        c.facts.incident.cross_border if c.facts.incident else None
    ),
    "incident.ongoing": lambda c: _yes_no(c.facts.incident.ongoing if c.facts.incident else None),
    "incident.handled_at": lambda c: (
        c.local(c.facts.incident.handled_at) if c.facts.incident else None
    ),
    "incident.decisions": lambda c: _lines(c.decisions),
    "organisation.name": lambda c: c.organisation_name,
    "organisation.country": lambda c: c.facts.organisation.country,
    "obligation.subject": lambda c: c.subject,
    "obligation.earlier_submissions": lambda c: _lines(c.earlier_submissions),
    "breach.aware_at": lambda c: (
        c.local(c.facts.personal_data_breach.aware_at) if c.facts.personal_data_breach else None
    ),
    "breach.risk": _breach_risk,
    "device.name": lambda c: c.device.name if c.device else None,
    "device.regulation": lambda c: c.device.regulation.value if c.device else None,
    "device.aware_at": lambda c: c.local(c.device.aware_at) if c.device else None,
    "device.occurred_in": lambda c: c.device.occurred_in if c.device else None,
    "device.outcome": _device_outcome,
    "device.serious": lambda c: _yes_no(c.device.serious_incident) if c.device else None,
    "device.fsca_planned_at": lambda c: (
        f"FSCA planned from {c.local(c.device.fsca_planned_at)}"
        if c.device and c.device.fsca_planned_at
        else None
    ),
    "device.authority_reports": lambda c: _lines(c.device_reports),
    "product.name": lambda c: c.product.name if c.product else None,
    "product.aware_at": _product_aware,
    "product.fix_available_at": lambda c: (
        c.local(c.product.vulnerability.fix_available_at)
        if c.product and c.product.vulnerability
        else None
    ),
    # a security incident involving a device: the general IMDRF term (MDCG 2019-16 Table 4)
    "imdrf.security_problem": lambda c: ["A1105"],
}


def known_source(source: str) -> bool:
    """True for a source name in :data:`PREFILL` or a well-formed ``draft:<stage>.<field>``."""
    if source.startswith("draft:"):
        stage, dot, key = source.removeprefix("draft:").partition(".")
        return bool(stage and dot and key)
    return source in PREFILL


def _empty(value: DraftValue) -> bool:
    return value is None or value == "" or value == []


def prefill_value(template_field: TemplateField, ctx: DraftContext) -> DraftValue:
    """The first non-empty value among the field's pre-fill sources (None when none has one)."""
    for source in template_field.prefill:
        if source.startswith("draft:"):
            stage, _dot, key = source.removeprefix("draft:").partition(".")
            value = ctx.sibling_drafts.get(stage, {}).get(key)
        else:
            value = PREFILL[source](ctx)
        value = _fit(template_field, value)
        if not _empty(value):
            return value
    return None


def _fit(template_field: TemplateField, value: DraftValue) -> DraftValue:
    """Adapt a pre-fill value to the field's kind (drop what does not fit)."""
    kind = template_field.kind
    allowed = {c.value for c in template_field.choices}
    if kind is FieldKind.CODES:
        items = value if isinstance(value, list) else ([value] if value else [])
        return [v for v in items if v in allowed]
    if isinstance(value, list):
        value = ", ".join(value)
    if kind is FieldKind.YES_NO and value not in YES_NO:
        return None
    if kind is FieldKind.CHOICE and value not in allowed:
        return None
    return value


def effective_values(
    template: ReportTemplate, saved: Mapping[str, DraftValue] | None, ctx: DraftContext
) -> dict[str, DraftValue]:
    """Saved values where a field was saved, pre-filled ones elsewhere, in template order."""
    saved = saved or {}
    return {
        f.key: saved[f.key] if f.key in saved else prefill_value(f, ctx) for f in template.fields
    }


def clean_values(template: ReportTemplate, raw: Mapping[str, Any]) -> dict[str, DraftValue]:
    """Validate edited values against the template; unknown fields and bad choices raise."""
    unknown = sorted(set(raw) - {f.key for f in template.fields})
    if unknown:
        raise DraftError(f"{template.id}: unknown field(s) {', '.join(unknown)}")
    out: dict[str, DraftValue] = {}
    for f in template.fields:
        if f.key in raw:
            out[f.key] = _clean(template.id, f, raw[f.key])
    return out


def _clean(template_id: str, f: TemplateField, value: Any) -> DraftValue:
    where = f"{template_id}.{f.key}"
    allowed = [c.value for c in f.choices]
    if f.kind is FieldKind.CODES:
        items = value if isinstance(value, list) else ([value] if value else [])
        bad = [str(v) for v in items if v not in allowed]
        if bad:
            raise DraftError(f"{where}: unknown code(s) {', '.join(bad)} (allowed: {allowed})")
        return sorted({str(v) for v in items}, key=allowed.index)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise DraftError(f"{where}: expected text")
    text = value.replace("\r\n", "\n").strip()
    if len(text) > MAX_FIELD_CHARS:
        raise DraftError(f"{where}: longer than {MAX_FIELD_CHARS} characters")
    if f.kind is FieldKind.YES_NO and text not in YES_NO:
        raise DraftError(f"{where}: answer yes, no or unknown")
    if f.kind is FieldKind.CHOICE and text not in allowed:
        raise DraftError(f"{where}: {text!r} is not one of {', '.join(allowed)}")
    if f.kind is FieldKind.DATETIME:
        _check_datetime(where, text)
    return text or None


def _check_datetime(where: str, text: str) -> None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise DraftError(f"{where}: not an ISO 8601 timestamp: {text!r}") from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DraftError(f"{where}: timestamp without a time zone is refused")


def missing(template: ReportTemplate, values: Mapping[str, DraftValue]) -> tuple[str, ...]:
    """Keys of required fields that are still empty, in template order."""
    return tuple(f.key for f in template.fields if f.required and _empty(values.get(f.key)))


def display(template_field: TemplateField, value: DraftValue) -> str:
    """A value as text for reports: labels for choices and codes, Yes/No for yes/no."""
    if _empty(value):
        return ""
    if isinstance(value, list):
        return "; ".join(template_field.label_of(v) for v in value)
    assert value is not None
    if template_field.kind is FieldKind.YES_NO:
        return _YES_NO_LABEL.get(value, value)
    if template_field.kind is FieldKind.CHOICE:
        return template_field.label_of(value)
    return value
