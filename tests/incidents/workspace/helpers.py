"""Builders for workspace tests: facts documents and pure workspaces (no database)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from medtrust.incidents import load_directory, load_regimes, plan_obligations
from medtrust.incidents.chain import LogRecord, next_record
from medtrust.incidents.facts_doc import normalise
from medtrust.incidents.records import (
    EvidenceItem,
    IncidentRecord,
    LogKind,
    ObligationState,
)
from medtrust.incidents.workspace import Workspace, build_workspace

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def hospital_facts(
    *,
    aware: datetime = T0,
    significant: bool = True,
    breach: str | None = "high",
    device: bool = True,
) -> dict[str, Any]:
    """A German hospital (essential entity) facts document."""
    doc: dict[str, Any] = {
        "organisation": {
            "role": "healthcare_provider",
            "country": "DE",
            "nis2": "essential",
            "timezone": "Europe/Berlin",
        },
        "incident": {
            "aware_at": aware.isoformat(),
            "significant": significant,
            "suspected_malicious": True,
            "cross_border": False,
        },
    }
    if breach is not None:
        doc["personal_data_breach"] = {"aware_at": aware.isoformat(), "risk": breach}
    if device:
        doc["devices"] = [
            {
                "name": "Infusion pump",
                "regulation": "MDR",
                "aware_at": aware.isoformat(),
                "serious_incident": True,
            }
        ]
    return doc


def workspace_of(
    document: Mapping[str, Any],
    *,
    now: datetime,
    states: Sequence[ObligationState] = (),
    evidence: Sequence[EvidenceItem] = (),
    title: str = "Ransomware on ward 3",
) -> Workspace:
    """A workspace computed purely from a facts document."""
    normal, facts = normalise(document)
    plan = plan_obligations(facts, regimes=load_regimes(), directory=load_directory(), now=now)
    record = IncidentRecord(
        id=7,
        organisation_id=3,
        title=title,
        facts=normal,
        created_at=T0,
        created_by="alice@hospital.example",
        updated_at=T0,
    )
    return build_workspace(record, facts, plan, states, evidence)


def opened_log(document: Mapping[str, Any], at: datetime = T0) -> list[LogRecord]:
    """A log with just the opening entry."""
    normal, _facts = normalise(document)
    payload = {"title": "Ransomware on ward 3", "facts": normal}
    return [
        next_record(
            None, at=at, actor="alice@hospital.example", kind=LogKind.OPENED, payload=payload
        )
    ]


def later(hours: float) -> datetime:
    """T0 plus some hours."""
    return T0 + timedelta(hours=hours)
