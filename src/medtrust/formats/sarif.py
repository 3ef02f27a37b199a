"""``sarif``: findings as SARIF 2.1.0 (OASIS, 27 March 2020) for code-scanning dashboards.

One rule per vulnerability, one result per finding. The level follows the severity (critical
and high: ``error``, medium: ``warning``, else ``note``); ``security-severity`` carries the CVSS
score as GitHub code scanning expects. Findings that are not_affected or fixed are kept with an
external ``suppression`` whose justification is the VEX status source (section 3.35).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from medtrust import __version__
from medtrust.matching.model import ACTIVE_STATUSES, Finding
from medtrust.matching.scan import ScanResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"critical": "error", "high": "error", "medium": "warning"}


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.vulnerability,
        "shortDescription": {"text": finding.vulnerability},
        "fullDescription": {"text": finding.summary or finding.vulnerability},
        "properties": {"tags": ["security", "vulnerability", *finding.cwes]},
    }
    if finding.cvss is not None:
        rule["properties"]["security-severity"] = f"{finding.cvss.score:.1f}"
    return rule


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    component = finding.component
    name = component.name + (f"@{component.version}" if component.version else "")
    result: dict[str, Any] = {
        "ruleId": finding.vulnerability,
        "ruleIndex": rule_index,
        "level": _LEVEL.get(finding.severity, "note"),
        "message": {
            "text": f"{name} is {finding.status.value} by {finding.vulnerability}: "
            + finding.match.detail()
        },
        "locations": [
            {
                "physicalLocation": {"artifactLocation": {"uri": component.sbom}},
                "logicalLocations": [
                    {
                        "name": name,
                        "fullyQualifiedName": component.purl or component.bom_ref,
                        "kind": "module",
                    }
                ],
            }
        ],
        "properties": {
            "status": finding.status.value,
            "statusSource": finding.status_source,
            "confidence": finding.match.confidence.value,
            "method": finding.match.method.value,
            "kev": finding.kev,
            "epss": finding.epss,
            "aliases": list(finding.aliases),
        },
    }
    if finding.status not in ACTIVE_STATUSES:
        result["suppressions"] = [
            {
                "kind": "external",
                "justification": f"{finding.status.value} per {finding.status_source}"
                + (f" ({finding.justification})" if finding.justification else ""),
            }
        ]
    return result


def render_log(result: ScanResult, generated_at: datetime) -> dict[str, Any]:
    """The SARIF log as data."""
    rules: dict[str, int] = {}
    rule_list: list[dict[str, Any]] = []
    for finding in result.findings:
        if finding.vulnerability not in rules:
            rules[finding.vulnerability] = len(rule_list)
            rule_list.append(_rule(finding))
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "medtrust",
                        "version": __version__,
                        "informationUri": "https://github.com/medtrust",
                        "rules": rule_list,
                    }
                },
                "invocations": [
                    {"executionSuccessful": True, "endTimeUtc": generated_at.isoformat()}
                ],
                "results": [_result(f, rules[f.vulnerability]) for f in result.findings],
            }
        ],
    }


class SarifFormat:
    """Findings as SARIF 2.1.0."""

    name = "sarif"
    media_type = "application/sarif+json"

    def render(self, result: ScanResult, *, generated_at: datetime) -> str:
        """Indented JSON."""
        return json.dumps(render_log(result, generated_at), indent=2, ensure_ascii=False) + "\n"
