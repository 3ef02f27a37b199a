"""SBOM quality report: NTIA minimum elements, identifier problems, a score and concrete fixes.

Score (0-100), the sum of eight factors, each listed in the report with its value:

* five per-component NTIA elements — supplier, component name, version, unique identifier
  (purl, CPE or SWID tag id) and dependency relationship — worth 10 points each, multiplied by
  the share of components that have the element;
* two per-document NTIA elements — author of the SBOM data and timestamp — worth 10 points each,
  all or nothing;
* identifier quality, worth 30 points, multiplied by the share of components without an
  identifier problem of warning or error severity (invalid or doubtful purl/CPE, versions that
  disagree, placeholder or generated CPE vendor).

A document without any component scores 0 for the per-component factors. Informational
findings (for example a CPE 2.2 URI that was converted) never cost points.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from medtrust.domain.component import (
    Component,
    IssueSeverity,
    SbomDocument,
    SbomFormat,
    SbomIssue,
)
from medtrust.sbom.quality_checks import (
    NtiaElement,
    QualityFinding,
    identifier_checks,
    ntia_component_checks,
)

_SEVERITY_RANK = {IssueSeverity.ERROR: 0, IssueSeverity.WARNING: 1, IssueSeverity.INFO: 2}
_IDENTIFIER_CODES = frozenset(
    {
        "invalid-purl",
        "suspicious-purl",
        "invalid-cpe",
        "short-cpe",
        "purl-without-version",
        "cpe-without-version",
        "cpe-version-prefix",
        "version-mismatch",
        "placeholder-vendor",
        "generated-vendor",
    }
)
_ISSUE_FIXES = {
    "invalid-purl": "write the purl as pkg:<type>/<namespace>/<name>@<version> (purl spec)",
    "suspicious-purl": "correct the purl so that the canonical form keeps every part",
    "invalid-cpe": (
        "write a CPE 2.3 formatted string cpe:2.3:<part>:<vendor>:<product>:<version>:*:*:*:*:*:*:*"
    ),
    "short-cpe": "write all 11 attributes of the CPE 2.3 name (use * for ANY)",
    "cpe22-converted": "replace the CPE 2.2 URI by the CPE 2.3 formatted string",
    "duplicate-bom-ref": "give every component a unique reference",
    "unknown-dependency-ref": "make every dependency ref point at a component bom-ref",
    "unknown-relationship-ref": "make every relationship point at a described element",
    "invalid-timestamp": "write the timestamp as ISO 8601, e.g. 2024-01-31T12:00:00Z",
}
_SUMMARISED = {
    "supplier-from-publisher": "the publisher or author",
    "supplier-from-originator": "the originator",
}
_WEIGHTS = {
    NtiaElement.SUPPLIER: 10,
    NtiaElement.NAME: 10,
    NtiaElement.VERSION: 10,
    NtiaElement.IDENTIFIER: 10,
    NtiaElement.DEPENDENCY: 10,
    NtiaElement.AUTHOR: 10,
    NtiaElement.TIMESTAMP: 10,
}
IDENTIFIER_QUALITY_WEIGHT = 30


@dataclass(frozen=True, slots=True)
class ScoreFactor:
    """One term of the score: ``points = weight * value`` (value between 0 and 1)."""

    name: str
    weight: int
    value: float
    explanation: str

    @property
    def points(self) -> float:
        """The points this factor contributes."""
        return self.weight * self.value


@dataclass(frozen=True, slots=True)
class QualityReport:
    """Quality of one SBOM document."""

    source: str
    format: SbomFormat
    spec_version: str | None
    component_count: int
    findings: tuple[QualityFinding, ...]
    factors: tuple[ScoreFactor, ...]

    @property
    def score(self) -> int:
        """Total of the factors, rounded to a whole number between 0 and 100."""
        return round(sum(f.points for f in self.factors))

    def fixes(self) -> tuple[str, ...]:
        """Distinct fixes, most severe first, each with the components it concerns."""
        grouped: dict[tuple[int, str], list[str]] = {}
        for finding in self.findings:
            if finding.severity is IssueSeverity.INFO:
                continue
            key = (_SEVERITY_RANK[finding.severity], finding.fix)
            grouped.setdefault(key, [])
            if finding.component:
                grouped[key].append(finding.component)
        out = []
        for (_, fix), comps in sorted(grouped.items()):
            names = sorted(set(comps))
            scope = f" ({len(names)}: {', '.join(names[:5])}{', …' if len(names) > 5 else ''})"
            out.append(fix + (scope if names else ""))
        return tuple(out)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view with stable key and item order."""
        counts = Counter(f.severity.value for f in self.findings)
        return {
            "source": self.source,
            "format": self.format.value,
            "spec_version": self.spec_version,
            "component_count": self.component_count,
            "score": self.score,
            "factors": [
                {
                    "name": f.name,
                    "weight": f.weight,
                    "value": round(f.value, 4),
                    "points": round(f.points, 2),
                    "explanation": f.explanation,
                }
                for f in self.factors
            ],
            "finding_counts": {s.value: counts.get(s.value, 0) for s in IssueSeverity},
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity.value,
                    "element": f.element.value if f.element else None,
                    "component_ref": f.component_ref,
                    "component": f.component,
                    "location": str(f.location) if f.location else None,
                    "message": f.message,
                    "fix": f.fix,
                }
                for f in self.findings
            ],
            "fixes": list(self.fixes()),
        }


def _issue_finding(doc: SbomDocument, issue: SbomIssue) -> QualityFinding:
    comp = doc.component(issue.component_ref) if issue.component_ref else None
    return QualityFinding(
        code=issue.code,
        severity=issue.severity,
        message=issue.message,
        fix=_ISSUE_FIXES.get(issue.code, "correct the value described in the message"),
        component_ref=issue.component_ref,
        component=comp.display_name if comp else None,
        location=issue.location,
        element=NtiaElement.IDENTIFIER if issue.code in _IDENTIFIER_CODES else None,
    )


def _issue_findings(doc: SbomDocument) -> list[QualityFinding]:
    """Read issues as findings; the per-component supplier fallbacks are summarised once."""
    out: list[QualityFinding] = []
    grouped: Counter[str] = Counter()
    for issue in doc.issues:
        if issue.code in _SUMMARISED:
            grouped[issue.code] += 1
        else:
            out.append(_issue_finding(doc, issue))
    for code, count in sorted(grouped.items()):
        out.append(
            QualityFinding(
                code,
                IssueSeverity.INFO,
                f"{count} components have no supplier; {_SUMMARISED[code]} was used instead",
                "name the supplier explicitly",
                element=NtiaElement.SUPPLIER,
            )
        )
    return out


def _document_findings(doc: SbomDocument, count: int, has_graph: bool) -> list[QualityFinding]:
    spdx = doc.format is SbomFormat.SPDX
    out: list[QualityFinding] = []
    if not doc.authors:
        tools = f" (only tools are named: {', '.join(doc.tools)})" if doc.tools else ""
        out.append(
            QualityFinding(
                "missing-author",
                IssueSeverity.WARNING,
                f"no author of the SBOM data{tools}",
                "add 'Creator: Organization: <name>'" if spdx else "add metadata.authors",
                element=NtiaElement.AUTHOR,
            )
        )
    if doc.timestamp is None:
        out.append(
            QualityFinding(
                "missing-timestamp",
                IssueSeverity.WARNING,
                "no valid creation timestamp",
                "add 'Created: <ISO 8601>'" if spdx else "add metadata.timestamp (ISO 8601)",
                element=NtiaElement.TIMESTAMP,
            )
        )
    if count == 0:
        out.append(
            QualityFinding(
                "no-components",
                IssueSeverity.ERROR,
                "the document lists no components",
                "list the components of the product",
            )
        )
    elif count > 1 and not has_graph:
        out.append(
            QualityFinding(
                "no-dependencies",
                IssueSeverity.WARNING,
                "the document declares no dependency relationships",
                "add DEPENDS_ON/CONTAINS relationships" if spdx else "add a dependencies section",
                element=NtiaElement.DEPENDENCY,
            )
        )
    if doc.subject is None and not spdx:
        out.append(
            QualityFinding(
                "missing-subject",
                IssueSeverity.INFO,
                "the document does not say which product it describes",
                "add metadata.component with the product's name, version and supplier",
            )
        )
    return out


def assess(doc: SbomDocument) -> QualityReport:
    """Check ``doc`` against the NTIA minimum elements and the identifier rules."""
    components = list(doc.all_components())
    in_graph: set[str] = set()
    for dep in doc.dependencies:
        in_graph.add(dep.ref)
        in_graph.update(dep.depends_on)
    has_graph = bool(doc.dependencies) or any(c.parent for c in components)
    order = {c.bom_ref: i for i, c in enumerate(components)}
    findings = _document_findings(doc, len(components), has_graph)
    findings += _issue_findings(doc)
    for comp in components:
        linked = (
            len(components) == 1
            or comp.bom_ref in in_graph
            or comp.parent is not None
            or any(c.parent == comp.bom_ref for c in components)
        )
        # without any graph the document-level finding says it once
        findings += ntia_component_checks(doc, comp, linked or not has_graph)
        findings += identifier_checks(comp)
    findings.sort(
        key=lambda f: (
            -1 if f.component_ref is None else order.get(f.component_ref, len(order)),
            _SEVERITY_RANK[f.severity],
            f.code,
            f.message,
        )
    )
    return QualityReport(
        source=doc.source,
        format=doc.format,
        spec_version=doc.spec_version,
        component_count=len(components),
        findings=tuple(findings),
        factors=_factors(doc, components, findings, has_graph),
    )


def _factors(
    doc: SbomDocument,
    components: list[Component],
    findings: list[QualityFinding],
    has_graph: bool,
) -> tuple[ScoreFactor, ...]:
    total = len(components)
    missing: dict[NtiaElement, set[str]] = {e: set() for e in NtiaElement}
    bad_ids: set[str] = set()
    for f in findings:
        if f.component_ref is None:
            continue
        if f.code.startswith("missing-") and f.element is not None:
            missing[f.element].add(f.component_ref)
        elif f.code in _IDENTIFIER_CODES and f.severity is not IssueSeverity.INFO:
            bad_ids.add(f.component_ref)
    if total > 1 and not has_graph:
        missing[NtiaElement.DEPENDENCY] = {c.bom_ref for c in components}
    factors = []
    for element in (
        NtiaElement.SUPPLIER,
        NtiaElement.NAME,
        NtiaElement.VERSION,
        NtiaElement.IDENTIFIER,
        NtiaElement.DEPENDENCY,
    ):
        have = total - len(missing[element])
        value = have / total if total else 0.0
        factors.append(
            ScoreFactor(
                f"ntia:{element.value}", _WEIGHTS[element], value, f"{have} of {total} components"
            )
        )
    factors.append(
        ScoreFactor(
            "ntia:author",
            _WEIGHTS[NtiaElement.AUTHOR],
            1.0 if doc.authors else 0.0,
            ", ".join(doc.authors) or "no author",
        )
    )
    factors.append(
        ScoreFactor(
            "ntia:timestamp",
            _WEIGHTS[NtiaElement.TIMESTAMP],
            1.0 if doc.timestamp else 0.0,
            doc.timestamp.isoformat() if doc.timestamp else "no timestamp",
        )
    )
    clean = total - len(bad_ids)
    factors.append(
        ScoreFactor(
            "identifiers:quality",
            IDENTIFIER_QUALITY_WEIGHT,
            clean / total if total else 0.0,
            f"{clean} of {total} components without identifier problems",
        )
    )
    return tuple(factors)
