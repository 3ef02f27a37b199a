"""JSON-ready views of the self-assessment, certificates and responsibility matrix.

Shared by the API and the HTML pages' JSON twins; pure (no I/O), stable order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from medtrust.compliance.certificates import Coverage, RemainingItem, remaining_counts
from medtrust.compliance.model import InferredMapping, Node
from medtrust.compliance.org_assessment import (
    PROJECTION_RULES,
    Answer,
    FrameworkProjection,
    RequirementStatus,
)
from medtrust.compliance.responsibility import CapabilityRow, ResponsibilityMatrix


def node_dict(node: Node) -> dict[str, Any]:
    """URN, identifier and title of a requirement."""
    return {"urn": node.urn, "ref_id": node.ref_id, "name": node.name, "framework": node.framework}


def path_dict(mapping: InferredMapping) -> dict[str, Any]:
    """An inferred mapping with its hops."""
    return {
        "source": mapping.source,
        "target": mapping.target,
        "relation": mapping.relation.value,
        "confidence": mapping.confidence,
        "explanation": mapping.explain(),
        "hops": [
            {
                "source": m.source,
                "target": m.target,
                "relation": m.relation.value,
                "mapping_set": m.mapping_set,
                "inverse": m.inverse,
            }
            for m in mapping.path
        ],
    }


def answer_dict(answer: Answer) -> dict[str, Any]:
    """A self-assessment answer."""
    return {
        "urn": answer.urn,
        "status": answer.status.value,
        "evidence": answer.evidence,
        "owner": answer.owner,
        "updated_at": answer.updated_at.isoformat() if answer.updated_at else None,
        "updated_by": answer.updated_by,
    }


def requirement_status_dict(item: RequirementStatus) -> dict[str, Any]:
    """One requirement's status with where it comes from."""
    return {
        "requirement": node_dict(item.node),
        "status": item.status.value if item.status else None,
        "origin": item.origin,
        "explanation": item.explanation,
        "direct": answer_dict(item.direct) if item.direct else None,
        "from": [
            {
                "answer": answer_dict(c.answer),
                "carried_as": c.carried.value,
                "path": path_dict(c.mapping),
            }
            for c in item.contributions
        ],
    }


def projections_dict(projections: Iterable[FrameworkProjection]) -> dict[str, Any]:
    """Every framework's requirement statuses plus the projection rules."""
    return {
        "rules": list(PROJECTION_RULES),
        "frameworks": [
            {
                "framework": p.framework_id,
                "name": p.framework_name,
                "counts": p.counts(),
                "requirements": [requirement_status_dict(r) for r in p.requirements],
            }
            for p in projections
        ],
    }


def coverage_dict(cov: Coverage) -> dict[str, Any]:
    """A certificate with its derived coverage."""
    cert = cov.certificate
    return {
        "id": cert.id,
        "standard": cert.standard,
        "scope": cert.scope,
        "issuer": cert.issuer,
        "number": cert.number,
        "valid_from": cert.valid_from.isoformat() if cert.valid_from else None,
        "valid_until": cert.valid_until.isoformat() if cert.valid_until else None,
        "framework": cov.framework_id,
        "valid": cov.valid,
        "covered_requirements": list(cov.covered),
        "explanation": cov.explanation,
    }


def remaining_dict(framework_id: str, items: Iterable[RemainingItem]) -> dict[str, Any]:
    """What certificates already give each requirement of a framework."""
    listed = list(items)
    return {
        "framework": framework_id,
        "counts": remaining_counts(listed),
        "requirements": [
            {
                "requirement": node_dict(i.node),
                "state": i.state.value,
                "certificates": list(i.certificates),
                "explanation": i.explanation,
                "path": path_dict(i.path) if i.path else None,
            }
            for i in listed
        ],
    }


def capability_dict(row: CapabilityRow) -> dict[str, Any]:
    """One capability row of the responsibility matrix."""
    return {
        "capability": node_dict(row.capability),
        "party": row.party.value,
        "manufacturer_provides": list(row.provided),
        "left_open": list(row.open),
        "unknown": list(row.unknown),
        "not_applicable": list(row.not_applicable),
        "hospital_action": row.hospital_action,
    }


def matrix_dict(matrix: ResponsibilityMatrix) -> dict[str, Any]:
    """The whole responsibility matrix."""
    return {
        "device": matrix.device,
        "party_counts": matrix.party_counts(),
        "capabilities": [capability_dict(r) for r in matrix.capabilities],
        "operator_measures": [requirement_status_dict(r) for r in matrix.operator_measures],
    }
