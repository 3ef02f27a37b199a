"""JSON renderings (stable key order as built, two-space indent)."""

from __future__ import annotations

import json

from medtrust.compliance.applicability import ApplicabilityReport
from medtrust.compliance.assessment import Assessment
from medtrust.compliance.library import Library


def assessment_json(assessment: Assessment, library: Library) -> str:
    """The full assessment: summary, every requirement with contributions and paths, evidence."""
    return json.dumps(assessment.as_dict(library), indent=2, ensure_ascii=False) + "\n"


def applicability_json(report: ApplicabilityReport) -> str:
    """Applicability verdicts as JSON."""
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
