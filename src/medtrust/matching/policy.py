"""``--fail-on``: which findings make a scan fail.

Only findings whose status is affected or under_investigation count (a VEX not_affected or fixed
never fails a build). ``low``/``medium``/``high``/``critical`` compare the finding's CVSS
qualitative severity (FIRST CVSS v3.1 specification, section 5: low 0.1-3.9, medium 4.0-6.9,
high 7.0-8.9, critical 9.0-10.0) with the threshold; a finding without any CVSS rating counts
as unknown and fails only ``--fail-on low``, so an unrated vulnerability is never silently
passed at the most cautious setting. ``kev`` counts findings in CISA's KEV catalog.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from medtrust.matching.model import ACTIVE_STATUSES, Finding

_RANK = {"none": 0, "unknown": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


class FailOn(StrEnum):
    """Thresholds of ``--fail-on``."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"
    KEV = "kev"


def failing(findings: Iterable[Finding], threshold: FailOn) -> list[Finding]:
    """The active findings at or above the threshold."""
    active = [f for f in findings if f.status in ACTIVE_STATUSES]
    if threshold is FailOn.KEV:
        return [f for f in active if f.kev]
    if threshold is FailOn.LOW:
        return [f for f in active if f.severity != "none"]
    floor = _RANK[threshold.value]
    return [f for f in active if _RANK[f.severity] >= floor]
