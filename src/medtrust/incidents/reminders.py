"""Which reminders are due (pure): thresholds before a deadline, each sent once per obligation.

For an open, dated report the tightest threshold already reached is the one to send (no burst of
24 h and 4 h reminders at once); it is skipped when that or a tighter threshold was sent before.
Threshold 0 is "overdue".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from medtrust.incidents.chain import LogRecord
from medtrust.incidents.records import LogKind
from medtrust.incidents.render import obligation_document
from medtrust.incidents.timing import describe_duration
from medtrust.incidents.workspace import ReportItem, Workspace


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder to send about one report."""

    incident_id: int
    incident_title: str
    item: ReportItem
    threshold_hours: int
    remaining: timedelta

    @property
    def overdue(self) -> bool:
        """True once the deadline has passed."""
        return self.remaining <= timedelta(0)

    @property
    def subject(self) -> str:
        """E-mail subject line."""
        o = self.item.obligation
        when = (
            f"overdue by {describe_duration(-self.remaining)}"
            if self.overdue
            else f"due in {describe_duration(self.remaining)}"
        )
        return f"[medtrust] {o.regime} {o.stage.value} {when}: {self.incident_title}"

    def body(self, link: str | None = None) -> str:
        """Plain-text e-mail body."""
        o = self.item.obligation
        due = o.due.isoformat() if o.due is not None else "not dated"
        lines = [
            f"Incident: {self.incident_title} (#{self.incident_id})",
            f"Report: {o.regime} {o.stage.value} ({o.article}) - {o.subject}",
            f"To: {o.recipient}",
            f"Due: {due} ({o.limit})",
            f"Status: {self.item.status.value}; {self.item.clock}",
        ]
        if link:
            lines.append(f"Open: {link}")
        return "\n".join(lines) + "\n"

    def payload(self, link: str | None = None) -> dict[str, Any]:
        """Webhook JSON body."""
        return {
            "event": "incident.reminder",
            "incident": {"id": self.incident_id, "title": self.incident_title, "url": link},
            "key": self.item.key,
            "threshold_hours": self.threshold_hours,
            "overdue": self.overdue,
            "remaining_seconds": int(self.remaining.total_seconds()),
            "status": self.item.status.value,
            "obligation": obligation_document(self.item.obligation),
        }


def sent_thresholds(log: Sequence[LogRecord]) -> dict[str, set[int]]:
    """Thresholds already reminded per report key, from the incident log."""
    sent: dict[str, set[int]] = {}
    for entry in log:
        if entry.kind == LogKind.REMINDER:
            sent.setdefault(str(entry.payload["key"]), set()).add(
                int(entry.payload["threshold_hours"])
            )
    return sent


def due_reminders(
    ws: Workspace, *, now: datetime, thresholds: Sequence[int], sent: Mapping[str, set[int]]
) -> list[Reminder]:
    """Reminders to send now, in urgency order."""
    out = []
    for item in ws.items:
        due = item.obligation.due
        if not item.status.open or due is None or not thresholds:
            continue
        remaining = due.expires_at - now
        reached = [t for t in thresholds if remaining <= timedelta(hours=t)]
        if not reached:
            continue
        tightest = min(reached)
        if any(t <= tightest for t in sent.get(item.key, set())):
            continue
        out.append(Reminder(ws.record.id, ws.record.title, item, tightest, remaining))
    return out
