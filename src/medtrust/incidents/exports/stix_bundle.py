"""A STIX 2.1 bundle for sharing the incident with a CSIRT (built with the ``stix2`` package).

Objects: the reporting organisation (Identity), the incident (Incident SDO; its description carries
the facts that matter to a CSIRT), one Note per report that was drafted or sent (its content
fields), one Note for the decisions on the timeline, and one Indicator per typed indicator of
compromise, each ``related-to`` the incident. Every object carries the export's TLP marking. Ids
are UUIDv5 derived from the organisation, incident and report key, so re-exporting gives the
same ids and a recipient can update what it already has.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import stix2

from medtrust.incidents.exports.base import ExportInput, Tlp
from medtrust.incidents.exports.indicators import Indicator, IndicatorKind, collect
from medtrust.incidents.report_document import ReportDocument, decision_lines

NAMESPACE = uuid.UUID("6f1c3b0e-6a53-5d0e-9d0f-2f6f0f7c9a11")
_TLP = {
    Tlp.CLEAR: stix2.TLP_WHITE,
    Tlp.GREEN: stix2.TLP_GREEN,
    Tlp.AMBER: stix2.TLP_AMBER,
    Tlp.RED: stix2.TLP_RED,
}
_PATTERN = {
    IndicatorKind.IPV4: "[ipv4-addr:value = '{v}']",
    IndicatorKind.IPV6: "[ipv6-addr:value = '{v}']",
    IndicatorKind.DOMAIN: "[domain-name:value = '{v}']",
    IndicatorKind.URL: "[url:value = '{v}']",
    IndicatorKind.MD5: "[file:hashes.MD5 = '{v}']",
    IndicatorKind.SHA1: "[file:hashes.'SHA-1' = '{v}']",
    IndicatorKind.SHA256: "[file:hashes.'SHA-256' = '{v}']",
}


def stable_id(kind: str, *parts: object) -> str:
    """A deterministic STIX id ``<kind>--<uuid5>``."""
    name = "/".join(str(p) for p in parts)
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}/{name}')}"


def _when(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def incident_description(data: ExportInput) -> str:
    """The facts a CSIRT needs, as text."""
    facts = data.workspace.facts
    lines = [f"Reported by {data.organisation_name} ({facts.organisation.country})."]
    if facts.incident is not None:
        i = facts.incident
        lines.append(
            f"Aware at {i.aware_at.isoformat()}; significant: {'yes' if i.significant else 'no'}."
        )
        lines.append(
            f"Suspected malicious: {'yes' if i.suspected_malicious else 'no'}; "
            f"possible cross-border impact: {'yes' if i.cross_border else 'no'}; "
            f"{'ongoing' if i.ongoing else 'not ongoing'}."
        )
    if facts.personal_data_breach is not None:
        lines.append(f"Personal data breach; risk {facts.personal_data_breach.risk.value}.")
    for device in facts.devices:
        lines.append(f"Medical device involved: {device.name} ({device.regulation.value}).")
    for product in facts.cra_products:
        lines.append(f"Product with digital elements involved: {product.name}.")
    return "\n".join(lines)


def _note_text(report: ReportDocument) -> str:
    rows = [f"{line.label}: {line.text}" for line in report.lines if line.text]
    return "\n".join(rows) or "(no content yet)"


def build_bundle(data: ExportInput) -> stix2.Bundle:
    """The bundle of the incident."""
    ws = data.workspace
    org_key = (ws.record.organisation_id, ws.record.id)
    marking = _TLP[data.tlp]
    created, modified = (
        _when(ws.record.created_at),
        _when(max(ws.record.updated_at, ws.record.created_at)),
    )
    identity = stix2.Identity(
        id=stable_id("identity", ws.record.organisation_id),
        name=data.organisation_name,
        identity_class="organization",
        created=created,
        modified=created,
    )
    common: dict[str, Any] = {"created_by_ref": identity.id, "object_marking_refs": [marking]}
    incident = stix2.Incident(
        id=stable_id("incident", *org_key),
        name=ws.record.title,
        description=incident_description(data),
        created=created,
        modified=modified,
        **common,
    )
    objects: list[Any] = [identity, incident]
    for report in data.reports:
        if report.status == "not_applicable" or (not report.saved and report.status == "due"):
            continue
        objects.append(
            stix2.Note(
                id=stable_id("note", *org_key, report.key),
                abstract=report.title,
                content=_note_text(report),
                object_refs=[incident.id],
                created=created,
                modified=_when(data.generated_at),
                **common,
            )
        )
    decisions = decision_lines(data.log)
    if decisions:
        objects.append(
            stix2.Note(
                id=stable_id("note", *org_key, "decisions"),
                abstract="Decisions on the incident timeline",
                content="\n".join(decisions),
                object_refs=[incident.id],
                created=created,
                modified=_when(data.generated_at),
                **common,
            )
        )
    for indicator in collect(data.reports):
        objects.extend(_indicator(indicator, incident.id, created, common, org_key))
    return stix2.Bundle(
        objects=objects, id=stable_id("bundle", *org_key, data.generated_at.isoformat())
    )


def _indicator(
    indicator: Indicator,
    incident_id: str,
    created: datetime,
    common: dict[str, Any],
    org_key: tuple[int, int],
) -> list[Any]:
    template = _PATTERN.get(indicator.kind)
    if template is None:
        return []
    value = indicator.value.replace("\\", "\\\\").replace("'", "\\'")
    sdo = stix2.Indicator(
        id=stable_id("indicator", *org_key, indicator.kind.value, indicator.value),
        name=f"{indicator.kind.value}: {indicator.value}",
        pattern=template.format(v=value),
        pattern_type="stix",
        valid_from=created,
        created=created,
        modified=created,
        **common,
    )
    link = stix2.Relationship(
        id=stable_id("relationship", *org_key, sdo.id),
        relationship_type="related-to",
        source_ref=sdo.id,
        target_ref=incident_id,
        created=created,
        modified=created,
        **common,
    )
    return [sdo, link]


class StixBundleExport:
    """STIX 2.1 bundle."""

    name = "stix"
    media_type = "application/stix+json;version=2.1"
    suffix = ".stix.json"
    per_report = False

    def render(self, data: ExportInput, key: str | None = None) -> bytes:
        """The bundle as JSON."""
        text: str = build_bundle(data).serialize(pretty=True)
        return (text + "\n").encode("utf-8")
