"""Append-only audit trail, per organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from medtrust.storage import models


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audited change."""

    id: int
    at: datetime
    actor_user_id: int | None
    action: str
    object_type: str
    object_id: str | None
    summary: str
    detail: dict[str, Any]


class AuditRepository:
    """Audit events of one organisation."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    def record(
        self,
        *,
        actor_user_id: int | None,
        action: str,
        object_type: str,
        object_id: str | None,
        summary: str,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append an event."""
        self._session.add(
            models.AuditEvent(
                organisation_id=self._org,
                actor_user_id=actor_user_id,
                action=action,
                object_type=object_type,
                object_id=object_id,
                summary=summary,
                detail=detail or {},
            )
        )

    def list(self, *, limit: int = 200) -> list[AuditEntry]:
        """Newest events first."""
        rows = self._session.scalars(
            select(models.AuditEvent)
            .where(models.AuditEvent.organisation_id == self._org)
            .order_by(models.AuditEvent.id.desc())
            .limit(limit)
        )
        return [
            AuditEntry(
                id=r.id,
                at=r.at,
                actor_user_id=r.actor_user_id,
                action=r.action,
                object_type=r.object_type,
                object_id=r.object_id,
                summary=r.summary,
                detail=dict(r.detail),
            )
            for r in rows
        ]
