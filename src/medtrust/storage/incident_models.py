"""ORM models of the incident workspace. Every row belongs to an organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from medtrust.storage.base import Base, utcnow


class Incident(Base):
    """An incident: its title and current facts document (rebuilt by replaying its log)."""

    __tablename__ = "incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    facts: Mapped[dict[str, Any]] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class IncidentLogEntry(Base):
    """One append-only, hash-chained entry of an incident's log."""

    __tablename__ = "incident_log_entry"
    __table_args__ = (UniqueConstraint("incident_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    seq: Mapped[int] = mapped_column()
    at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class IncidentObligationState(Base):
    """What was recorded about one obligation of an incident (by obligation key)."""

    __tablename__ = "incident_obligation_state"
    __table_args__ = (UniqueConstraint("incident_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    key: Mapped[str] = mapped_column(String(500))
    draft: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    drafted_at: Mapped[datetime | None] = mapped_column(default=None)
    drafted_by: Mapped[str | None] = mapped_column(String(320), default=None)
    submission_reference: Mapped[str | None] = mapped_column(String(300), default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledgement_reference: Mapped[str | None] = mapped_column(String(300), default=None)
    not_applicable_grounds: Mapped[str | None] = mapped_column(Text, default=None)


class IncidentEvidence(Base):
    """A file (stored with its SHA-256) or a link attached to an incident or an obligation."""

    __tablename__ = "incident_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    obligation_key: Mapped[str | None] = mapped_column(String(500), default=None)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(100), default=None)
    size: Mapped[int | None] = mapped_column(default=None)
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    url: Mapped[str | None] = mapped_column(String(2000), default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[str] = mapped_column(String(320))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
