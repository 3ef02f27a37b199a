"""Reminders of incident reporting deadlines by e-mail (SMTP) and webhooks, for a scheduler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import httpx

from medtrust.incidents.notify import (
    Delivery,
    IncidentNotificationSettings,
    post_webhooks,
    send_mail,
)
from medtrust.incidents.records import LogKind
from medtrust.incidents.reminders import Reminder, due_reminders, sent_thresholds
from medtrust.services.context import ServiceContext
from medtrust.services.incidents import plan_workspace
from medtrust.storage.base import utcnow
from medtrust.storage.repositories.accounts import OrganisationRepository
from medtrust.storage.repositories.audit import AuditRepository
from medtrust.storage.repositories.incidents import IncidentRepository

SYSTEM_ACTOR = "system:reminders"


@dataclass(frozen=True, slots=True)
class SentReminder:
    """A reminder and how each channel fared."""

    organisation_id: int
    reminder: Reminder
    deliveries: tuple[Delivery, ...]

    @property
    def delivered(self) -> bool:
        """True when at least one channel took it."""
        return any(d.ok for d in self.deliveries)


def send_due_reminders(
    ctx: ServiceContext,
    *,
    now: datetime | None = None,
    settings: IncidentNotificationSettings | None = None,
    transport: httpx.BaseTransport | None = None,
) -> list[SentReminder]:
    """Remind of reports whose deadline is within a threshold, across all organisations.

    Sends each reminder by e-mail (configured recipients plus the incident's opener) and to every
    webhook. A reminder that reached at least one channel is logged on the incident (so it is not
    sent again) and audited; one that reached none is retried on the next run.
    """
    config = settings or IncidentNotificationSettings()
    moment = now or utcnow()
    pending: list[tuple[int, Reminder, str | None]] = []
    with ctx.transaction() as session:
        for org in OrganisationRepository(session).list():
            repo = IncidentRepository(session, org.id)
            for record in repo.list():
                ws = plan_workspace(record, repo, moment)
                sent = sent_thresholds(repo.log(record.id))
                for reminder in due_reminders(
                    ws, now=moment, thresholds=config.thresholds, sent=sent
                ):
                    opener = record.created_by if "@" in record.created_by else None
                    pending.append((org.id, reminder, opener))
    results = []
    for org_id, reminder, opener in pending:
        link = (
            f"{config.public_base_url.rstrip('/')}/incidents/{reminder.incident_id}"
            if config.public_base_url
            else None
        )
        to = sorted({*config.recipients, *([opener] if opener else [])})
        deliveries = []
        if config.smtp_host:
            deliveries.append(
                send_mail(config, to=to, subject=reminder.subject, body=reminder.body(link))
            )
        deliveries.extend(post_webhooks(config, reminder.payload(link), transport=transport))
        result = SentReminder(org_id, reminder, tuple(deliveries))
        if result.delivered:
            _log_reminder(ctx, result, moment)
        results.append(result)
    return results


def _log_reminder(ctx: ServiceContext, result: SentReminder, now: datetime) -> None:
    reminder = result.reminder
    with ctx.transaction() as session:
        repo = IncidentRepository(session, result.organisation_id)
        if repo.get(reminder.incident_id, lock=True) is None:
            return
        payload = {
            "key": reminder.item.key,
            "threshold_hours": reminder.threshold_hours,
            "channels": [
                {"channel": d.channel, "target": d.target, "ok": d.ok} for d in result.deliveries
            ],
        }
        repo.append(
            reminder.incident_id, at=now, actor=SYSTEM_ACTOR, kind=LogKind.REMINDER, payload=payload
        )
        AuditRepository(session, result.organisation_id).record(
            actor_user_id=None,
            action="incident.reminder",
            object_type="incident",
            object_id=str(reminder.incident_id),
            summary=f"reminder sent: {reminder.subject}"[:1000],
            detail={"key": reminder.item.key, "threshold_hours": reminder.threshold_hours},
        )
