"""The incident workspace view (pure): obligations from the engine joined with recorded states.

The obligations are recomputed by :func:`medtrust.incidents.plan_obligations` from the stored facts
every time; only what people did (drafts, acknowledgements, not-applicable decisions, evidence) is
stored, per obligation *key*. Keys are ``REGIME:stage:subject``; when one plan holds several
obligations with the same triple (NIS2 final report and final report after handling), the one
whose rule id sorts first keeps the plain key and the others get ``#rule-id`` appended.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from medtrust.incidents.facts import Device, IncidentFacts, Role
from medtrust.incidents.obligation import NotApplicable, Obligation, Plan, State
from medtrust.incidents.records import EvidenceItem, IncidentRecord, ObligationState
from medtrust.incidents.report_templates import NOTICE_REGIME, NOTICE_STAGE


class WorkStatus(StrEnum):
    """Where the organisation stands with one report."""

    DUE = "due"
    DRAFTED = "drafted"
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    NOT_APPLICABLE = "not_applicable"

    @property
    def open(self) -> bool:
        """True while the report still needs to be sent."""
        return self in (WorkStatus.DUE, WorkStatus.DRAFTED)


def base_key(obligation: Obligation) -> str:
    """``REGIME:stage:subject`` of an obligation."""
    return f"{obligation.regime}:{obligation.stage.value}:{obligation.subject}"


def keyed_obligations(plan: Plan) -> list[tuple[str, Obligation]]:
    """Every obligation of the plan with its stable key, in plan order."""
    groups: dict[str, list[str]] = {}
    for o in plan.obligations:
        groups.setdefault(base_key(o), []).append(o.rule_id)
    keyed = []
    for o in plan.obligations:
        key = base_key(o)
        rules = sorted(set(groups[key]))
        keyed.append((key if o.rule_id == rules[0] else f"{key}#{o.rule_id}", o))
    return keyed


@dataclass(frozen=True, slots=True)
class ReportItem:
    """One obligation in the workspace: the engine's view plus what was recorded."""

    key: str
    obligation: Obligation
    state: ObligationState
    status: WorkStatus
    evidence: tuple[EvidenceItem, ...]

    @property
    def clock(self) -> str:
        """The deadline state in words (``5 h 10 min left``, ``overdue by …``, ``submitted``)."""
        if self.status is WorkStatus.NOT_APPLICABLE:
            return "not applicable"
        if self.status is WorkStatus.ACKNOWLEDGED:
            return "acknowledged"
        status = self.obligation.status
        return status.describe() if status is not None else ""

    @property
    def overdue(self) -> bool:
        """True when the deadline has passed and the report is still open."""
        status = self.obligation.status
        return self.status.open and status is not None and status.state is State.OVERDUE

    def urgency_key(self) -> tuple[int, float, tuple[object, ...]]:
        """Open dated reports first (soonest deadline first), then open undated, then done."""
        due = self.obligation.due
        when = due.expires_at.timestamp() if due is not None else 0.0
        group = (0 if due is not None else 1) if self.status.open else 2
        return (group, when, self.obligation.sort_key())


@dataclass(frozen=True, slots=True)
class NoticeItem:
    """A hospital-to-manufacturer notice about one device involved in the incident."""

    key: str
    device: Device
    state: ObligationState
    evidence: tuple[EvidenceItem, ...]

    @property
    def status(self) -> WorkStatus:
        """Drafted once a draft is saved; a notice has no legal clock of its own."""
        return WorkStatus.DRAFTED if self.state.draft is not None else WorkStatus.DUE


def notice_key(device_name: str) -> str:
    """The key of the manufacturer notice about a device."""
    return f"{NOTICE_REGIME}:{NOTICE_STAGE}:{device_name}"


@dataclass(frozen=True, slots=True)
class Workspace:
    """Everything the incident detail shows, in a stable order."""

    record: IncidentRecord
    facts: IncidentFacts
    plan: Plan
    items: tuple[ReportItem, ...]
    notices: tuple[NoticeItem, ...]
    orphans: tuple[ObligationState, ...]
    evidence: tuple[EvidenceItem, ...]

    @property
    def not_applicable(self) -> tuple[NotApplicable, ...]:
        """What the engine found not to apply, and why."""
        return self.plan.not_applicable

    def item(self, key: str) -> ReportItem | None:
        """The report with ``key``, or None."""
        return next((i for i in self.items if i.key == key), None)

    def notice(self, key: str) -> NoticeItem | None:
        """The manufacturer notice with ``key``, or None."""
        return next((n for n in self.notices if n.key == key), None)

    def knows(self, key: str) -> bool:
        """True when ``key`` names a report or a notice of this incident."""
        return self.item(key) is not None or self.notice(key) is not None


def work_status(obligation: Obligation, state: ObligationState) -> WorkStatus:
    """Derive the status: not applicable > acknowledged > submitted > drafted > due."""
    if state.not_applicable_grounds:
        return WorkStatus.NOT_APPLICABLE
    if obligation.submitted_at is not None:
        return WorkStatus.ACKNOWLEDGED if state.acknowledged_at else WorkStatus.SUBMITTED
    if state.draft is not None:
        return WorkStatus.DRAFTED
    return WorkStatus.DUE


def build_workspace(
    record: IncidentRecord,
    facts: IncidentFacts,
    plan: Plan,
    states: Iterable[ObligationState],
    evidence: Sequence[EvidenceItem] = (),
) -> Workspace:
    """Join the plan with the recorded states; items come out ordered by urgency."""
    by_key: Mapping[str, ObligationState] = {s.key: s for s in states}
    items = []
    used = set()
    for key, obligation in keyed_obligations(plan):
        state = by_key.get(key, ObligationState(key))
        used.add(key)
        attached = tuple(e for e in evidence if e.obligation_key == key)
        items.append(ReportItem(key, obligation, state, work_status(obligation, state), attached))
    items.sort(key=lambda i: i.urgency_key())
    notices = []
    if facts.organisation.role is Role.HEALTHCARE_PROVIDER:
        for device in facts.devices:
            key = notice_key(device.name)
            used.add(key)
            attached = tuple(e for e in evidence if e.obligation_key == key)
            notices.append(NoticeItem(key, device, by_key.get(key, ObligationState(key)), attached))
    orphans = tuple(sorted((s for k, s in by_key.items() if k not in used), key=lambda s: s.key))
    return Workspace(record, facts, plan, tuple(items), tuple(notices), orphans, tuple(evidence))
