"""``--fail-on`` thresholds."""

from __future__ import annotations

from medtrust.domain.vex import VexStatus
from medtrust.matching.model import ComponentRef, Confidence, Cvss, Evidence, Finding, MatchMethod
from medtrust.matching.policy import FailOn, failing

_REF = ComponentRef("s.json", "c", "c", "1.0", None, None)
_EVIDENCE = Evidence(
    "CVE-1",
    VexStatus.AFFECTED,
    MatchMethod.CPE,
    Confidence.EXACT,
    "x",
    "y",
    "1.0",
    "all",
    "nvd",
    "d",
    "nvd:CVE-1",
)


def _finding(
    score: float | None, status: VexStatus = VexStatus.AFFECTED, kev: bool = False
) -> Finding:
    cvss = None if score is None else Cvss("3.1", "CVSS:3.1/AV:N", score, "nvd")
    return Finding(_REF, f"CVE-{score}", (), status, "x", (_EVIDENCE,), cvss=cvss, kev=kev)


def test_thresholds() -> None:
    findings = [_finding(9.8), _finding(5.0), _finding(2.0), _finding(None)]
    assert len(failing(findings, FailOn.CRITICAL)) == 1
    assert len(failing(findings, FailOn.HIGH)) == 1
    assert len(failing(findings, FailOn.MEDIUM)) == 2
    assert len(failing(findings, FailOn.LOW)) == 4  # unrated counts at the most cautious level


def test_vex_statuses_never_fail_and_kev() -> None:
    findings = [_finding(9.8, VexStatus.NOT_AFFECTED, kev=True), _finding(1.0, kev=True)]
    assert [f.cvss.score for f in failing(findings, FailOn.KEV) if f.cvss] == [1.0]
    assert failing(findings, FailOn.CRITICAL) == []
