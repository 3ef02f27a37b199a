"""Stored incident workspace data as pure domain types (repositories map rows to these)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

#: a draft field value: text (yes/no fields hold "yes", "no" or "unknown"), codes, or empty
DraftValue = str | list[str] | None


class LogKind(StrEnum):
    """What a log entry records."""

    OPENED = "opened"
    FACT = "fact"
    DECISION = "decision"
    SUBMISSION = "submission"
    ACKNOWLEDGEMENT = "acknowledgement"
    APPLICABILITY = "applicability"
    DRAFT = "draft"
    EVIDENCE = "evidence"
    NOTE = "note"
    REMINDER = "reminder"


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """An incident as stored: a title and the current facts document (facts-file shape)."""

    id: int
    organisation_id: int
    title: str
    facts: Mapping[str, Any]
    created_at: datetime
    created_by: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ObligationState:
    """What people recorded about one obligation (keyed by :func:`obligation_key`)."""

    key: str
    draft: Mapping[str, DraftValue] | None = None
    drafted_at: datetime | None = None
    drafted_by: str | None = None
    submission_reference: str | None = None
    acknowledged_at: datetime | None = None
    acknowledgement_reference: str | None = None
    not_applicable_grounds: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """A file or link attached to the incident or to one obligation."""

    id: int
    obligation_key: str | None
    kind: str  # "file" or "link"
    name: str
    media_type: str | None
    size: int | None
    sha256: str | None
    url: str | None
    note: str
    added_at: datetime
    added_by: str
