"""Certificates register: which requirements a held certificate already covers.

A certificate names a standard. When the designation is one of the packaged certificate rules
(``catalog/data/evidence/product.yaml``: ISO/IEC 27001, IEC 62443-4-1/4-2, IEC 81001-5-1) or a
framework id, the certificate covers every assessable requirement of that catalogue while it is
valid. Coverage is derived on every read, never stored, so a change of catalogue or mappings
changes it everywhere at once. A designation without a catalogue (e.g. an EU cybersecurity
certificate under Regulation (EU) 2019/881) covers nothing here, and :func:`coverage` says so.

:func:`remaining` answers "what is left of a new framework": each assessable requirement is
*covered* (the certificate's own catalogue), *reached* (through the crosswalk from a certified
requirement with confidence >= ``min_confidence``, the path shown), *weakly reached* (a weaker
path: review it) or *open*.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from medtrust.compliance.evidence_files import CertificateRule
from medtrust.compliance.inference import infer_in
from medtrust.compliance.library import Library
from medtrust.compliance.model import InferredMapping, Node

#: Same threshold as the product assessment (``assessment.DEFAULT_COVERED_MIN_CONFIDENCE``):
#: one subset plus one intersect hop.
DEFAULT_MIN_CONFIDENCE = 0.4
#: Paths from a certified requirement to another framework's requirement, at most this long.
REACH_HOPS = 2


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate held by an organisation, as the register stores it."""

    id: int
    standard: str
    scope: str = ""
    issuer: str = ""
    number: str = ""
    valid_from: date | None = None
    valid_until: date | None = None

    def valid_on(self, day: date) -> bool:
        """True when ``day`` lies in the validity period (open ends count as valid)."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until

    @property
    def label(self) -> str:
        """``ISO/IEC 27001 (no. 123, issuer X)``."""
        extra = ", ".join(
            p for p in (f"no. {self.number}" if self.number else "", self.issuer) if p
        )
        return f"{self.standard} ({extra})" if extra else self.standard


@dataclass(frozen=True, slots=True)
class Coverage:
    """What one certificate covers today."""

    certificate: Certificate
    framework_id: str | None
    valid: bool
    covered: tuple[str, ...]
    explanation: str


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def resolve_framework(
    standard: str, rules: Iterable[CertificateRule], library: Library
) -> str | None:
    """The catalogue a standard designation names (rule designations or a framework id)."""
    wanted = _norm(standard)
    for rule in rules:
        if wanted == _norm(rule.framework) or any(_norm(n) == wanted for n in rule.names):
            return rule.framework
    return wanted if wanted in library.frameworks else None


def coverage(
    certificate: Certificate,
    rules: Iterable[CertificateRule],
    library: Library,
    *,
    as_of: date,
) -> Coverage:
    """The requirements ``certificate`` covers on ``as_of``, with the reason."""
    framework_id = resolve_framework(certificate.standard, rules, library)
    valid = certificate.valid_on(as_of)
    if framework_id is None:
        return Coverage(
            certificate,
            None,
            valid,
            (),
            f"{certificate.standard!r} names no packaged catalogue, so it covers no requirement "
            "here; record its scope and keep it as evidence",
        )
    nodes = library.framework(framework_id).assessable()
    if not valid:
        return Coverage(
            certificate,
            framework_id,
            False,
            (),
            f"not valid on {as_of.isoformat()}: covers nothing until renewed",
        )
    return Coverage(
        certificate,
        framework_id,
        True,
        tuple(n.urn for n in nodes),
        f"a valid {certificate.standard} certificate counts for all {len(nodes)} requirements "
        f"of {framework_id}",
    )


class RemainingState(StrEnum):
    """How far held certificates take one requirement of a framework."""

    COVERED = "covered"
    REACHED = "reached"
    WEAK = "weakly-reached"
    OPEN = "open"


@dataclass(frozen=True, slots=True)
class RemainingItem:
    """One requirement of the framework under study and what already counts for it."""

    node: Node
    state: RemainingState
    certificates: tuple[int, ...]
    path: InferredMapping | None

    @property
    def explanation(self) -> str:
        """Why the requirement is in this state."""
        if self.state is RemainingState.COVERED:
            return "covered directly by a certificate of this standard"
        if self.path is None:
            return "no certificate reaches it: still to be done"
        return self.path.explain()


def _rank(mapping: InferredMapping) -> tuple[float, int, str]:
    """Strongest path first, then shortest, then by certified requirement (stable)."""
    return (-mapping.confidence, mapping.hops, mapping.source)


def remaining(
    coverages: Iterable[Coverage],
    library: Library,
    framework_id: str,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> tuple[RemainingItem, ...]:
    """Every assessable requirement of ``framework_id`` with what certificates already give it."""
    framework = library.framework(framework_id)
    direct: dict[str, list[int]] = {}
    best: dict[str, tuple[InferredMapping, list[int]]] = {}
    for cov in coverages:
        if not cov.valid or cov.framework_id is None:
            continue
        if cov.framework_id == framework_id:
            for urn in cov.covered:
                direct.setdefault(urn, []).append(cov.certificate.id)
            continue
        for urn in cov.covered:
            for mapping in infer_in(library, urn, framework_id, REACH_HOPS):
                held = best.get(mapping.target)
                if held is None or _rank(mapping) < _rank(held[0]):
                    best[mapping.target] = (mapping, [cov.certificate.id])
                elif _rank(mapping) == _rank(held[0]):
                    held[1].append(cov.certificate.id)
    out = []
    for node in framework.assessable():
        if node.urn in direct:
            ids = tuple(sorted(set(direct[node.urn])))
            out.append(RemainingItem(node, RemainingState.COVERED, ids, None))
        elif node.urn in best:
            mapping, ids_list = best[node.urn]
            state = (
                RemainingState.REACHED
                if mapping.confidence >= min_confidence
                else RemainingState.WEAK
            )
            out.append(RemainingItem(node, state, tuple(sorted(set(ids_list))), mapping))
        else:
            out.append(RemainingItem(node, RemainingState.OPEN, (), None))
    return tuple(out)


def remaining_counts(items: Iterable[RemainingItem]) -> dict[str, int]:
    """How many requirements are in each state, in state order."""
    out = {s.value: 0 for s in RemainingState}
    for item in items:
        out[item.state.value] += 1
    return out
