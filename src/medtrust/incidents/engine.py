"""The obligations engine: a pure function from incident facts to a reporting plan."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

from medtrust.incidents.applicability import cra, fr_health, gdpr, nis2, vigilance
from medtrust.incidents.directory import Directory
from medtrust.incidents.errors import IncidentFactsError
from medtrust.incidents.facts import IncidentFacts
from medtrust.incidents.obligation import Plan
from medtrust.incidents.planning import Context, SubmissionBook
from medtrust.incidents.regimes import RegimeSet

#: Applicability modules in the order they run (the output is sorted afterwards).
ASSESSORS: tuple[Callable[[Context], None], ...] = (
    nis2.assess,
    gdpr.assess,
    vigilance.assess,
    cra.assess,
    fr_health.assess,
)
#: Every rule id the applicability modules use (tests check each exists in the data).
RULE_IDS: tuple[str, ...] = (
    *nis2.RULE_IDS,
    *gdpr.RULE_IDS,
    *vigilance.RULE_IDS,
    *cra.RULE_IDS,
    *fr_health.RULE_IDS,
)


def plan_obligations(
    facts: IncidentFacts,
    *,
    regimes: RegimeSet,
    directory: Directory,
    now: datetime | None = None,
) -> Plan:
    """Every reporting obligation the facts trigger, what does not apply and why, and notes.

    Raises :class:`IncidentFactsError` when the facts are inconsistent with each other or with the
    data (unknown country, a submission before awareness, an ambiguous submission).
    """
    _check(facts, regimes, directory, now)
    ctx = Context(facts, regimes, directory, SubmissionBook(facts.submissions))
    for assess in ASSESSORS:
        assess(ctx)
    for note in ctx.book.unmatched_notes():
        ctx.note(note)
    for code in sorted(ctx.used):
        for caveat in regimes.regime(code).caveats:
            ctx.note(f"{regimes.regime(code).reports_as}: {caveat}")
    obligations = sorted(ctx.obligations, key=lambda o: o.sort_key())
    if now is not None:
        obligations = [dataclasses.replace(o, status=o.status_at(now)) for o in obligations]
    return Plan(
        obligations=tuple(obligations),
        not_applicable=tuple(sorted(ctx.not_applicable, key=lambda n: n.sort_key())),
        notes=tuple(ctx.notes),
        now=now,
        proposals=tuple(sorted(regimes.enabled_proposals)),
    )


def _check(
    facts: IncidentFacts, regimes: RegimeSet, directory: Directory, now: datetime | None
) -> None:
    if now is not None and (now.tzinfo is None or now.utcoffset() is None):
        raise IncidentFactsError("now: timestamp without a time zone is refused")
    known = ", ".join(directory.codes())
    if directory.get(facts.organisation.country) is None:
        raise IncidentFactsError(
            f"organisation.country: {facts.organisation.country!r} is not in the authority "
            f"directory (known: {known})"
        )
    for device in facts.devices:
        if device.occurred_in is not None and directory.get(device.occurred_in) is None:
            raise IncidentFactsError(
                f"devices[{device.index}].occurred_in: {device.occurred_in!r} is not in the "
                f"authority directory (known: {known})"
            )
    codes = regimes.reported_codes()
    for sub in facts.submissions:
        if sub.regime not in codes:
            raise IncidentFactsError(
                f"{sub.field}.regime: unknown regime {sub.regime!r} (known: {', '.join(codes)})"
            )
        stages = sorted(
            {
                rule.stage.value
                for r in regimes.regimes
                if r.reports_as == sub.regime
                for rule in r.rules
            }
        )
        if sub.stage not in stages:
            raise IncidentFactsError(
                f"{sub.field}.stage: {sub.regime} has no stage {sub.stage!r} "
                f"(stages: {', '.join(stages)})"
            )
