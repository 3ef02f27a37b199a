from __future__ import annotations

from datetime import timedelta

from medtrust.incidents.chain import next_record
from medtrust.incidents.records import LogKind
from medtrust.incidents.reminders import due_reminders, sent_thresholds
from tests.incidents.workspace.helpers import T0, hospital_facts, later, opened_log, workspace_of

THRESHOLDS = (24, 4, 0)


def _keys(hours: float, sent: dict[str, set[int]] | None = None) -> dict[str, int]:
    ws = workspace_of(hospital_facts(breach=None, device=False), now=later(hours))
    found = due_reminders(ws, now=later(hours), thresholds=THRESHOLDS, sent=sent or {})
    return {r.item.key: r.threshold_hours for r in found}


def test_tightest_reached_threshold_is_sent_once() -> None:
    # early warning due at +24 h, notification at +72 h
    assert _keys(0) == {"NIS2:early_warning:incident": 24}
    assert _keys(21) == {"NIS2:early_warning:incident": 4}
    assert _keys(21, {"NIS2:early_warning:incident": {24}}) == {"NIS2:early_warning:incident": 4}
    assert _keys(21, {"NIS2:early_warning:incident": {4}}) == {}
    assert _keys(30) == {"NIS2:early_warning:incident": 0}
    assert _keys(49) == {"NIS2:early_warning:incident": 0, "NIS2:notification:incident": 24}


def test_submitted_reports_and_undated_ones_get_no_reminder() -> None:
    doc = hospital_facts(breach=None, device=False)
    doc["submissions"] = [{"regime": "NIS2", "stage": "early_warning", "at": later(2).isoformat()}]
    ws = workspace_of(doc, now=later(30))
    found = due_reminders(ws, now=later(30), thresholds=THRESHOLDS, sent={})
    assert [r.item.key for r in found] == []
    assert due_reminders(ws, now=later(70), thresholds=(), sent={}) == []


def test_reminder_texts_and_payload() -> None:
    ws = workspace_of(hospital_facts(breach=None, device=False), now=later(30))
    reminder = due_reminders(ws, now=later(30), thresholds=THRESHOLDS, sent={})[0]
    assert reminder.overdue
    assert reminder.subject == (
        "[medtrust] NIS2 early_warning overdue by 6 h 0 min: Ransomware on ward 3"
    )
    body = reminder.body("https://medtrust.example/incidents/7")
    assert "Art. 23(4)(a)" in body and "Open: https://medtrust.example/incidents/7" in body
    payload = reminder.payload()
    assert payload["event"] == "incident.reminder"
    assert payload["remaining_seconds"] == -6 * 3600
    assert payload["obligation"]["stage"] == "early_warning"


def test_sent_thresholds_come_from_the_log() -> None:
    log = opened_log(hospital_facts())
    payload = {"key": "k", "threshold_hours": 4, "channels": []}
    log.append(
        next_record(
            log[-1], at=T0 + timedelta(hours=1), actor="s", kind=LogKind.REMINDER, payload=payload
        )
    )
    assert sent_thresholds(log) == {"k": {4}}
