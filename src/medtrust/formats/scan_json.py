"""``json``: the scan result as a JSON document with a ``findings`` array.

Each finding has ``vulnerability`` (primary id), ``aliases``, ``component`` (``name``,
``version``, ``purl``, ``cpe``, ``bom_ref``, ``sbom``), ``status`` with ``status_source``,
``justification`` and ``detail``, ``match`` (the best evidence: ``method``, ``confidence``,
``detail`` and its parts), ``evidence`` (every match), ``cvss`` (``score``, ``vector``,
``version``, ``source``: the highest available), ``severity``, ``kev``, ``epss``, ``cwes``,
``summary`` and ``sources``. Keys are sorted; findings come in a stable order.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from medtrust.matching.model import Evidence, Finding
from medtrust.matching.scan import ScanResult

FORMAT_VERSION = 1


def evidence_dict(evidence: Evidence) -> dict[str, Any]:
    """One piece of evidence as JSON."""
    return {
        "method": evidence.method.value,
        "confidence": evidence.confidence.value,
        "detail": evidence.detail(),
        "identifier": evidence.identifier,
        "matched_on": evidence.matched_on,
        "version": evidence.version,
        "range": evidence.range_text,
        "vulnerability_id": evidence.vulnerability_id,
        "status": evidence.status.value,
        "source": evidence.source,
        "document": evidence.document,
        "platform": evidence.platform,
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    """One finding as JSON."""
    component = finding.component
    cvss = finding.cvss
    return {
        "vulnerability": finding.vulnerability,
        "aliases": list(finding.aliases),
        "component": {
            "sbom": component.sbom,
            "bom_ref": component.bom_ref,
            "name": component.name,
            "version": component.version,
            "purl": component.purl,
            "cpe": component.cpe,
        },
        "status": finding.status.value,
        "status_source": finding.status_source,
        "justification": finding.justification,
        "detail": finding.detail,
        "match": evidence_dict(finding.match),
        "evidence": [evidence_dict(e) for e in finding.evidence],
        "cvss": None
        if cvss is None
        else {
            "score": cvss.score,
            "vector": cvss.vector,
            "version": cvss.version,
            "source": cvss.source,
        },
        "severity": finding.severity,
        "kev": finding.kev,
        "kev_date_added": finding.kev_date_added,
        "epss": finding.epss,
        "epss_percentile": finding.epss_percentile,
        "cwes": list(finding.cwes),
        "summary": finding.summary,
        "sources": list(finding.sources),
    }


def result_dict(result: ScanResult, generated_at: datetime) -> dict[str, Any]:
    """The whole result as JSON-ready data."""
    return {
        "format": "medtrust-scan",
        "format_version": FORMAT_VERSION,
        "generated_at": generated_at.isoformat(),
        "engine": result.engine,
        "knowledge_base_updated_at": result.kb_updated_at,
        "documents": [
            {"source": d.source, "format": d.format, "serial": d.serial, "components": d.components}
            for d in result.documents
        ],
        "summary": result.status_counts(),
        "findings": [finding_dict(f) for f in result.findings],
    }


class JsonFormat:
    """The scan result as JSON."""

    name = "json"
    media_type = "application/json"

    def render(self, result: ScanResult, *, generated_at: datetime) -> str:
        """Indented JSON with sorted keys."""
        return (
            json.dumps(
                result_dict(result, generated_at), indent=2, sort_keys=True, ensure_ascii=False
            )
            + "\n"
        )
