"""Incidents, their hash-chained logs, obligation states and evidence, per organisation."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from medtrust.incidents.chain import LogRecord, next_record
from medtrust.incidents.records import EvidenceItem, IncidentRecord, ObligationState
from medtrust.storage.incident_models import (
    Incident,
    IncidentEvidence,
    IncidentLogEntry,
    IncidentObligationState,
)


def _record(row: Incident) -> IncidentRecord:
    return IncidentRecord(
        id=row.id,
        organisation_id=row.organisation_id,
        title=row.title,
        facts=dict(row.facts),
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
    )


def _state(row: IncidentObligationState) -> ObligationState:
    return ObligationState(
        key=row.key,
        draft=dict(row.draft) if row.draft is not None else None,
        drafted_at=row.drafted_at,
        drafted_by=row.drafted_by,
        submission_reference=row.submission_reference,
        acknowledged_at=row.acknowledged_at,
        acknowledgement_reference=row.acknowledgement_reference,
        not_applicable_grounds=row.not_applicable_grounds,
    )


def _evidence(row: IncidentEvidence) -> EvidenceItem:
    return EvidenceItem(
        id=row.id,
        obligation_key=row.obligation_key,
        kind=row.kind,
        name=row.name,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        url=row.url,
        note=row.note,
        added_at=row.added_at,
        added_by=row.added_by,
    )


@dataclass(frozen=True, slots=True)
class NewEvidence:
    """What is stored for a new piece of evidence."""

    obligation_key: str | None
    kind: str
    name: str
    media_type: str | None
    size: int | None
    sha256: str | None
    content: bytes | None
    url: str | None
    note: str


class IncidentRepository:
    """The incident workspace data of one organisation."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    # incidents -------------------------------------------------------------------------------

    def add(self, *, title: str, facts: Mapping[str, Any], created_by: str, at: datetime) -> int:
        """Store a new incident; returns its id."""
        row = Incident(
            organisation_id=self._org,
            title=title,
            facts=dict(facts),
            created_by=created_by,
            created_at=at,
            updated_at=at,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def _row(self, incident_id: int, *, lock: bool = False) -> Incident | None:
        stmt = select(Incident).where(
            Incident.organisation_id == self._org, Incident.id == incident_id
        )
        if lock:
            stmt = stmt.with_for_update()
        return self._session.scalar(stmt)

    def get(self, incident_id: int, *, lock: bool = False) -> IncidentRecord | None:
        """An incident of this organisation (locked for update when asked), or None."""
        row = self._row(incident_id, lock=lock)
        return _record(row) if row is not None else None

    def list(self) -> builtins.list[IncidentRecord]:
        """Incidents, newest first."""
        rows = self._session.scalars(
            select(Incident)
            .where(Incident.organisation_id == self._org)
            .order_by(Incident.created_at.desc(), Incident.id.desc())
        )
        return [_record(r) for r in rows]

    def set_facts(self, incident_id: int, facts: Mapping[str, Any], *, at: datetime) -> None:
        """Replace the facts document."""
        row = self._row(incident_id)
        if row is not None:
            row.facts = dict(facts)
            row.updated_at = at

    # log -------------------------------------------------------------------------------------

    def log(self, incident_id: int) -> builtins.list[LogRecord]:
        """The incident's log in ``seq`` order."""
        rows = self._session.scalars(
            select(IncidentLogEntry)
            .where(
                IncidentLogEntry.organisation_id == self._org,
                IncidentLogEntry.incident_id == incident_id,
            )
            .order_by(IncidentLogEntry.seq)
        )
        return [
            LogRecord(r.seq, r.at, r.actor, r.kind, dict(r.payload), r.prev_hash, r.hash)
            for r in rows
        ]

    def append(
        self, incident_id: int, *, at: datetime, actor: str, kind: str, payload: Mapping[str, Any]
    ) -> LogRecord:
        """Chain a new entry to the newest one (the caller holds the incident row lock)."""
        last = self._session.scalar(
            select(IncidentLogEntry)
            .where(
                IncidentLogEntry.organisation_id == self._org,
                IncidentLogEntry.incident_id == incident_id,
            )
            .order_by(IncidentLogEntry.seq.desc())
            .limit(1)
        )
        previous = (
            None
            if last is None
            else LogRecord(
                last.seq, last.at, last.actor, last.kind, last.payload, last.prev_hash, last.hash
            )
        )
        record = next_record(previous, at=at, actor=actor, kind=kind, payload=payload)
        self._session.add(
            IncidentLogEntry(
                organisation_id=self._org,
                incident_id=incident_id,
                seq=record.seq,
                at=record.at,
                actor=record.actor,
                kind=record.kind,
                payload=dict(record.payload),
                prev_hash=record.prev_hash,
                hash=record.hash,
            )
        )
        self._session.flush()
        return record

    # obligation states -----------------------------------------------------------------------

    def states(self, incident_id: int) -> builtins.list[ObligationState]:
        """Recorded obligation states, by key."""
        rows = self._session.scalars(
            select(IncidentObligationState)
            .where(
                IncidentObligationState.organisation_id == self._org,
                IncidentObligationState.incident_id == incident_id,
            )
            .order_by(IncidentObligationState.key)
        )
        return [_state(r) for r in rows]

    def update_state(self, incident_id: int, key: str, **changes: Any) -> ObligationState:
        """Create or update the state of one obligation key with ``changes`` (column values)."""
        row = self._session.scalar(
            select(IncidentObligationState).where(
                IncidentObligationState.organisation_id == self._org,
                IncidentObligationState.incident_id == incident_id,
                IncidentObligationState.key == key,
            )
        )
        if row is None:
            row = IncidentObligationState(
                organisation_id=self._org, incident_id=incident_id, key=key
            )
            self._session.add(row)
        for column, value in changes.items():
            if not hasattr(IncidentObligationState, column) or column in ("id", "key"):
                raise ValueError(f"not an obligation-state column: {column}")
            setattr(row, column, value)
        self._session.flush()
        return _state(row)

    # evidence --------------------------------------------------------------------------------

    def add_evidence(self, incident_id: int, new: NewEvidence, *, by: str, at: datetime) -> int:
        """Store a file or link; returns its id."""
        row = IncidentEvidence(
            organisation_id=self._org,
            incident_id=incident_id,
            obligation_key=new.obligation_key,
            kind=new.kind,
            name=new.name,
            media_type=new.media_type,
            size=new.size,
            sha256=new.sha256,
            content=new.content,
            url=new.url,
            note=new.note,
            added_by=by,
            added_at=at,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def evidence(self, incident_id: int) -> builtins.list[EvidenceItem]:
        """Evidence of the incident, oldest first."""
        rows = self._session.scalars(
            select(IncidentEvidence)
            .where(
                IncidentEvidence.organisation_id == self._org,
                IncidentEvidence.incident_id == incident_id,
            )
            .order_by(IncidentEvidence.id)
        )
        return [_evidence(r) for r in rows]

    def evidence_content(
        self, incident_id: int, evidence_id: int
    ) -> tuple[EvidenceItem, bytes | None] | None:
        """One piece of evidence with its stored bytes, or None."""
        row = self._session.scalar(
            select(IncidentEvidence).where(
                IncidentEvidence.organisation_id == self._org,
                IncidentEvidence.incident_id == incident_id,
                IncidentEvidence.id == evidence_id,
            )
        )
        return (_evidence(row), row.content) if row is not None else None
