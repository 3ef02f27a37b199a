"""Reminders through a local SMTP server and a local webhook (both on loopback)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest

from medtrust.incidents.notify import IncidentNotificationSettings
from medtrust.services import incidents as svc
from medtrust.services.context import ServiceContext
from medtrust.services.incident_reminders import send_due_reminders
from tests.conftest import make_account
from tests.incidents.workspace.helpers import hospital_facts
from tests.incidents.workspace.local_servers import smtp_server, webhook_sink


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_reminders_go_by_mail_and_webhook_once(ctx: ServiceContext) -> None:
    alice = make_account(ctx, org="Hospital A")
    aware = datetime.now(UTC) - timedelta(hours=21)
    incident_id = svc.open_incident(
        ctx,
        alice.principal,
        title="Ransomware",
        facts=hospital_facts(aware=aware, breach=None, device=False),
    )
    with smtp_server() as (port, mailbox), webhook_sink() as (url, received):
        config = IncidentNotificationSettings(
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_from="medtrust@hospital.example",
            incident_reminder_to="soc@hospital.example, ciso@hospital.example",
            incident_webhook_urls=url,
            incident_reminder_hours="24,4",
            public_base_url="https://medtrust.hospital.example/",
        )
        results = send_due_reminders(ctx, settings=config)
        assert [r.reminder.item.key for r in results] == ["NIS2:early_warning:incident"]
        assert results[0].reminder.threshold_hours == 4 and results[0].delivered
        assert len(mailbox.messages) == 1
        message = mailbox.messages[0]
        assert message["from"] == "<medtrust@hospital.example>"
        assert sorted(message["to"]) == sorted(
            [f"<{alice.email}>", "<ciso@hospital.example>", "<soc@hospital.example>"]
        )
        assert "Subject: [medtrust] NIS2 early_warning due in 2 h" in message["data"]
        assert f"Open: https://medtrust.hospital.example/incidents/{incident_id}" in message["data"]
        assert received[0]["key"] == "NIS2:early_warning:incident"
        assert received[0]["incident"]["id"] == incident_id

        # logged on the incident: the same threshold is not sent again
        assert send_due_reminders(ctx, settings=config) == []
        assert len(mailbox.messages) == 1 and len(received) == 1
    entries = svc.timeline(ctx, alice.principal, incident_id)
    assert entries[-1].kind == "reminder" and entries[-1].actor == "system:reminders"
    assert svc.verify_incident(ctx, alice.principal, incident_id).ok


def test_unreachable_channels_are_reported_and_retried(ctx: ServiceContext) -> None:
    alice = make_account(ctx, org="Hospital A")
    aware = datetime.now(UTC) - timedelta(hours=30)
    incident_id = svc.open_incident(
        ctx,
        alice.principal,
        title="Late",
        facts=hospital_facts(aware=aware, breach=None, device=False),
    )
    port = _closed_port()
    config = IncidentNotificationSettings(
        smtp_host="127.0.0.1",
        smtp_port=port,
        incident_webhook_urls=f"http://127.0.0.1:{port}/hook",
        smtp_timeout_seconds=2,
        webhook_timeout_seconds=2,
    )
    results = send_due_reminders(ctx, settings=config)
    assert len(results) == 1 and not results[0].delivered
    assert results[0].reminder.overdue and results[0].reminder.threshold_hours == 0
    assert {d.channel for d in results[0].deliveries} == {"email", "webhook"}
    assert all(d.detail for d in results[0].deliveries)
    assert [e.kind for e in svc.timeline(ctx, alice.principal, incident_id)] == ["opened"]
    with webhook_sink(status=500) as (url, received):
        failing = IncidentNotificationSettings(incident_webhook_urls=url)
        again = send_due_reminders(ctx, settings=failing)
        assert received and again[0].deliveries[0].detail == "HTTP 500"


def test_settings_read_the_environment_and_refuse_bad_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MEDTRUST_SMTP_HOST", "mail.example")
    monkeypatch.setenv("MEDTRUST_SMTP_STARTTLS", "true")
    monkeypatch.setenv("MEDTRUST_INCIDENT_REMINDER_HOURS", "4, 24,0")
    config = IncidentNotificationSettings()
    assert config.smtp_host == "mail.example" and config.smtp_starttls
    assert config.thresholds == (24, 4, 0)
    with pytest.raises(ValueError, match="whole non-negative"):
        IncidentNotificationSettings(incident_reminder_hours="24,-1")
    with pytest.raises(ValueError, match="http"):
        IncidentNotificationSettings(incident_webhook_urls="ftp://x")
