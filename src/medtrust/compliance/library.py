"""The set of catalogues and mapping sets, indexed for look-up in both directions.

:func:`packaged_library` loads everything shipped under ``catalog/data/frameworks`` and
``catalog/data/mappings`` (plus the MDS2 catalogue adapter) once per process.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

from medtrust.compliance.errors import (
    ConflictingMappingError,
    DuplicateUrnError,
    UnknownFrameworkError,
    UnknownNodeError,
)
from medtrust.compliance.loader import parse_framework, parse_mapping_set, parse_yaml_text
from medtrust.compliance.mds2_adapter import (
    FRAMEWORK_ID as MDS2_FRAMEWORK_ID,
)
from medtrust.compliance.mds2_adapter import (
    TR_FRAMEWORK_ID,
    mds2_form_mappings,
    mds2_framework,
)
from medtrust.compliance.model import Framework, MappingSet, Node
from medtrust.compliance.model import Mapping as CrossMapping
from medtrust.errors import CatalogError

logger = logging.getLogger(__name__)

FRAMEWORKS_DIR = "frameworks"
MAPPINGS_DIR = "mappings"


@dataclass(frozen=True)
class Library:
    """Catalogues, mapping sets and a two-way index of mapping edges."""

    frameworks: Mapping[str, Framework]
    mapping_sets: tuple[MappingSet, ...]
    #: catalogues or mapping sets left out, each with the reason
    unavailable: tuple[str, ...] = ()
    _nodes: Mapping[str, Node] = field(repr=False, default_factory=dict)
    _from: Mapping[str, tuple[CrossMapping, ...]] = field(repr=False, default_factory=dict)
    _to: Mapping[str, tuple[CrossMapping, ...]] = field(repr=False, default_factory=dict)

    def framework(self, framework_id: str) -> Framework:
        """The framework with this id; raises :class:`UnknownFrameworkError`."""
        try:
            return self.frameworks[framework_id]
        except KeyError:
            raise UnknownFrameworkError(f"unknown framework: {framework_id}") from None

    def node(self, urn: str) -> Node:
        """The node with this URN; raises :class:`UnknownNodeError`."""
        try:
            return self._nodes[urn]
        except KeyError:
            raise UnknownNodeError(f"unknown requirement node: {urn}") from None

    def has_node(self, urn: str) -> bool:
        """Whether a node with this URN exists."""
        return urn in self._nodes

    def mappings_from(self, urn: str) -> tuple[CrossMapping, ...]:
        """Every edge leaving ``urn``: stated mappings and inverses of mappings into it."""
        self.node(urn)
        return self._from.get(urn, ())

    def mappings_to(self, urn: str) -> tuple[CrossMapping, ...]:
        """Every edge arriving at ``urn``: stated mappings and inverses of mappings from it."""
        self.node(urn)
        return self._to.get(urn, ())


def build_library(
    frameworks: Iterable[Framework],
    mapping_sets: Iterable[MappingSet],
    unavailable: Iterable[str] = (),
) -> Library:
    """Index frameworks and mapping sets; refuse duplicates and contradicting mappings."""
    by_id: dict[str, Framework] = {}
    nodes: dict[str, Node] = {}
    for framework in sorted(frameworks, key=lambda f: f.id):
        if framework.id in by_id:
            raise DuplicateUrnError(
                framework.origin, f"framework {framework.id}", "framework id used twice"
            )
        by_id[framework.id] = framework
        for node in framework.nodes:
            if node.urn in nodes:
                raise DuplicateUrnError(
                    framework.origin,
                    f"node {node.urn}",
                    f"URN also used in framework {nodes[node.urn].framework!r}",
                )
            nodes[node.urn] = node
    sets = tuple(sorted(mapping_sets, key=lambda s: s.id))
    edges: dict[tuple[str, str], CrossMapping] = {}
    for mapping_set in sets:
        for stated in mapping_set.mappings:
            for edge in (stated, stated.inverted()):
                _add_edge(edges, edge, mapping_set)
    out: dict[str, list[CrossMapping]] = {}
    into: dict[str, list[CrossMapping]] = {}
    for (source, target), edge in edges.items():
        out.setdefault(source, []).append(edge)
        into.setdefault(target, []).append(edge)
    return Library(
        frameworks=dict(sorted(by_id.items())),
        mapping_sets=sets,
        unavailable=tuple(sorted(unavailable)),
        _nodes=nodes,
        _from={k: tuple(sorted(v, key=_edge_key)) for k, v in sorted(out.items())},
        _to={k: tuple(sorted(v, key=_edge_key)) for k, v in sorted(into.items())},
    )


def _edge_key(edge: CrossMapping) -> tuple[str, str, bool, str]:
    return (edge.source, edge.target, edge.inverse, edge.mapping_set)


def _add_edge(
    edges: dict[tuple[str, str], CrossMapping], edge: CrossMapping, mapping_set: MappingSet
) -> None:
    key = (edge.source, edge.target)
    existing = edges.get(key)
    if existing is None:
        edges[key] = edge
        return
    if existing.relation is not edge.relation:
        stated = edge if not edge.inverse else edge.inverted()
        raise ConflictingMappingError(
            mapping_set.origin,
            f"mapping {stated.source} -> {stated.target}",
            f"relation {edge.relation.value} (read {edge.source} -> {edge.target}) contradicts "
            f"{existing.relation.value} from mapping set {existing.mapping_set!r}",
        )
    if existing.inverse and not edge.inverse:
        edges[key] = edge  # a stated mapping explains itself better than an inverse


def _packaged_yaml(directory: str) -> list[tuple[str, object]]:
    root = resources.files("medtrust.catalog").joinpath("data", directory)
    files = sorted(
        (entry for entry in root.iterdir() if entry.name.endswith(".yaml")),
        key=lambda entry: entry.name,
    )
    out: list[tuple[str, object]] = []
    for entry in files:
        where = f"catalog/data/{directory}/{entry.name}"
        out.append((where, parse_yaml_text(entry.read_text(encoding="utf-8"), where)))
    return out


def _load_mds2(frameworks: dict[str, Framework], unavailable: list[str]) -> MappingSet | None:
    """Add the MDS2 catalogue adapter when the MDS2 questionnaire can be loaded."""
    try:
        from medtrust.catalog.mds2 import load_mds2_catalogue

        catalogue = load_mds2_catalogue()
    except (ImportError, CatalogError) as exc:
        reason = f"{MDS2_FRAMEWORK_ID}: MDS2 questionnaire unavailable ({exc})"
        logger.warning(reason)
        unavailable.append(reason)
        return None
    framework = mds2_framework(
        catalogue,
        version=catalogue.catalogue_version,
        published=_as_date(catalogue.published),
    )
    frameworks[framework.id] = framework
    tr = frameworks.get(TR_FRAMEWORK_ID)
    if tr is None:
        return None
    codes = {node.ref_id: node.urn for node in tr.nodes}
    return mds2_form_mappings(catalogue, codes)


def _as_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@cache
def packaged_library() -> Library:
    """All packaged catalogues and mapping sets (validated; loaded once per process)."""
    frameworks: dict[str, Framework] = {}
    for where, data in _packaged_yaml(FRAMEWORKS_DIR):
        framework = parse_framework(data, where)
        if framework.id in frameworks:
            raise DuplicateUrnError(where, f"framework {framework.id}", "framework id used twice")
        frameworks[framework.id] = framework
    unavailable: list[str] = []
    sets: list[MappingSet] = []
    form_set = _load_mds2(frameworks, unavailable)
    if form_set is not None:
        sets.append(form_set)
    for where, data in _packaged_yaml(MAPPINGS_DIR):
        ends = (
            (data.get("source_framework"), data.get("target_framework"))
            if isinstance(data, dict)
            else ()
        )
        if MDS2_FRAMEWORK_ID in ends and MDS2_FRAMEWORK_ID not in frameworks:
            unavailable.append(f"{where}: skipped, needs the {MDS2_FRAMEWORK_ID} catalogue")
            continue
        sets.append(parse_mapping_set(data, where, frameworks))
    return build_library(frameworks.values(), sets, unavailable)


def list_frameworks() -> tuple[Framework, ...]:
    """Packaged frameworks, sorted by id."""
    return tuple(packaged_library().frameworks.values())


def get_framework(framework_id: str) -> Framework:
    """A packaged framework by id (raises :class:`UnknownFrameworkError`)."""
    return packaged_library().framework(framework_id)


def get_node(urn: str) -> Node:
    """A packaged requirement node by URN (raises :class:`UnknownNodeError`)."""
    return packaged_library().node(urn)


def mappings_from(urn: str) -> tuple[CrossMapping, ...]:
    """Mapping edges leaving a packaged node (stated and inverse), sorted."""
    return packaged_library().mappings_from(urn)


def mappings_to(urn: str) -> tuple[CrossMapping, ...]:
    """Mapping edges arriving at a packaged node (stated and inverse), sorted."""
    return packaged_library().mappings_to(urn)
