"""Incident services on both database backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from medtrust.domain.tenancy import Role
from medtrust.errors import (
    ConflictError,
    InputError,
    InputTooLargeError,
    NotFoundError,
    PermissionDeniedError,
)
from medtrust.incidents.errors import IncidentFactsError
from medtrust.services import incidents as svc
from medtrust.services.context import ServiceContext
from medtrust.storage.incident_models import Incident, IncidentLogEntry
from medtrust.storage.repositories.audit import AuditRepository
from tests.conftest import Account, make_account
from tests.incidents.workspace.helpers import hospital_facts

EW = "NIS2:early_warning:incident"


def _open(ctx: ServiceContext, account: Account, **facts: object) -> int:
    aware = datetime.now(UTC) - timedelta(hours=2)
    return svc.open_incident(
        ctx,
        account.principal,
        title="Ransomware",
        facts=hospital_facts(aware=aware, **facts),  # type: ignore[arg-type]
    )


def test_full_cycle_is_logged_audited_and_verifiable(ctx: ServiceContext) -> None:
    alice = make_account(ctx, org="Hospital A")
    incident_id = _open(ctx, alice, significant=False)
    ws = svc.get_workspace(ctx, alice.principal, incident_id)
    assert ws.item(EW) is None
    svc.record_facts(
        ctx,
        alice.principal,
        incident_id,
        patch={"incident": {"significant": True}},
        grounds="wards closed for 6 hours",
        decision=True,
    )
    assert svc.get_workspace(ctx, alice.principal, incident_id).item(EW) is not None
    report = svc.save_draft(
        ctx, alice.principal, incident_id, key=EW, values={"contact": "soc@a.example"}
    )
    assert report.status == "drafted" and report.complete
    svc.record_submission(ctx, alice.principal, incident_id, key=EW, reference="BSI-42")
    svc.record_acknowledgement(ctx, alice.principal, incident_id, key=EW, reference="ACK-1")
    evidence_id = svc.add_evidence(
        ctx,
        alice.principal,
        incident_id,
        key=EW,
        filename="../../mail.eml",
        data=b"sent",
        media_type="message/rfc822",
    )
    svc.add_note(ctx, alice.principal, incident_id, text="phoned the CSIRT")
    svc.set_applicability(
        ctx,
        alice.principal,
        incident_id,
        key="NIS2:recipient_notification:incident",
        applicable=False,
        grounds="no service recipients affected",
    )

    ws = svc.get_workspace(ctx, alice.principal, incident_id)
    item = ws.item(EW)
    assert item is not None and item.status.value == "acknowledged"
    assert item.state.submission_reference == "BSI-42"
    assert [e.name for e in item.evidence] == ["mail.eml"]
    stored, content = svc.get_evidence(ctx, alice.principal, incident_id, evidence_id)
    assert content == b"sent" and stored.sha256 is not None and len(stored.sha256) == 64
    assert ws.record.facts["submissions"][0]["regime"] == "NIS2"

    kinds = [e.kind for e in svc.timeline(ctx, alice.principal, incident_id)]
    assert kinds == [
        "opened",
        "decision",
        "draft",
        "submission",
        "acknowledgement",
        "evidence",
        "note",
        "applicability",
    ]
    decision = svc.timeline(ctx, alice.principal, incident_id)[1]
    assert (
        decision.actor == alice.email and decision.payload["grounds"] == "wards closed for 6 hours"
    )
    with ctx.transaction() as session:
        actions = [
            e.action for e in AuditRepository(session, alice.principal.organisation_id).list()
        ]
    incident_actions = [a for a in actions if a.startswith("incident.")]
    assert sorted(incident_actions) == sorted(f"incident.{k}" for k in kinds)
    result = svc.verify_incident(ctx, alice.principal, incident_id)
    assert result.ok and result.chain.entries == 8


def test_tampering_with_a_log_entry_or_the_facts_is_detected(ctx: ServiceContext) -> None:
    alice = make_account(ctx, org="Hospital A")
    incident_id = _open(ctx, alice)
    svc.add_note(ctx, alice.principal, incident_id, text="first")
    svc.add_note(ctx, alice.principal, incident_id, text="second")
    with ctx.transaction() as session:
        session.execute(
            update(IncidentLogEntry)
            .where(IncidentLogEntry.incident_id == incident_id, IncidentLogEntry.seq == 2)
            .values(payload={"text": "forged"})
        )
    result = svc.verify_incident(ctx, alice.principal, incident_id)
    assert not result.ok and result.chain.broken is not None and result.chain.broken.seq == 2
    assert (
        result.describe()
        == "log broken at entry 2: content does not match its hash (entry altered)"
    )

    other = _open(ctx, alice)
    with ctx.transaction() as session:
        facts = dict(session.get(Incident, other).facts)  # type: ignore[union-attr]
        facts["incident"] = {**facts["incident"], "significant": False}
        session.execute(update(Incident).where(Incident.id == other).values(facts=facts))
    altered = svc.verify_incident(ctx, alice.principal, other)
    assert altered.chain.ok and not altered.facts_match and not altered.ok
    assert "differ from the log" in altered.describe()


def test_invalid_changes_write_nothing(ctx: ServiceContext) -> None:
    alice = make_account(ctx, org="Hospital A")
    incident_id = _open(ctx, alice)
    before = len(svc.timeline(ctx, alice.principal, incident_id))
    with pytest.raises(IncidentFactsError, match="time zone"):
        svc.record_facts(
            ctx, alice.principal, incident_id, patch={"incident": {"aware_at": "2026-01-01T00:00"}}
        )
    with pytest.raises(InputError, match="grounds is required"):
        svc.record_facts(
            ctx, alice.principal, incident_id, patch={"incident": {"ongoing": True}}, decision=True
        )
    with pytest.raises(NotFoundError, match="no obligation"):
        svc.record_submission(ctx, alice.principal, incident_id, key="NIS2:nothing:here")
    with pytest.raises(IncidentFactsError, match="before"):
        svc.record_submission(
            ctx, alice.principal, incident_id, key=EW, at=datetime.now(UTC) - timedelta(days=3)
        )
    with pytest.raises(InputError, match="in the future"):
        svc.record_submission(
            ctx, alice.principal, incident_id, key=EW, at=datetime.now(UTC) + timedelta(days=1)
        )
    with pytest.raises(ConflictError, match="not been submitted"):
        svc.record_acknowledgement(ctx, alice.principal, incident_id, key=EW)
    with pytest.raises(InputError, match="unknown field"):
        svc.save_draft(ctx, alice.principal, incident_id, key=EW, values={"bogus": "x"})
    with pytest.raises(InputError, match="either a file or a link"):
        svc.add_evidence(ctx, alice.principal, incident_id)
    with pytest.raises(InputError, match="http"):
        svc.add_evidence(ctx, alice.principal, incident_id, url="javascript:alert(1)")
    with pytest.raises(InputTooLargeError):
        svc.add_evidence(
            ctx, alice.principal, incident_id, data=b"x" * (ctx.settings.max_upload_bytes + 1)
        )
    assert len(svc.timeline(ctx, alice.principal, incident_id)) == before
    svc.record_submission(ctx, alice.principal, incident_id, key=EW)
    with pytest.raises(ConflictError, match="already recorded"):
        svc.record_submission(ctx, alice.principal, incident_id, key=EW)


def test_viewers_read_but_cannot_change(ctx: ServiceContext) -> None:
    alice = make_account(ctx, org="Hospital A")
    viewer = make_account(ctx, org="Hospital A", role=Role.VIEWER)
    incident_id = _open(ctx, alice)
    assert svc.get_workspace(ctx, viewer.principal, incident_id).record.id == incident_id
    with pytest.raises(PermissionDeniedError):
        svc.add_note(ctx, viewer.principal, incident_id, text="x")
    with pytest.raises(PermissionDeniedError):
        _open(ctx, viewer)


def test_other_organisations_cannot_see_or_change_an_incident(ctx: ServiceContext) -> None:
    alice = make_account(ctx, org="Hospital A")
    mallory = make_account(ctx, org="Hospital B")
    incident_id = _open(ctx, alice)
    assert svc.list_incidents(ctx, mallory.principal) == []
    for attempt in (
        lambda: svc.get_workspace(ctx, mallory.principal, incident_id),
        lambda: svc.timeline(ctx, mallory.principal, incident_id),
        lambda: svc.verify_incident(ctx, mallory.principal, incident_id),
        lambda: svc.add_note(ctx, mallory.principal, incident_id, text="x"),
        lambda: svc.record_submission(ctx, mallory.principal, incident_id, key=EW),
        lambda: svc.get_evidence(ctx, mallory.principal, incident_id, 1),
    ):
        with pytest.raises(NotFoundError):
            attempt()


def test_acting_principal_by_email(ctx: ServiceContext) -> None:
    alice = make_account(ctx, org="Hospital A")
    assert svc.acting_principal(ctx, alice.email).user.id == alice.principal.user.id
    with pytest.raises(Exception, match="no active user"):
        svc.acting_principal(ctx, "nobody@nowhere.example")
