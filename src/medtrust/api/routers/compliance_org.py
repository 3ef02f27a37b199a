"""Organisation self-assessment, certificates register and shared-responsibility matrix.

Included into the compliance router (prefix ``/compliance``). Everything is scoped to the
caller's organisation: another organisation's answer or certificate id answers 404 exactly like
an id that does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from medtrust.api.deps import Context, CurrentPrincipal
from medtrust.compliance.org_views import (
    coverage_dict,
    matrix_dict,
    projections_dict,
    remaining_dict,
)
from medtrust.services import compliance as svc
from medtrust.storage.repositories.compliance import CertificateFields, StoredAnswer

router = APIRouter()

AsOf = Annotated[date | None, Query(description="Validity on this date (default today)")]


class AnswerIn(BaseModel):
    """A self-assessment answer to one requirement."""

    urn: str = Field(min_length=5, max_length=300, examples=["urn:medtrust:req:nis2:21.2.c"])
    status: str = Field(description="implemented, partly, not-implemented or not-applicable")
    evidence: str = Field(default="", description="Evidence text and links")
    owner: str = Field(default="", description="Who owns the measure")


class CertificateIn(BaseModel):
    """A certificate held by the organisation."""

    standard: str = Field(min_length=2, examples=["ISO/IEC 27001"])
    scope: str = ""
    issuer: str = ""
    number: str = ""
    valid_from: date | None = None
    valid_until: date | None = None

    def fields(self) -> CertificateFields:
        """As repository fields."""
        return CertificateFields(
            standard=self.standard,
            scope=self.scope,
            issuer=self.issuer,
            number=self.number,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
        )


def _stored_answer(answer: StoredAnswer) -> dict[str, Any]:
    return {
        "id": answer.id,
        "urn": answer.urn,
        "status": answer.status,
        "evidence": answer.evidence,
        "owner": answer.owner,
        "updated_at": answer.updated_at.isoformat(),
        "updated_by": answer.updated_by,
    }


@router.get("/org/answers")
def list_answers(ctx: Context, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    """The organisation's self-assessment answers, by URN."""
    return [_stored_answer(a) for a in svc.list_answers(ctx, principal)]


@router.put("/org/answers")
def save_answer(ctx: Context, principal: CurrentPrincipal, body: AnswerIn) -> dict[str, Any]:
    """Create or replace the answer to one requirement (audited)."""
    saved = svc.save_answer(
        ctx, principal, urn=body.urn, status=body.status, evidence=body.evidence, owner=body.owner
    )
    return _stored_answer(saved)


@router.delete("/org/answers/{answer_id}", status_code=204)
def delete_answer(ctx: Context, principal: CurrentPrincipal, answer_id: int) -> Response:
    """Remove an answer (audited)."""
    svc.delete_answer(ctx, principal, answer_id)
    return Response(status_code=204)


@router.get("/org/assessment")
def org_assessment(ctx: Context, principal: CurrentPrincipal) -> dict[str, Any]:
    """NIS2 Art. 21 statuses projected onto ISO/IEC 27001 Annex A and GDPR Art. 32, with paths."""
    return projections_dict(svc.org_assessment(ctx, principal).projections)


@router.get("/certificates")
def list_certificates(
    ctx: Context, principal: CurrentPrincipal, as_of: AsOf = None
) -> list[dict[str, Any]]:
    """Certificates held, each with the requirements it covers (derived, not stored)."""
    views = svc.list_certificates(ctx, principal, as_of=as_of or date.today())
    return [coverage_dict(v.coverage) for v in views]


@router.post("/certificates", status_code=201)
def add_certificate(
    ctx: Context, principal: CurrentPrincipal, body: CertificateIn
) -> dict[str, Any]:
    """Register a certificate (audited)."""
    stored = svc.add_certificate(ctx, principal, body.fields())
    view = svc.get_certificate(ctx, principal, stored.id, as_of=date.today())
    return coverage_dict(view.coverage)


@router.get("/certificates/remaining")
def remaining(
    ctx: Context,
    principal: CurrentPrincipal,
    framework: Annotated[str, Query(description="Framework id, e.g. nis2")],
    as_of: AsOf = None,
) -> dict[str, Any]:
    """What of a framework the valid certificates already cover or reach, and what remains."""
    items = svc.remaining_requirements(ctx, principal, framework, as_of=as_of or date.today())
    return remaining_dict(framework, items)


@router.get("/certificates/{certificate_id}")
def get_certificate(
    ctx: Context, principal: CurrentPrincipal, certificate_id: int, as_of: AsOf = None
) -> dict[str, Any]:
    """One certificate with its coverage."""
    view = svc.get_certificate(ctx, principal, certificate_id, as_of=as_of or date.today())
    return coverage_dict(view.coverage)


@router.put("/certificates/{certificate_id}")
def update_certificate(
    ctx: Context, principal: CurrentPrincipal, certificate_id: int, body: CertificateIn
) -> dict[str, Any]:
    """Replace a certificate's fields (audited)."""
    svc.update_certificate(ctx, principal, certificate_id, body.fields())
    view = svc.get_certificate(ctx, principal, certificate_id, as_of=date.today())
    return coverage_dict(view.coverage)


@router.delete("/certificates/{certificate_id}", status_code=204)
def delete_certificate(ctx: Context, principal: CurrentPrincipal, certificate_id: int) -> Response:
    """Remove a certificate (audited)."""
    svc.delete_certificate(ctx, principal, certificate_id)
    return Response(status_code=204)


@router.get("/responsibility/{disclosure_id}")
def responsibility(ctx: Context, principal: CurrentPrincipal, disclosure_id: int) -> dict[str, Any]:
    """Shared-responsibility matrix for the device a stored MDS2 disclosure describes."""
    return matrix_dict(svc.responsibility(ctx, principal, disclosure_id))
