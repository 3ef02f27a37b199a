"""The working state of one planning run: facts, data, recorded submissions, and results.

Applicability modules (``medtrust.incidents.applicability``) decide *whether* a rule applies;
:class:`Context` turns an applicable rule into an :class:`Obligation` (anchor, due date,
recipient, submission status) and records why others do not apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Final

from medtrust.incidents.directory import CountryEntry, Directory
from medtrust.incidents.errors import IncidentFactsError
from medtrust.incidents.facts import CraTrack, IncidentFacts, Submission
from medtrust.incidents.obligation import Anchor, NotApplicable, Obligation, Stage
from medtrust.incidents.regimes import Regime, RegimeSet, Rule
from medtrust.incidents.timing import Due


class Keep:
    """Sentinel: keep the rule's own condition."""


KEEP: Final = Keep()
_COUNTED = ("hours", "days", "months")


@dataclass(frozen=True, slots=True)
class Awareness:
    """When the actor became aware of the subject, and where that fact is in the facts file."""

    at: datetime
    field: str


@dataclass(slots=True)
class SubmissionBook:
    """Matches recorded submissions to obligations and checks them against awareness."""

    submissions: tuple[Submission, ...]
    matched: dict[int, set[tuple[str, str, str, str]]] = field(default_factory=dict)

    def lookup(
        self, regime: str, stage: Stage, subject: str, track: CraTrack | None, aware: Awareness
    ) -> datetime | None:
        """The earliest recorded submission for this obligation, or None."""
        found: list[Submission] = []
        for sub in self.submissions:
            if sub.regime != regime or sub.stage != stage.value:
                continue
            if sub.subject is not None and sub.subject.casefold() != subject.casefold():
                continue
            if sub.track is not None and sub.track != track:
                continue
            key = (regime, stage.value, subject.casefold(), track.value if track else "")
            self.matched.setdefault(sub.index, set()).add(key)
            if sub.at < aware.at:
                raise IncidentFactsError(
                    f"{sub.field}.at: {sub.at.isoformat()} is before {aware.field} "
                    f"({aware.at.isoformat()}); a report cannot precede awareness"
                )
            found.append(sub)
        return min((sub.at for sub in found), default=None)

    def unmatched_notes(self) -> list[str]:
        """Raise on ambiguous submissions; describe those that match no obligation."""
        notes = []
        for sub in self.submissions:
            keys = self.matched.get(sub.index, set())
            if len(keys) > 1:
                subjects = sorted({f"{k[2]}{' / ' + k[3] if k[3] else ''}" for k in keys})
                raise IncidentFactsError(
                    f"{sub.field}: matches several {sub.regime} {sub.stage} obligations "
                    f"({'; '.join(subjects)}); add 'subject' (and for CRA 'track')"
                )
            if not keys:
                notes.append(
                    f"{sub.field} ({sub.regime} {sub.stage}) matches no obligation in this plan."
                )
        return notes


@dataclass(slots=True)
class Context:
    """State of one planning run."""

    facts: IncidentFacts
    regimes: RegimeSet
    directory: Directory
    book: SubmissionBook
    obligations: list[Obligation] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    @property
    def zone(self) -> tzinfo | None:
        """The organisation's time zone, if the facts name one."""
        return self.facts.organisation.timezone

    def country(self, code: str | None = None) -> CountryEntry:
        """The directory entry of ``code`` (default: the organisation's country)."""
        wanted = code or self.facts.organisation.country
        entry = self.directory.get(wanted)
        if entry is None:  # pragma: no cover - checked before planning starts
            raise IncidentFactsError(f"country {wanted!r} is not in the authority directory")
        return entry

    def recipient(self, rule: Rule, country: str | None = None) -> str:
        """Recipient text: the directory designation (or its pending/unknown state), or a party."""
        spec = rule.recipient
        if spec.authority is not None:
            text = self.country(country).designation(spec.authority).describe()
        else:
            text = spec.party or ""
        return f"{text}; also {spec.also}" if spec.also else text

    def rule(self, rule_id: str) -> Rule:
        """The effective rule (an enabled proposal may replace it)."""
        return self.regimes.rule(rule_id)

    def add(
        self,
        rule: Rule,
        *,
        subject: str,
        aware: Awareness,
        anchor_at: datetime | None,
        track: CraTrack | None = None,
        match_name: str | None = None,
        actor: str | None = None,
        country: str | None = None,
        condition: str | Keep | None = KEEP,
        projected_from: Due | None = None,
        notes: tuple[str, ...] = (),
    ) -> Obligation:
        """Record the obligation of an applicable rule and return it."""
        regime = self.regimes.regime_of(rule)
        self.used.add(regime.code)
        code = regime.reports_as
        due = rule.limit.apply(anchor_at, self.zone) if anchor_at is not None else None
        projected = None
        if due is None and projected_from is not None and rule.limit.unit in _COUNTED:
            # the instant just before the anchor's own deadline runs out
            last_moment = projected_from.expires_at - timedelta(microseconds=1)
            projected = rule.limit.apply(last_moment.astimezone(projected_from.zone), self.zone)
        obligation = Obligation(
            rule_id=rule.id,
            regime=code,
            article=rule.article,
            stage=rule.stage,
            subject=subject,
            actor=actor or rule.actor,
            recipient=self.recipient(rule, country),
            limit=rule.limit.describe(),
            anchor=Anchor(rule.anchor_label, anchor_at),
            due=due,
            condition=rule.condition if isinstance(condition, Keep) else condition,
            projected_due=projected,
            submitted_at=self.book.lookup(code, rule.stage, match_name or subject, track, aware),
            proposal=regime.proposal,
            notes=notes,
        )
        self.obligations.append(obligation)
        return obligation

    def skip(self, regime: Regime, code: str, subject: str) -> None:
        """Record that a regime or stage does not apply, with the data's reason and article."""
        reason = regime.reason(code)
        self.not_applicable.append(
            NotApplicable(regime.reports_as, reason.article, subject, reason.text)
        )

    def note(self, text: str) -> None:
        """Add a plan note once."""
        if text not in self.notes:
            self.notes.append(text)
