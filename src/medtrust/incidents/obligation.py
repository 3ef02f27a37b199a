"""Obligations and the plan the engine returns (pure domain types)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from medtrust.incidents.timing import Due, describe_duration


class Stage(StrEnum):
    """A reporting stage. Definition order is the natural order used to sort within a regime."""

    EARLY_WARNING = "early_warning"
    NOTIFICATION = "notification"
    AUTHORITY_NOTIFICATION = "authority_notification"
    SERIOUS_INCIDENT_REPORT = "serious_incident_report"
    REPORT = "report"
    FSCA_REPORT = "fsca_report"
    INTERMEDIATE = "intermediate"
    PHASED_INFORMATION = "phased_information"
    PROGRESS = "progress"
    FINAL = "final"
    DATA_SUBJECT_COMMUNICATION = "data_subject_communication"
    RECIPIENT_NOTIFICATION = "recipient_notification"
    USER_INFORMATION = "user_information"
    DOCUMENTATION = "documentation"

    @property
    def order(self) -> int:
        """Position in the natural order."""
        return list(Stage).index(self)


class State(StrEnum):
    """Where an obligation stands at the ``--now`` time."""

    SUBMITTED = "submitted"
    SUBMITTED_LATE = "submitted_late"
    PENDING = "pending"
    OVERDUE = "overdue"
    AWAITING_ANCHOR = "awaiting_anchor"
    NO_FIXED_DEADLINE = "no_fixed_deadline"


@dataclass(frozen=True, slots=True)
class Anchor:
    """The event a deadline is counted from; ``at`` is None while it has not happened."""

    event: str
    at: datetime | None


@dataclass(frozen=True, slots=True)
class Status:
    """An obligation's standing at a given moment."""

    state: State
    remaining: timedelta | None = None

    def describe(self) -> str:
        """Human text, e.g. ``overdue by 3 h 0 min``."""
        if self.state is State.PENDING and self.remaining is not None:
            return f"{describe_duration(self.remaining)} left"
        if self.state is State.OVERDUE and self.remaining is not None:
            return f"overdue by {describe_duration(self.remaining)}"
        return {
            State.SUBMITTED: "submitted",
            State.SUBMITTED_LATE: "submitted late",
            State.AWAITING_ANCHOR: "waiting for the anchor event",
            State.NO_FIXED_DEADLINE: "no fixed deadline",
        }.get(self.state, self.state.value)


@dataclass(frozen=True, slots=True)
class Obligation:
    """One thing someone must (or may be asked to) report, with why and by when."""

    rule_id: str
    regime: str
    article: str
    stage: Stage
    subject: str
    actor: str
    recipient: str
    limit: str
    anchor: Anchor
    due: Due | None
    condition: str | None = None
    projected_due: Due | None = None
    submitted_at: datetime | None = None
    proposal: bool = False
    notes: tuple[str, ...] = ()
    status: Status | None = None

    def status_at(self, now: datetime) -> Status:
        """The obligation's standing at ``now`` (time-zone aware)."""
        if self.submitted_at is not None:
            late = self.due is not None and self.submitted_at > self.due.expires_at
            return Status(State.SUBMITTED_LATE if late else State.SUBMITTED)
        if self.due is None:
            if self.anchor.at is None:
                return Status(State.AWAITING_ANCHOR)
            return Status(State.NO_FIXED_DEADLINE)
        remaining = self.due.expires_at - now
        if remaining < timedelta(0):
            return Status(State.OVERDUE, -remaining)
        return Status(State.PENDING, remaining)

    def sort_key(self) -> tuple[int, datetime | None, str, int, str, str]:
        """Stable order: dated first by due, then regime, stage, subject, rule."""
        when = self.due.expires_at if self.due is not None else None
        return (0 if when else 1, when, self.regime, self.stage.order, self.subject, self.rule_id)


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """A regime or stage that does not apply, and why."""

    regime: str
    article: str
    subject: str
    reason: str

    def sort_key(self) -> tuple[str, str, str, str]:
        """Stable order."""
        return (self.regime, self.subject, self.article, self.reason)


@dataclass(frozen=True, slots=True)
class Plan:
    """The engine's result: obligations, what does not apply, and notes to read."""

    obligations: tuple[Obligation, ...]
    not_applicable: tuple[NotApplicable, ...]
    notes: tuple[str, ...]
    now: datetime | None = None
    proposals: tuple[str, ...] = ()
