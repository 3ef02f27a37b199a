"""``cyclonedx-vex``: findings as a CycloneDX 1.6 JSON BOM with ``vulnerabilities``.

One vulnerability entry per finding (CycloneDX ``analysis`` is per entry, and statuses are per
component): ``affects`` points at the component, which the BOM lists (bom-refs prefixed with the
SBOM's position when several SBOMs were scanned). Status -> ``analysis.state``: affected ->
exploitable, not_affected -> not_affected, fixed -> resolved, under_investigation -> in_triage.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from medtrust.domain.vex import VexStatus
from medtrust.formats.justifications import to_cyclonedx
from medtrust.matching.model import Finding
from medtrust.matching.scan import ScanResult

STATE = {
    VexStatus.AFFECTED: "exploitable",
    VexStatus.NOT_AFFECTED: "not_affected",
    VexStatus.FIXED: "resolved",
    VexStatus.UNDER_INVESTIGATION: "in_triage",
}
_METHOD = {"2.0": "CVSSv2", "3.0": "CVSSv3", "3.1": "CVSSv31", "4.0": "CVSSv4"}


def _ref(finding: Finding, position: dict[str, int]) -> str:
    prefix = f"sbom{position[finding.component.sbom]}:" if len(position) > 1 else ""
    return prefix + finding.component.bom_ref


def _rating(finding: Finding) -> list[dict[str, Any]]:
    cvss = finding.cvss
    if cvss is None:
        return []
    rating: dict[str, Any] = {
        "score": cvss.score,
        "severity": finding.severity if finding.severity != "unknown" else "unknown",
        "method": _METHOD.get(cvss.version, "other"),
        "vector": cvss.vector,
    }
    if cvss.source:
        rating["source"] = {"name": cvss.source}
    return [rating]


def _cwe(text: str) -> int | None:
    digits = text.upper().removeprefix("CWE-")
    return int(digits) if digits.isdigit() else None


def _entry(finding: Finding, ref: str) -> dict[str, Any]:
    analysis: dict[str, Any] = {"state": STATE[finding.status]}
    justification = to_cyclonedx(finding.justification)
    if finding.status is VexStatus.NOT_AFFECTED and justification:
        analysis["justification"] = justification
    detail = "; ".join(
        text
        for text in (finding.detail, f"status from {finding.status_source}", finding.match.detail())
        if text
    )
    analysis["detail"] = detail
    entry: dict[str, Any] = {
        "bom-ref": f"{finding.vulnerability}@{ref}",
        "id": finding.vulnerability,
        "source": {"name": finding.match.source},
        "ratings": _rating(finding),
        "cwes": [c for c in (_cwe(w) for w in finding.cwes) if c is not None],
        "description": finding.summary,
        "analysis": analysis,
        "affects": [{"ref": ref}],
    }
    if finding.aliases:
        entry["references"] = [
            {"id": alias, "source": {"name": "alias"}} for alias in finding.aliases
        ]
    return {k: v for k, v in entry.items() if v not in ([], "")}


def render_bom(result: ScanResult, generated_at: datetime) -> dict[str, Any]:
    """The CycloneDX document as data."""
    position = {d.source: i for i, d in enumerate(result.documents)}
    components: dict[str, dict[str, Any]] = {}
    for finding in result.findings:
        ref = _ref(finding, position)
        component = finding.component
        item: dict[str, Any] = {"type": "library", "bom-ref": ref, "name": component.name}
        for key, value in (
            ("version", component.version),
            ("purl", component.purl),
            ("cpe", component.cpe),
        ):
            if value:
                item[key] = value
        components.setdefault(ref, item)
    seed = "|".join(f"{f.vulnerability}@{_ref(f, position)}:{f.status}" for f in result.findings)
    serial = uuid.uuid5(uuid.NAMESPACE_URL, "medtrust-vex:" + seed + generated_at.isoformat())
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{serial}",
        "version": 1,
        "metadata": {
            "timestamp": generated_at.isoformat(),
            "tools": {"components": [{"type": "application", "name": "medtrust"}]},
        },
        "components": [components[k] for k in sorted(components)],
        "vulnerabilities": [_entry(f, _ref(f, position)) for f in result.findings],
    }


class CycloneDxVexFormat:
    """Findings as CycloneDX 1.6 VEX."""

    name = "cyclonedx-vex"
    media_type = "application/vnd.cyclonedx+json"

    def render(self, result: ScanResult, *, generated_at: datetime) -> str:
        """Indented JSON."""
        return json.dumps(render_bom(result, generated_at), indent=2, ensure_ascii=False) + "\n"
