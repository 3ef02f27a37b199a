"""Organisation self-assessment, certificates register and shared-responsibility use cases.

Answers and certificates are stored per organisation; everything derived from them (projected
statuses, covered requirements, what remains of a framework, the responsibility matrix) is
computed on read from the packaged catalogues and mappings. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.compliance.certificates import (
    Certificate,
    Coverage,
    RemainingItem,
    coverage,
    remaining,
)
from medtrust.compliance.data_files import product_evidence_rules
from medtrust.compliance.library import packaged_library
from medtrust.compliance.org_assessment import (
    Answer,
    AnswerStatus,
    FrameworkProjection,
    project_answers,
)
from medtrust.compliance.responsibility import ResponsibilityMatrix, responsibility_matrix
from medtrust.domain.tenancy import Principal, Role
from medtrust.errors import InputError, NotFoundError
from medtrust.mds2.compare import stance
from medtrust.services.context import ServiceContext, require_role
from medtrust.services.disclosures import get_disclosure
from medtrust.storage.repositories.audit import AuditRepository
from medtrust.storage.repositories.compliance import (
    AnswerRepository,
    CertificateFields,
    CertificateRepository,
    StoredAnswer,
    StoredCertificate,
)

MAX_EVIDENCE = 10_000
MAX_SHORT = 200


class ComplianceInputError(InputError):
    """A self-assessment answer or certificate that cannot be stored as given."""


@dataclass(frozen=True, slots=True)
class OrgAssessment:
    """The organisation's answers and their projection onto every target framework."""

    answers: tuple[StoredAnswer, ...]
    projections: tuple[FrameworkProjection, ...]


@dataclass(frozen=True, slots=True)
class CertificateView:
    """A stored certificate with what it covers today."""

    stored: StoredCertificate
    coverage: Coverage


def _domain_answer(stored: StoredAnswer) -> Answer:
    return Answer(
        urn=stored.urn,
        status=AnswerStatus(stored.status),
        evidence=stored.evidence,
        owner=stored.owner,
        updated_at=stored.updated_at,
        updated_by=stored.updated_by,
    )


def _domain_certificate(stored: StoredCertificate) -> Certificate:
    return Certificate(
        id=stored.id,
        standard=stored.standard,
        scope=stored.scope,
        issuer=stored.issuer,
        number=stored.number,
        valid_from=stored.valid_from,
        valid_until=stored.valid_until,
    )


def _short(value: str, what: str, *, limit: int = MAX_SHORT) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise ComplianceInputError(f"{what} is longer than {limit} characters")
    return text


# --- self-assessment -------------------------------------------------------------------------


def list_answers(ctx: ServiceContext, principal: Principal) -> list[StoredAnswer]:
    """Every answer of the principal's organisation, by URN."""
    with ctx.transaction() as session:
        return AnswerRepository(session, principal.organisation_id).list()


def save_answer(
    ctx: ServiceContext,
    principal: Principal,
    *,
    urn: str,
    status: str,
    evidence: str = "",
    owner: str = "",
) -> StoredAnswer:
    """Create or replace the organisation's answer to one assessable requirement."""
    require_role(principal, Role.EDITOR)
    library = packaged_library()
    if not library.has_node(urn) or not library.node(urn).assessable:
        raise ComplianceInputError(f"not an assessable requirement: {urn}")
    try:
        parsed = AnswerStatus(status)
    except ValueError:
        allowed = ", ".join(s.value for s in AnswerStatus)
        raise ComplianceInputError(f"unknown status {status!r} (allowed: {allowed})") from None
    if len(evidence) > MAX_EVIDENCE:
        raise ComplianceInputError(f"evidence is longer than {MAX_EVIDENCE} characters")
    owner = _short(owner, "owner")
    with ctx.transaction() as session:
        saved, previous = AnswerRepository(session, principal.organisation_id).upsert(
            urn=urn,
            status=parsed.value,
            evidence=evidence.strip(),
            owner=owner,
            actor=principal.user.email,
        )
        AuditRepository(session, principal.organisation_id).record(
            actor_user_id=principal.user.id,
            action="compliance.answer.save",
            object_type="compliance_answer",
            object_id=str(saved.id),
            summary=f"answered {urn}: {parsed.label}",
            detail={
                "urn": urn,
                "status": parsed.value,
                "previous_status": previous.status if previous else None,
                "owner": owner,
            },
        )
    return saved


def delete_answer(ctx: ServiceContext, principal: Principal, answer_id: int) -> None:
    """Remove one answer; NotFoundError for absent ids and other tenants' ids alike."""
    require_role(principal, Role.EDITOR)
    with ctx.transaction() as session:
        gone = AnswerRepository(session, principal.organisation_id).delete(answer_id)
        if gone is None:
            raise NotFoundError(f"no answer {answer_id}")
        AuditRepository(session, principal.organisation_id).record(
            actor_user_id=principal.user.id,
            action="compliance.answer.delete",
            object_type="compliance_answer",
            object_id=str(answer_id),
            summary=f"removed the answer to {gone.urn}",
            detail={"urn": gone.urn, "status": gone.status},
        )


def org_assessment(ctx: ServiceContext, principal: Principal) -> OrgAssessment:
    """Answers and their projection onto NIS2, ISO/IEC 27001 Annex A and GDPR Art. 32."""
    answers = tuple(list_answers(ctx, principal))
    projections = project_answers(packaged_library(), (_domain_answer(a) for a in answers))
    return OrgAssessment(answers=answers, projections=projections)


# --- certificates ----------------------------------------------------------------------------


def _fields(fields: CertificateFields) -> CertificateFields:
    standard = _short(fields.standard, "standard")
    if len(standard) < 2:
        raise ComplianceInputError("standard is required, e.g. 'ISO/IEC 27001'")
    if fields.valid_from and fields.valid_until and fields.valid_until < fields.valid_from:
        raise ComplianceInputError("valid until is before valid from")
    return CertificateFields(
        standard=standard,
        scope=_short(fields.scope, "scope", limit=MAX_EVIDENCE),
        issuer=_short(fields.issuer, "issuer"),
        number=_short(fields.number, "number"),
        valid_from=fields.valid_from,
        valid_until=fields.valid_until,
    )


def _view(stored: StoredCertificate, as_of: date) -> CertificateView:
    cov = coverage(
        _domain_certificate(stored),
        product_evidence_rules().certificates,
        packaged_library(),
        as_of=as_of,
    )
    return CertificateView(stored=stored, coverage=cov)


def list_certificates(
    ctx: ServiceContext, principal: Principal, *, as_of: date
) -> list[CertificateView]:
    """Every certificate of the organisation with what it covers on ``as_of``."""
    with ctx.transaction() as session:
        rows = CertificateRepository(session, principal.organisation_id).list()
    return [_view(r, as_of) for r in rows]


def get_certificate(
    ctx: ServiceContext, principal: Principal, certificate_id: int, *, as_of: date
) -> CertificateView:
    """One certificate; NotFoundError for absent ids and other tenants' ids alike."""
    with ctx.transaction() as session:
        row = CertificateRepository(session, principal.organisation_id).get(certificate_id)
    if row is None:
        raise NotFoundError(f"no certificate {certificate_id}")
    return _view(row, as_of)


def add_certificate(
    ctx: ServiceContext, principal: Principal, fields: CertificateFields
) -> StoredCertificate:
    """Register a certificate."""
    require_role(principal, Role.EDITOR)
    clean = _fields(fields)
    with ctx.transaction() as session:
        stored = CertificateRepository(session, principal.organisation_id).add(
            clean, actor=principal.user.email
        )
        _audit_certificate(session, principal, "add", stored)
    return stored


def update_certificate(
    ctx: ServiceContext, principal: Principal, certificate_id: int, fields: CertificateFields
) -> StoredCertificate:
    """Replace a certificate's fields; NotFoundError for other tenants' ids."""
    require_role(principal, Role.EDITOR)
    clean = _fields(fields)
    with ctx.transaction() as session:
        stored = CertificateRepository(session, principal.organisation_id).update(
            certificate_id, clean, actor=principal.user.email
        )
        if stored is None:
            raise NotFoundError(f"no certificate {certificate_id}")
        _audit_certificate(session, principal, "update", stored)
    return stored


def delete_certificate(ctx: ServiceContext, principal: Principal, certificate_id: int) -> None:
    """Remove a certificate; NotFoundError for other tenants' ids."""
    require_role(principal, Role.EDITOR)
    with ctx.transaction() as session:
        gone = CertificateRepository(session, principal.organisation_id).delete(certificate_id)
        if gone is None:
            raise NotFoundError(f"no certificate {certificate_id}")
        _audit_certificate(session, principal, "delete", gone)


def _audit_certificate(
    session: Session, principal: Principal, verb: str, stored: StoredCertificate
) -> None:
    AuditRepository(session, principal.organisation_id).record(
        actor_user_id=principal.user.id,
        action=f"compliance.certificate.{verb}",
        object_type="compliance_certificate",
        object_id=str(stored.id),
        summary=f"{verb} certificate {stored.standard}",
        detail={
            "standard": stored.standard,
            "number": stored.number,
            "issuer": stored.issuer,
            "valid_from": stored.valid_from.isoformat() if stored.valid_from else None,
            "valid_until": stored.valid_until.isoformat() if stored.valid_until else None,
        },
    )


def remaining_requirements(
    ctx: ServiceContext,
    principal: Principal,
    framework_id: str,
    *,
    as_of: date,
) -> tuple[RemainingItem, ...]:
    """What of ``framework_id`` the organisation's valid certificates already cover or reach."""
    views = list_certificates(ctx, principal, as_of=as_of)
    return remaining([v.coverage for v in views], packaged_library(), framework_id)


# --- shared responsibility -------------------------------------------------------------------


def responsibility(
    ctx: ServiceContext, principal: Principal, disclosure_id: int
) -> ResponsibilityMatrix:
    """The shared-responsibility matrix for the device a stored MDS2 disclosure describes."""
    stored = get_disclosure(ctx, principal, disclosure_id)
    catalogue = load_mds2_catalogue()
    stances = {q.id: stance(q, stored.form.answers.get(q.id)).value for q in catalogue.questions}
    answers = [_domain_answer(a) for a in list_answers(ctx, principal)]
    label = f"{stored.summary.product_version.label} (MDS2 revision {stored.summary.revision})"
    return responsibility_matrix(packaged_library(), label, stances, answers)
