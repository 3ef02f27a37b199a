"""What would close a gap: the remedies of the evidence against a requirement, plus the kinds of
evidence that could reach it through the crosswalk (data-driven, never hand-written per clause).

A :class:`Closer` is one kind of evidence the user could add (a process from the evidence rules, a
certificate for a standard, an SBOM ...) with the requirement nodes it speaks to directly. For a
requirement that is not covered, every closer whose nodes reach the requirement within the hop
limit is offered, with the mapping that makes it count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from medtrust.compliance.evidence import EvidenceKind
from medtrust.compliance.evidence_files import ProductEvidenceFile
from medtrust.compliance.inference import infer_in
from medtrust.compliance.library import Library
from medtrust.compliance.model import InferredMapping, Node

#: at most this many closers are offered per requirement (the strongest first)
MAX_CLOSERS = 4


@dataclass(frozen=True, slots=True)
class Closer:
    """A kind of evidence that could be added, and the nodes it would speak to directly."""

    kind: EvidenceKind
    label: str
    remedy: str
    #: nodes it speaks to directly (empty: every node of ``framework``)
    subjects: frozenset[str]
    #: framework of the subjects; for certificates the certified standard
    framework: str


@dataclass(frozen=True, slots=True)
class ClosingAction:
    """One thing to do to close a gap, and why it would count."""

    kind: EvidenceKind | None
    action: str
    #: how the evidence would reach the requirement ("direct" or a mapping explanation)
    via: str

    def as_dict(self) -> dict[str, str | None]:
        """JSON-ready form."""
        return {
            "kind": self.kind.value if self.kind else None,
            "action": self.action,
            "via": self.via,
        }


def product_closers(rules: ProductEvidenceFile) -> tuple[Closer, ...]:
    """Closers from the product evidence rules: SBOM, each process, each certificate."""
    out: list[Closer] = []
    by_framework: dict[str, set[str]] = {}
    for link in rules.sbom.requirements:
        by_framework.setdefault(link.urn.split(":")[3], set()).add(link.urn)
    out.extend(
        Closer(EvidenceKind.SBOM, "SBOM", rules.sbom.remedies["missing"], frozenset(urns), fw)
        for fw, urns in sorted(by_framework.items())
    )
    for process in rules.processes:
        groups: dict[str, set[str]] = {}
        for link in process.requirements:
            groups.setdefault(link.urn.split(":")[3], set()).add(link.urn)
        out.extend(
            Closer(EvidenceKind.PROCESS, process.name, process.remedy, frozenset(urns), fw)
            for fw, urns in sorted(groups.items())
        )
    out.extend(
        Closer(
            EvidenceKind.CERTIFICATE,
            f"Certificate {c.names[0]}",
            c.remedy,
            frozenset(),
            c.framework,
        )
        for c in rules.certificates
    )
    return tuple(out)


def node_label(urn: str, library: Library) -> str:
    """Short label of a node: ``MDR Annex I 17.2``, ``MDS2 AUTH-1``, ``IEC 62443-4-1:2018 DM-1``."""
    node = library.node(urn)
    framework = library.framework(node.framework)
    if node.framework == "mds2-2019":
        return f"MDS2 {node.ref_id}"
    if framework.ref_id.startswith(("Regulation", "Directive")):
        annex = (
            " Annex I"
            if "Annex I" in framework.ref_id and not node.ref_id.startswith("Annex")
            else ""
        )
        return f"{framework.id.upper()}{annex} {node.ref_id}"
    return f"{framework.ref_id.split(',')[0]} {node.ref_id}"


def requirement_title(node: Node, limit: int = 90) -> str:
    """The node's name, or its description (shortened) when the name is only its identifier."""
    if node.name and node.name != node.ref_id:
        return node.name
    text = node.description
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def short_path(mapping: InferredMapping, library: Library) -> str:
    """``MDS2 AUTH-1 -[subset]-> IEC TR 80001-2-2:2012 AUTH -[subset]-> MDR Annex I 18.8 (..)``."""
    parts = [node_label(mapping.path[0].source, library)]
    parts += [
        f"-[{hop.relation.value}]-> {node_label(hop.target, library)}" for hop in mapping.path
    ]
    return f"{' '.join(parts)} (confidence {mapping.confidence:.2f})"


class ReachCache:
    """Memoised :func:`infer_in` over one library and hop limit (the library is not hashable)."""

    def __init__(self, library: Library, max_hops: int) -> None:
        self.library = library
        self.max_hops = max_hops
        self._memo: dict[tuple[str, str], tuple[InferredMapping, ...]] = {}

    def __call__(self, urn: str, framework: str) -> tuple[InferredMapping, ...]:
        """Best mappings from ``urn`` to each node of ``framework`` (sorted, as ``infer``)."""
        key = (urn, framework)
        if key not in self._memo:
            self._memo[key] = infer_in(self.library, urn, framework, self.max_hops)
        return self._memo[key]


def closing_actions(
    requirement: str,
    remedies: Iterable[tuple[EvidenceKind, str, str]],
    closers: Iterable[Closer],
    reach: ReachCache,
    *,
    skip: frozenset[str] = frozenset(),
) -> tuple[ClosingAction, ...]:
    """Remedies of the evidence against the requirement first, then closers that would reach it.

    ``remedies`` are ``(kind, remedy, via)`` from the contributions. Closers whose label is in
    ``skip`` (evidence of that kind was already supplied) are not offered again.
    """
    library = reach.library
    out: list[ClosingAction] = []
    seen: set[str] = set()
    for kind, remedy, via in remedies:
        if remedy and remedy not in seen:
            seen.add(remedy)
            out.append(ClosingAction(kind, remedy, via))
    offered: dict[str, tuple[float, ClosingAction]] = {}
    node = library.node(requirement)
    for closer in closers:
        if closer.label in skip or closer.remedy in seen:
            continue
        action = f"{closer.label}: {closer.remedy}"
        if node.framework == closer.framework and (
            not closer.subjects or requirement in closer.subjects
        ):
            candidate = (1.0, ClosingAction(closer.kind, action, "direct"))
        else:
            paths = [
                m
                for m in reach(requirement, closer.framework)
                if not closer.subjects or m.target in closer.subjects
            ]
            if not paths:
                continue
            candidate = (
                paths[0].confidence,
                ClosingAction(closer.kind, action, short_path(paths[0], library)),
            )
        current = offered.get(action)
        if current is None or candidate[0] > current[0]:
            offered[action] = candidate
    ranked = sorted(offered.values(), key=lambda item: (-item[0], item[1].action))
    out.extend(action for _, action in ranked[:MAX_CLOSERS])
    if not out:
        label = node_label(requirement, library)
        out.append(
            ClosingAction(
                EvidenceKind.DECLARATION,
                f"Document how {label} is met: no MDS2 question, SBOM, process or certificate "
                "known to medtrust's crosswalk reaches it. Or declare it not applicable, with "
                "the reason.",
                "direct",
            )
        )
    return tuple(out)
