"""Multi-hop inference over the crosswalk graph.

Starting from one requirement, every simple path of at most ``max_hops`` mapping edges (stated or
inverse) that ends in the target framework is a candidate. Its relation is the composition of the
hops' relations (:func:`medtrust.compliance.relation.compose_all`) and its confidence is the
product of the hops' weights (:data:`medtrust.compliance.relation.HOP_WEIGHT`): 1.0 for
``equal``, 0.8 for ``subset``/``superset``, 0.5 for ``intersect``. So a path of equal hops keeps
confidence 1.0 and each non-equal hop weakens it. For each target node the best path is kept:
highest confidence, then fewest hops, then the lexicographically smallest path (stable output).
"""

from __future__ import annotations

from medtrust.compliance.library import Library, packaged_library
from medtrust.compliance.model import InferredMapping, Mapping
from medtrust.compliance.relation import compose_all, path_confidence

DEFAULT_MAX_HOPS = 3


def _path_key(path: tuple[Mapping, ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple((m.source, m.target, m.mapping_set) for m in path)


def _better(candidate: InferredMapping, current: InferredMapping | None) -> bool:
    if current is None:
        return True
    mine = (-candidate.confidence, candidate.hops, _path_key(candidate.path))
    theirs = (-current.confidence, current.hops, _path_key(current.path))
    return mine < theirs


def infer_in(
    library: Library,
    source_urn: str,
    target_framework: str,
    max_hops: int = DEFAULT_MAX_HOPS,
) -> tuple[InferredMapping, ...]:
    """Relations from ``source_urn`` to nodes of ``target_framework`` in ``library``.

    Results are sorted by falling confidence, then hops, then target URN.
    """
    if max_hops < 1:
        raise ValueError("max_hops must be at least 1")
    library.node(source_urn)
    library.framework(target_framework)
    best: dict[str, InferredMapping] = {}
    stack: list[tuple[str, tuple[Mapping, ...], frozenset[str]]] = [
        (source_urn, (), frozenset({source_urn}))
    ]
    while stack:
        urn, path, visited = stack.pop()
        for edge in library.mappings_from(urn):
            if edge.target in visited:
                continue
            new_path = (*path, edge)
            if library.node(edge.target).framework == target_framework:
                relations = [m.relation for m in new_path]
                candidate = InferredMapping(
                    source=source_urn,
                    target=edge.target,
                    relation=compose_all(relations),
                    confidence=path_confidence(relations),
                    path=new_path,
                )
                if _better(candidate, best.get(edge.target)):
                    best[edge.target] = candidate
            if len(new_path) < max_hops:
                stack.append((edge.target, new_path, visited | {edge.target}))
    return tuple(sorted(best.values(), key=lambda r: (-r.confidence, r.hops, r.target)))


def infer(
    source_urn: str,
    target_framework: str,
    max_hops: int = DEFAULT_MAX_HOPS,
    *,
    library: Library | None = None,
) -> tuple[InferredMapping, ...]:
    """Relations from a requirement to a framework, over at most ``max_hops`` mappings.

    Uses the packaged library unless another ``library`` is given. Each result carries its path
    and can explain itself (:meth:`InferredMapping.explain`).
    """
    return infer_in(library or packaged_library(), source_urn, target_framework, max_hops)
