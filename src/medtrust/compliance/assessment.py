"""The assessment engine: evidence + catalogues + crosswalk -> a status per requirement (pure).

For every evidence item (except context) the engine follows the crosswalk from the item's anchor
node to each framework being assessed (:func:`~medtrust.compliance.inference.infer_in`, at most
``max_hops`` mappings). Each arrival is a :class:`Contribution` carrying the evidence and the path.
Per assessable requirement:

* **not applicable** — declared so, or every contribution says not applicable;
* **covered** — at least one positive contribution through a path of confidence at least
  ``covered_min_confidence`` and no negative or review contribution;
* **partly** — some positive or review contribution, but also evidence against it, or support
  only through weak paths;
* **gap** — no contribution at all, or only negative ones.

The engine knows nothing of MDS2, SBOMs or certificates: it serves any evidence source (product
assessment now; organisation self-assessment later). Output order is stable: frameworks in the
order asked, requirements in catalogue order, contributions by signal, confidence and id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from medtrust.compliance.evidence import Evidence, Signal
from medtrust.compliance.gaps import Closer, ClosingAction, ReachCache, closing_actions, short_path
from medtrust.compliance.library import Library
from medtrust.compliance.model import InferredMapping, Node


class Status(StrEnum):
    """How far the evidence meets a requirement."""

    COVERED = "covered"
    PARTLY = "partly"
    GAP = "gap"
    NOT_APPLICABLE = "not-applicable"


_SIGNAL_ORDER = {
    Signal.POSITIVE: 0,
    Signal.REVIEW: 1,
    Signal.NEGATIVE: 2,
    Signal.NOT_APPLICABLE: 3,
    Signal.CONTEXT: 4,
}


DEFAULT_MAX_HOPS = 3
DEFAULT_COVERED_MIN_CONFIDENCE = 0.4


@dataclass(frozen=True, slots=True)
class Policy:
    """The knobs of the status rules (stated in every report)."""

    max_hops: int = DEFAULT_MAX_HOPS
    #: a positive contribution must reach the requirement at least this strongly to cover it
    covered_min_confidence: float = DEFAULT_COVERED_MIN_CONFIDENCE


@dataclass(frozen=True, slots=True)
class Contribution:
    """One evidence item arriving at a requirement, directly or through the crosswalk."""

    evidence: Evidence
    #: None when the evidence speaks to the requirement itself
    mapping: InferredMapping | None

    @property
    def confidence(self) -> float:
        """1.0 for direct evidence, else the path confidence."""
        return 1.0 if self.mapping is None else self.mapping.confidence

    def via(self, library: Library) -> str:
        """``direct`` or the mapping path in short form."""
        return "direct" if self.mapping is None else short_path(self.mapping, library)

    def sort_key(self) -> tuple[int, float, str]:
        """Signal order, then strongest first, then evidence id."""
        return (_SIGNAL_ORDER[self.evidence.signal], -self.confidence, self.evidence.id)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form with the full path explanation."""
        return {
            "evidence": self.evidence.as_dict(),
            "confidence": self.confidence,
            "relation": self.mapping.relation.value if self.mapping else "direct",
            "path": self.mapping.explain() if self.mapping else "direct",
            "hops": [m.explain() for m in self.mapping.path] if self.mapping else [],
        }


@dataclass(frozen=True, slots=True)
class RequirementResult:
    """The status of one requirement, why, the evidence behind it and what would close it."""

    requirement: Node
    status: Status
    reason: str
    contributions: tuple[Contribution, ...]
    closing: tuple[ClosingAction, ...] = ()

    def with_signal(self, signal: Signal) -> tuple[Contribution, ...]:
        """The contributions of one signal, in order."""
        return tuple(c for c in self.contributions if c.evidence.signal is signal)

    def as_dict(self, library: Library) -> dict[str, Any]:
        """JSON-ready form."""
        node = self.requirement
        return {
            "framework": node.framework,
            "urn": node.urn,
            "ref_id": node.ref_id,
            "name": node.name,
            "description": node.description,
            "source": node.source,
            "status": self.status.value,
            "reason": self.reason,
            "contributions": [{**c.as_dict(), "via": c.via(library)} for c in self.contributions],
            "closing": [a.as_dict() for a in self.closing],
        }


@dataclass(frozen=True)
class Assessment:
    """Per-requirement results for the frameworks asked, with the evidence they rest on."""

    frameworks: tuple[str, ...]
    results: tuple[RequirementResult, ...]
    evidence: tuple[Evidence, ...]
    policy: Policy
    as_of: date
    subject: str = ""
    notes: tuple[str, ...] = field(default=())

    def gaps(self) -> tuple[RequirementResult, ...]:
        """Requirements with status gap or partly, in report order."""
        return tuple(r for r in self.results if r.status in (Status.GAP, Status.PARTLY))

    def summary(self) -> dict[str, dict[str, int]]:
        """Framework -> status -> count (every status listed, stable order)."""
        out: dict[str, dict[str, int]] = {}
        for framework in self.frameworks:
            counts = Counter(r.status for r in self.results if r.requirement.framework == framework)
            out[framework] = {s.value: counts.get(s, 0) for s in Status}
        return out

    def as_dict(self, library: Library) -> dict[str, Any]:
        """JSON-ready form (stable order)."""
        return {
            "subject": self.subject,
            "as_of": self.as_of.isoformat(),
            "frameworks": list(self.frameworks),
            "policy": {
                "max_hops": self.policy.max_hops,
                "covered_min_confidence": self.policy.covered_min_confidence,
            },
            "summary": self.summary(),
            "notes": list(self.notes),
            "results": [r.as_dict(library) for r in self.results],
            "evidence": [e.as_dict() for e in self.evidence],
        }


def _contributions(
    evidence: Sequence[Evidence], frameworks: Sequence[str], reach: ReachCache
) -> dict[str, list[Contribution]]:
    library = reach.library
    wanted = set(frameworks)
    out: dict[str, list[Contribution]] = {}
    for item in evidence:
        if item.signal is Signal.CONTEXT or not library.has_node(item.start):
            continue
        direct = {u for u in (item.subject, item.start) if library.node(u).framework in wanted}
        for urn in sorted(direct):
            out.setdefault(urn, []).append(Contribution(item, None))
        for framework in frameworks:
            for mapping in reach(item.start, framework):
                if mapping.target not in direct:
                    out.setdefault(mapping.target, []).append(Contribution(item, mapping))
    return out


def judge(
    contributions: Sequence[Contribution], policy: Policy, declared_na: str | None = None
) -> tuple[Status, str]:
    """The status of one requirement and the sentence saying why."""
    if declared_na:
        return Status.NOT_APPLICABLE, declared_na
    if not contributions:
        return Status.GAP, "No evidence reaches this requirement."
    count = Counter(c.evidence.signal for c in contributions)
    pos, neg, rev, na = (
        count[s] for s in (Signal.POSITIVE, Signal.NEGATIVE, Signal.REVIEW, Signal.NOT_APPLICABLE)
    )
    if na and not (pos or neg or rev):
        return Status.NOT_APPLICABLE, f"All {na} evidence item(s) reaching it say not applicable."
    best = max(
        (c.confidence for c in contributions if c.evidence.signal is Signal.POSITIVE), default=0.0
    )
    tally = f"{pos} supporting, {neg} against, {rev} to review"
    if pos and not (neg or rev):
        if best >= policy.covered_min_confidence:
            return Status.COVERED, f"{tally}; strongest support at confidence {best:.2f}."
        return (
            Status.PARTLY,
            f"{tally}; support only through weak mappings (best confidence {best:.2f} < "
            f"{policy.covered_min_confidence:.2f}).",
        )
    if pos or rev:
        return Status.PARTLY, f"{tally}."
    return Status.GAP, f"{tally}: nothing supports it."


def assess(
    evidence: Iterable[Evidence],
    frameworks: Sequence[str],
    *,
    library: Library,
    policy: Policy | None = None,
    as_of: date,
    not_applicable: Mapping[str, str] | None = None,
    closers: Sequence[Closer] = (),
    skip_closers: frozenset[str] = frozenset(),
    subject: str = "",
    notes: Sequence[str] = (),
) -> Assessment:
    """Assess every assessable requirement of ``frameworks`` against ``evidence``."""
    active = policy or Policy()
    items = tuple(sorted(set(evidence), key=lambda e: e.id))
    order = tuple(dict.fromkeys(frameworks))
    for framework in order:
        library.framework(framework)
    reach = ReachCache(library, active.max_hops)
    arrivals = _contributions(items, order, reach)
    declared = dict(not_applicable or {})
    results: list[RequirementResult] = []
    for framework in order:
        for node in library.framework(framework).assessable():
            found = tuple(sorted(arrivals.get(node.urn, ()), key=Contribution.sort_key))
            status, reason = judge(found, active, declared.get(node.urn))
            closing: tuple[ClosingAction, ...] = ()
            if status in (Status.GAP, Status.PARTLY):
                remedies = [
                    (c.evidence.kind, c.evidence.remedy, c.via(library))
                    for c in found
                    if c.evidence.signal in (Signal.NEGATIVE, Signal.REVIEW)
                ]
                closing = closing_actions(node.urn, remedies, closers, reach, skip=skip_closers)
            results.append(RequirementResult(node, status, reason, found, closing))
    return Assessment(
        frameworks=order,
        results=tuple(results),
        evidence=items,
        policy=active,
        as_of=as_of,
        subject=subject,
        notes=tuple(notes),
    )
