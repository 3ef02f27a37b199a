"""Matching results: hits (engine output), evidence (a hit explained) and findings.

Both engines produce the same :class:`Hit` values for the same input; everything after that
(configurations, alias merge, statuses, VEX) is shared code, so the differential test compares
hits and findings directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from medtrust.domain.vex import VexStatus


class Confidence(StrEnum):
    """How sure a match is (``docs/matching.md`` has the rules)."""

    EXACT = "exact"  # an identifier (purl/CPE) matched and a version range was evaluated
    STRONG = "strong"  # identifier with all versions / no version; or vendor+product+version
    WEAK = "weak"  # vendor+product with a version statement or component version not usable


CONFIDENCE_RANK = {Confidence.EXACT: 0, Confidence.STRONG: 1, Confidence.WEAK: 2}


class MatchMethod(StrEnum):
    """What kind of identifier matched."""

    PURL = "purl"
    CPE = "cpe"
    CSAF_PRODUCT = "csaf-product"
    VEX = "vex"


METHOD_RANK = {
    MatchMethod.PURL: 0,
    MatchMethod.CPE: 1,
    MatchMethod.CSAF_PRODUCT: 2,
    MatchMethod.VEX: 3,
}


@dataclass(frozen=True, slots=True, order=True)
class Hit:
    """A component matched a target: the engines' common output.

    ``broad`` is true when the target's range covers every version (so the match says nothing
    about the component's version); ``version`` is the component version that was evaluated.
    """

    component: int
    target_id: int
    confidence: Confidence
    broad: bool
    version: str | None

    def sort_key(self) -> tuple[int, int]:
        """Order of hits: component, then target (a pair hits at most once)."""
        return self.component, self.target_id


@dataclass(frozen=True, slots=True)
class ComponentRef:
    """The component a finding is about, as the SBOM names it."""

    sbom: str
    bom_ref: str
    name: str
    version: str | None
    purl: str | None
    cpe: str | None
    serial: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """One hit, explained: what matched what, in which range, from which source."""

    vulnerability_id: str
    status: VexStatus
    method: MatchMethod
    confidence: Confidence
    identifier: str
    matched_on: str
    version: str | None
    range_text: str
    source: str
    document: str
    record_key: str
    broad: bool = False
    platform: str | None = None

    def sort_key(self) -> tuple[int, int, int, str, str, str]:
        """Best evidence first: confidence, then specific ranges, then method, then text."""
        return (
            CONFIDENCE_RANK[self.confidence],
            int(self.broad),
            METHOD_RANK[self.method],
            self.source,
            self.identifier,
            self.record_key,
        )

    def detail(self) -> str:
        """One line a reviewer can check."""
        version = f"version {self.version}" if self.version else "no usable version"
        text = (
            f"{self.matched_on} matched {self.identifier} [{self.range_text}] with {version}"
            f" ({self.source} {self.document}: {self.vulnerability_id} {self.status.value})"
        )
        if self.platform:
            text += f"; configuration requires {self.platform}, present"
        return text


@dataclass(frozen=True, slots=True)
class Cvss:
    """The CVSS rating shown for a finding."""

    version: str
    vector: str
    score: float
    source: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One vulnerability of one component, with every piece of evidence and its status."""

    component: ComponentRef
    vulnerability: str
    aliases: tuple[str, ...]
    status: VexStatus
    status_source: str
    evidence: tuple[Evidence, ...]
    justification: str | None = None
    detail: str | None = None
    cvss: Cvss | None = None
    kev: bool = False
    kev_date_added: str | None = None
    epss: float | None = None
    epss_percentile: float | None = None
    cwes: tuple[str, ...] = ()
    summary: str = ""

    @property
    def match(self) -> Evidence:
        """The best piece of evidence."""
        return self.evidence[0]

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source and document the finding rests on, sorted."""
        return tuple(sorted({f"{e.source}:{e.document}" for e in self.evidence}))

    @property
    def severity(self) -> str:
        """CVSS qualitative rating (FIRST CVSS v3.1 specification, section 5), or unknown."""
        if self.cvss is None:
            return "unknown"
        score = self.cvss.score
        if score >= 9.0:
            return "critical"
        if score >= 7.0:
            return "high"
        if score >= 4.0:
            return "medium"
        if score > 0.0:
            return "low"
        return "none"

    def sort_key(self) -> tuple[str, str, str, str]:
        """Stable output order: SBOM, component, version, vulnerability."""
        return (
            self.component.sbom,
            self.component.bom_ref,
            self.component.name,
            self.vulnerability,
        )


ACTIVE_STATUSES = frozenset({VexStatus.AFFECTED, VexStatus.UNDER_INVESTIGATION})
