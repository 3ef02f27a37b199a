"""Requirement catalogues and crosswalks as pure, immutable domain objects."""

from __future__ import annotations

from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from datetime import date

from medtrust.compliance.relation import Relation

URN_PREFIX = "urn:medtrust:req:"


@dataclass(frozen=True, slots=True)
class Node:
    """One requirement (or grouping heading) of a catalogue, addressed by its URN."""

    urn: str
    framework: str
    #: the identifier exactly as the source writes it, e.g. ``17.2`` or ``Art. 21(2)(d)``
    ref_id: str
    #: a short title (a fact, such as a control name) or medtrust's own short label
    name: str
    #: medtrust's own paraphrase; never the source's text
    description: str
    parent: str | None
    depth: int
    order: int
    assessable: bool
    #: where the requirement is stated (article, annex, clause)
    source: str
    note: str | None = None
    #: False when the identifier or structure could not be checked against the primary source
    verified: bool = True


@dataclass(frozen=True)
class Framework:
    """A catalogue: a regulation, guidance or standard as a flat list of parent-linked nodes."""

    id: str
    urn: str
    ref_id: str
    name: str
    version: str
    publication_date: date | None
    licence: str
    source: str
    provider: str
    note: str | None
    nodes: tuple[Node, ...]
    #: the file it came from, or ``derived:<what>`` for catalogues built from other data
    origin: str
    _by_urn: MappingType[str, Node] = field(repr=False, compare=False, default_factory=dict)

    def get(self, urn: str) -> Node | None:
        """The node with this URN, or None."""
        return self._by_urn.get(urn)

    def __contains__(self, urn: object) -> bool:
        return urn in self._by_urn

    def children(self, urn: str | None) -> tuple[Node, ...]:
        """Direct children of a node (``None``: the top-level nodes), in catalogue order."""
        return tuple(n for n in self.nodes if n.parent == urn)

    def assessable(self) -> tuple[Node, ...]:
        """The nodes that state a requirement (not mere headings), in catalogue order."""
        return tuple(n for n in self.nodes if n.assessable)


@dataclass(frozen=True, slots=True, order=True)
class Mapping:
    """One crosswalk edge: how the source requirement relates to the target requirement."""

    source: str
    target: str
    relation: Relation
    rationale: str
    #: id of the mapping set that states it
    mapping_set: str
    #: True when this edge was derived by reading a stated mapping backwards
    inverse: bool = False

    def inverted(self) -> Mapping:
        """The same statement read from target to source."""
        return Mapping(
            source=self.target,
            target=self.source,
            relation=self.relation.inverse(),
            rationale=self.rationale,
            mapping_set=self.mapping_set,
            inverse=not self.inverse,
        )

    def explain(self) -> str:
        """One line: ``source -[relation]-> target (set, stated|inverse)``."""
        how = "inverse of stated" if self.inverse else "stated"
        return f"{self.source} -[{self.relation.value}]-> {self.target} ({self.mapping_set}, {how})"


@dataclass(frozen=True)
class MappingSet:
    """A file of mappings from one framework to another."""

    id: str
    name: str
    version: str
    publication_date: date | None
    licence: str
    provider: str
    source_framework: str
    target_framework: str
    note: str | None
    mappings: tuple[Mapping, ...]
    origin: str


@dataclass(frozen=True, slots=True)
class InferredMapping:
    """A relation found by following up to ``max_hops`` mappings, with its path."""

    source: str
    target: str
    relation: Relation
    confidence: float
    path: tuple[Mapping, ...]

    @property
    def hops(self) -> int:
        """Number of mappings followed."""
        return len(self.path)

    def explain(self) -> str:
        """Human-readable derivation: each hop, the composed relation and the confidence."""
        steps = " ; ".join(m.explain() for m in self.path)
        factors = " x ".join(m.relation.value for m in self.path)
        return (
            f"{self.source} -> {self.target}: {self.relation.value} "
            f"(confidence {self.confidence:.4f} from {factors}) via {steps}"
        )
