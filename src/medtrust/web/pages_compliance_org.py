"""Hospital pages: NIS2 self-assessment, its projection, certificates register, responsibility.

Included into :mod:`medtrust.web.pages_compliance`. JSON twins live under
``/api/v1/compliance/org``, ``/certificates`` and ``/responsibility``. Every POST checks CSRF.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medtrust.compliance.certificates import remaining_counts
from medtrust.compliance.library import packaged_library
from medtrust.compliance.org_assessment import (
    PROJECTION_RULES,
    TARGET_FRAMEWORKS,
    AnswerStatus,
    source_requirements,
)
from medtrust.errors import InputError, NotFoundError
from medtrust.services import compliance as svc
from medtrust.services.disclosures import list_disclosures
from medtrust.storage.repositories.compliance import CertificateFields
from medtrust.web.rendering import render
from medtrust.web.security import PagePrincipal, check_csrf, page_context

router = APIRouter(include_in_schema=False)


FormStr = Annotated[str, Form()]


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/compliance/org", response_class=HTMLResponse)
def org_page(request: Request, principal: PagePrincipal) -> Response:
    """The NIS2 Art. 21 self-assessment form and the projection summary."""
    assessment = svc.org_assessment(page_context(request), principal)
    answers = {a.urn: a for a in assessment.answers}
    rows = [(node, answers.get(node.urn)) for node in source_requirements(packaged_library())]
    return render(
        request,
        "compliance_org.html",
        {
            "rows": rows,
            "statuses": list(AnswerStatus),
            "projections": assessment.projections,
            "targets": TARGET_FRAMEWORKS,
        },
    )


@router.post("/compliance/org/answers")
def save_answer(
    request: Request,
    principal: PagePrincipal,
    urn: FormStr,
    status: FormStr,
    csrf_token: FormStr = "",
    evidence: FormStr = "",
    owner: FormStr = "",
    back: FormStr = "/compliance/org",
) -> Response:
    """Save one answer, then return to the page it came from."""
    check_csrf(request, csrf_token)
    svc.save_answer(
        page_context(request), principal, urn=urn, status=status, evidence=evidence, owner=owner
    )
    target = back if back.startswith("/compliance/org") else "/compliance/org"
    return _see_other(target)


@router.post("/compliance/org/answers/{answer_id}/delete")
def delete_answer(
    request: Request, principal: PagePrincipal, answer_id: int, csrf_token: FormStr = ""
) -> Response:
    """Remove one answer."""
    check_csrf(request, csrf_token)
    svc.delete_answer(page_context(request), principal, answer_id)
    return _see_other("/compliance/org")


@router.get("/compliance/org/frameworks/{framework_id}", response_class=HTMLResponse)
def org_framework_page(request: Request, principal: PagePrincipal, framework_id: str) -> Response:
    """One framework's statuses: direct, projected (with answer and path) or open."""
    assessment = svc.org_assessment(page_context(request), principal)
    projection = next((p for p in assessment.projections if p.framework_id == framework_id), None)
    if projection is None:
        raise NotFoundError(f"no self-assessment view for framework {framework_id}")
    ids = {a.urn: a.id for a in assessment.answers}
    return render(
        request,
        "compliance_org_framework.html",
        {
            "projection": projection,
            "answer_ids": ids,
            "statuses": list(AnswerStatus),
            "rules": PROJECTION_RULES,
        },
    )


def _date(value: str, what: str) -> date | None:
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise svc.ComplianceInputError(f"{what}: not a date (YYYY-MM-DD): {text!r}") from None


def _fields(
    standard: str, scope: str, issuer: str, number: str, valid_from: str, valid_until: str
) -> CertificateFields:
    return CertificateFields(
        standard=standard,
        scope=scope,
        issuer=issuer,
        number=number,
        valid_from=_date(valid_from, "valid from"),
        valid_until=_date(valid_until, "valid until"),
    )


@router.get("/compliance/certificates", response_class=HTMLResponse)
def certificates_page(request: Request, principal: PagePrincipal, framework: str = "") -> Response:
    """Certificates held, what each covers, and what remains of a chosen framework."""
    ctx = page_context(request)
    today = date.today()
    views = svc.list_certificates(ctx, principal, as_of=today)
    items = svc.remaining_requirements(ctx, principal, framework, as_of=today) if framework else ()
    return render(
        request,
        "compliance_certificates.html",
        {
            "views": views,
            "today": today,
            "framework": framework,
            "frameworks": sorted(packaged_library().frameworks),
            "items": items,
            "counts": remaining_counts(items) if framework else {},
        },
    )


@router.post("/compliance/certificates")
def add_certificate(
    request: Request,
    principal: PagePrincipal,
    standard: FormStr,
    csrf_token: FormStr = "",
    scope: FormStr = "",
    issuer: FormStr = "",
    number: FormStr = "",
    valid_from: FormStr = "",
    valid_until: FormStr = "",
) -> Response:
    """Register a certificate."""
    check_csrf(request, csrf_token)
    fields = _fields(standard, scope, issuer, number, valid_from, valid_until)
    svc.add_certificate(page_context(request), principal, fields)
    return _see_other("/compliance/certificates")


@router.get("/compliance/certificates/{certificate_id}", response_class=HTMLResponse)
def certificate_page(request: Request, principal: PagePrincipal, certificate_id: int) -> Response:
    """One certificate: edit form and covered requirements."""
    view = svc.get_certificate(page_context(request), principal, certificate_id, as_of=date.today())
    library = packaged_library()
    covered = [library.node(urn) for urn in view.coverage.covered]
    return render(request, "compliance_org_certificate.html", {"view": view, "covered": covered})


@router.post("/compliance/certificates/{certificate_id}")
def update_certificate(
    request: Request,
    principal: PagePrincipal,
    certificate_id: int,
    standard: FormStr,
    csrf_token: FormStr = "",
    scope: FormStr = "",
    issuer: FormStr = "",
    number: FormStr = "",
    valid_from: FormStr = "",
    valid_until: FormStr = "",
) -> Response:
    """Change a certificate."""
    check_csrf(request, csrf_token)
    fields = _fields(standard, scope, issuer, number, valid_from, valid_until)
    svc.update_certificate(page_context(request), principal, certificate_id, fields)
    return _see_other(f"/compliance/certificates/{certificate_id}")


@router.post("/compliance/certificates/{certificate_id}/delete")
def delete_certificate(
    request: Request, principal: PagePrincipal, certificate_id: int, csrf_token: FormStr = ""
) -> Response:
    """Remove a certificate."""
    check_csrf(request, csrf_token)
    svc.delete_certificate(page_context(request), principal, certificate_id)
    return _see_other("/compliance/certificates")


@router.get("/compliance/responsibility", response_class=HTMLResponse)
def responsibility_page(
    request: Request, principal: PagePrincipal, disclosure: str = ""
) -> Response:
    """Pick a stored MDS2 disclosure; show the manufacturer/hospital responsibility matrix."""
    ctx = page_context(request)
    matrix = None
    if disclosure:
        try:
            disclosure_id = int(disclosure)
        except ValueError:
            raise InputError(f"not a disclosure id: {disclosure!r}") from None
        matrix = svc.responsibility(ctx, principal, disclosure_id)
    return render(
        request,
        "compliance_responsibility.html",
        {
            "disclosures": list_disclosures(ctx, principal),
            "selected": disclosure,
            "matrix": matrix,
        },
    )
