"""Self-assessment answers and certificates of one organisation."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from medtrust.storage.base import utcnow
from medtrust.storage.compliance_models import Certificate, ComplianceAnswer


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """A stored self-assessment answer."""

    id: int
    urn: str
    status: str
    evidence: str
    owner: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True, slots=True)
class StoredCertificate:
    """A stored certificate."""

    id: int
    standard: str
    scope: str
    issuer: str
    number: str
    valid_from: date | None
    valid_until: date | None
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True, slots=True)
class CertificateFields:
    """What a user enters for a certificate."""

    standard: str
    scope: str = ""
    issuer: str = ""
    number: str = ""
    valid_from: date | None = None
    valid_until: date | None = None


def _answer(row: ComplianceAnswer) -> StoredAnswer:
    return StoredAnswer(
        id=row.id,
        urn=row.urn,
        status=row.status,
        evidence=row.evidence,
        owner=row.owner,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def _certificate(row: Certificate) -> StoredCertificate:
    return StoredCertificate(
        id=row.id,
        standard=row.standard,
        scope=row.scope,
        issuer=row.issuer,
        number=row.number,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


class AnswerRepository:
    """Self-assessment answers of one organisation, one per requirement URN."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    def _row(self, urn: str) -> ComplianceAnswer | None:
        return self._session.scalars(
            select(ComplianceAnswer).where(
                ComplianceAnswer.organisation_id == self._org, ComplianceAnswer.urn == urn
            )
        ).one_or_none()

    def get(self, urn: str) -> StoredAnswer | None:
        """The answer to one requirement, or None."""
        row = self._row(urn)
        return _answer(row) if row else None

    def get_by_id(self, answer_id: int) -> StoredAnswer | None:
        """An answer by id, None when absent or another organisation's."""
        row = self._session.get(ComplianceAnswer, answer_id)
        return _answer(row) if row and row.organisation_id == self._org else None

    def list(self) -> builtins.list[StoredAnswer]:
        """Every answer, by URN."""
        rows = self._session.scalars(
            select(ComplianceAnswer)
            .where(ComplianceAnswer.organisation_id == self._org)
            .order_by(ComplianceAnswer.urn)
        )
        return [_answer(r) for r in rows]

    def upsert(
        self, *, urn: str, status: str, evidence: str, owner: str, actor: str
    ) -> tuple[StoredAnswer, StoredAnswer | None]:
        """Create or replace the answer to ``urn``; returns (new, previous)."""
        row = self._row(urn)
        previous = _answer(row) if row else None
        if row is None:
            row = ComplianceAnswer(organisation_id=self._org, urn=urn, updated_by=actor)
            self._session.add(row)
        row.status = status
        row.evidence = evidence
        row.owner = owner
        row.updated_at = utcnow()
        row.updated_by = actor
        self._session.flush()
        return _answer(row), previous

    def delete(self, answer_id: int) -> StoredAnswer | None:
        """Remove an answer by id; None when absent or another organisation's."""
        row = self._session.get(ComplianceAnswer, answer_id)
        if row is None or row.organisation_id != self._org:
            return None
        gone = _answer(row)
        self._session.delete(row)
        return gone


class CertificateRepository:
    """Certificates held by one organisation."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    def _row(self, certificate_id: int) -> Certificate | None:
        row = self._session.get(Certificate, certificate_id)
        return row if row is not None and row.organisation_id == self._org else None

    def get(self, certificate_id: int) -> StoredCertificate | None:
        """One certificate, None when absent or another organisation's."""
        row = self._row(certificate_id)
        return _certificate(row) if row else None

    def list(self) -> builtins.list[StoredCertificate]:
        """Every certificate, by standard then id."""
        rows = self._session.scalars(
            select(Certificate)
            .where(Certificate.organisation_id == self._org)
            .order_by(Certificate.standard, Certificate.id)
        )
        return [_certificate(r) for r in rows]

    def add(self, fields: CertificateFields, *, actor: str) -> StoredCertificate:
        """Store a new certificate."""
        row = Certificate(organisation_id=self._org, updated_by=actor)
        _apply(row, fields, actor)
        self._session.add(row)
        self._session.flush()
        return _certificate(row)

    def update(
        self, certificate_id: int, fields: CertificateFields, *, actor: str
    ) -> StoredCertificate | None:
        """Replace a certificate's fields; None when absent or another organisation's."""
        row = self._row(certificate_id)
        if row is None:
            return None
        _apply(row, fields, actor)
        self._session.flush()
        return _certificate(row)

    def delete(self, certificate_id: int) -> StoredCertificate | None:
        """Remove a certificate; None when absent or another organisation's."""
        row = self._row(certificate_id)
        if row is None:
            return None
        gone = _certificate(row)
        self._session.delete(row)
        return gone


def _apply(row: Certificate, fields: CertificateFields, actor: str) -> None:
    row.standard = fields.standard
    row.scope = fields.scope
    row.issuer = fields.issuer
    row.number = fields.number
    row.valid_from = fields.valid_from
    row.valid_until = fields.valid_until
    row.updated_at = utcnow()
    row.updated_by = actor
