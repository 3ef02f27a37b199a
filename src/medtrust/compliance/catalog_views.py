"""JSON-ready views of catalogues, nodes, mappings and inference (shared by CLI, API and web)."""

from __future__ import annotations

from typing import Any

from medtrust.compliance.inference import infer_in
from medtrust.compliance.library import Library


def frameworks_view(library: Library) -> dict[str, Any]:
    """Every framework and mapping set, sorted by id."""
    return {
        "frameworks": [
            {
                "id": f.id,
                "urn": f.urn,
                "ref_id": f.ref_id,
                "name": f.name,
                "version": f.version,
                "nodes": len(f.nodes),
                "assessable": len(f.assessable()),
            }
            for f in library.frameworks.values()
        ],
        "mapping_sets": [
            {
                "id": s.id,
                "name": s.name,
                "source_framework": s.source_framework,
                "target_framework": s.target_framework,
                "mappings": len(s.mappings),
            }
            for s in library.mapping_sets
        ],
        "unavailable": list(library.unavailable),
    }


def framework_view(library: Library, framework_id: str) -> dict[str, Any]:
    """One framework with its nodes in catalogue order."""
    f = library.framework(framework_id)
    return {
        "id": f.id,
        "urn": f.urn,
        "ref_id": f.ref_id,
        "name": f.name,
        "version": f.version,
        "publication_date": f.publication_date.isoformat() if f.publication_date else None,
        "source": f.source,
        "licence": f.licence,
        "provider": f.provider,
        "note": f.note,
        "nodes": [
            {
                "urn": n.urn,
                "ref_id": n.ref_id,
                "name": n.name,
                "description": n.description,
                "parent": n.parent,
                "depth": n.depth,
                "assessable": n.assessable,
                "verified": n.verified,
                "mappings": len(library.mappings_from(n.urn)),
            }
            for n in f.nodes
        ],
    }


def node_view(library: Library, urn: str) -> dict[str, Any]:
    """One node with its direct mappings (stated and inverse), each explained."""
    n = library.node(urn)
    return {
        "urn": n.urn,
        "framework": n.framework,
        "ref_id": n.ref_id,
        "name": n.name,
        "description": n.description,
        "source": n.source,
        "parent": n.parent,
        "assessable": n.assessable,
        "verified": n.verified,
        "note": n.note,
        "mappings": [
            {
                "target": m.target,
                "target_framework": library.node(m.target).framework,
                "target_ref_id": library.node(m.target).ref_id,
                "relation": m.relation.value,
                "rationale": m.rationale,
                "mapping_set": m.mapping_set,
                "inverse": m.inverse,
                "explain": m.explain(),
            }
            for m in library.mappings_from(urn)
        ],
    }


def inference_view(library: Library, urn: str, target: str, max_hops: int) -> dict[str, Any]:
    """Inferred relations from a node to a framework, each with its path."""
    results = infer_in(library, urn, target, max_hops)
    return {
        "source": urn,
        "target_framework": target,
        "max_hops": max_hops,
        "results": [
            {
                "target": r.target,
                "target_ref_id": library.node(r.target).ref_id,
                "target_name": library.node(r.target).name,
                "relation": r.relation.value,
                "confidence": r.confidence,
                "hops": r.hops,
                "path": [m.explain() for m in r.path],
                "explain": r.explain(),
            }
            for r in results
        ],
    }
