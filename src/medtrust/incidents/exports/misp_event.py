"""A MISP event (MISP core format JSON) for sharing the incident with a CSIRT.

Built by hand, without a MISP library: ``{"Event": {...}}`` with ``info``, ``date``,
``threat_level_id`` (1 high .. 4 undefined), ``analysis`` (0 initial, 1 ongoing, 2 completed),
``distribution`` 0 (this organisation only; the recipient decides on sharing), the organisation as
``Orgc``, a TLP tag, and attributes: indicators of compromise typed as ``ip-dst``, ``domain``,
``url``, ``md5``/``sha1``/``sha256`` (``to_ids`` true), the awareness time, the incident
description and each drafted or sent report as ``text``. UUIDs are UUIDv5 and stable across
exports.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from medtrust.incidents.exports.base import ExportInput
from medtrust.incidents.exports.indicators import IndicatorKind, collect
from medtrust.incidents.exports.stix_bundle import NAMESPACE, incident_description

_ATTRIBUTE = {
    IndicatorKind.IPV4: ("ip-dst", "Network activity"),
    IndicatorKind.IPV6: ("ip-dst", "Network activity"),
    IndicatorKind.DOMAIN: ("domain", "Network activity"),
    IndicatorKind.URL: ("url", "Network activity"),
    IndicatorKind.MD5: ("md5", "Payload delivery"),
    IndicatorKind.SHA1: ("sha1", "Payload delivery"),
    IndicatorKind.SHA256: ("sha256", "Payload delivery"),
    IndicatorKind.OTHER: ("text", "Other"),
}
_SEVERITY = {"critical": "1", "high": "1", "medium": "2", "low": "3"}


def _uuid(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "misp/" + "/".join(str(p) for p in parts)))


def threat_level(data: ExportInput) -> str:
    """From the NIS2 notification's severity if drafted, else 2 for a significant incident."""
    for report in data.reports:
        severity = report.values.get("severity")
        if isinstance(severity, str) and severity in _SEVERITY:
            return _SEVERITY[severity]
    incident = data.workspace.facts.incident
    return "2" if incident is not None and incident.significant else "4"


def analysis(data: ExportInput) -> str:
    """0 initial, 1 ongoing, 2 completed."""
    incident = data.workspace.facts.incident
    if incident is None:
        return "0"
    if incident.handled_at is not None:
        return "2"
    return "1" if incident.ongoing else "0"


def event_document(data: ExportInput) -> dict[str, Any]:
    """The MISP event as a JSON-ready mapping."""
    ws = data.workspace
    key = (ws.record.organisation_id, ws.record.id)
    stamp = str(int(data.generated_at.timestamp()))
    aware = ws.facts.incident.aware_at if ws.facts.incident else ws.record.created_at

    def attribute(
        kind: str, category: str, value: str, comment: str, to_ids: bool
    ) -> dict[str, Any]:
        return {
            "uuid": _uuid(*key, kind, value),
            "type": kind,
            "category": category,
            "value": value,
            "comment": comment,
            "to_ids": to_ids,
            "distribution": "5",
            "timestamp": stamp,
        }

    attributes = [
        attribute("datetime", "Other", aware.isoformat(), "became aware of the incident", False),
        attribute("text", "Other", incident_description(data), "incident description", False),
    ]
    for indicator in collect(data.reports):
        kind, category = _ATTRIBUTE[indicator.kind]
        to_ids = indicator.kind is not IndicatorKind.OTHER
        attributes.append(
            attribute(kind, category, indicator.value, f"from {indicator.source}", to_ids)
        )
    for report in data.reports:
        if report.status == "not_applicable" or (not report.saved and report.status == "due"):
            continue
        content = "\n".join(f"{line.label}: {line.text}" for line in report.lines if line.text)
        attributes.append(
            attribute("text", "Other", content or "(no content yet)", report.title, False)
        )
    return {
        "Event": {
            "uuid": _uuid(*key),
            "info": ws.record.title,
            "date": aware.date().isoformat(),
            "threat_level_id": threat_level(data),
            "analysis": analysis(data),
            "distribution": "0",
            "published": False,
            "timestamp": stamp,
            "Orgc": {"name": data.organisation_name},
            "Tag": [{"name": f"tlp:{data.tlp.value}"}],
            "Attribute": attributes,
        }
    }


class MispEventExport:
    """MISP event JSON."""

    name = "misp"
    media_type = "application/json"
    suffix = ".misp.json"
    per_report = False

    def render(self, data: ExportInput, key: str | None = None) -> bytes:
        """The event as UTF-8 JSON."""
        return (json.dumps(event_document(data), indent=2, ensure_ascii=False) + "\n").encode(
            "utf-8"
        )
