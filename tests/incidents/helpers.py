"""Shared helpers for the incident tests (plain functions, no fixtures magic)."""

from __future__ import annotations

from medtrust.incidents import load_directory, load_regimes, parse_facts, plan_obligations
from medtrust.incidents.obligation import Obligation, Plan

HOSPITAL_DE = "organisation: {role: healthcare_provider, country: DE, nis2: essential}\n"
MANUFACTURER_DE = "organisation: {role: manufacturer, country: DE, nis2: important}\n"


def plan_of(text: str, *, proposals: tuple[str, ...] = ()) -> Plan:
    """Plan the obligations of a YAML facts text with the packaged data."""
    regimes = load_regimes().with_proposals(proposals)
    return plan_obligations(parse_facts(text), regimes=regimes, directory=load_directory())


def find(plan: Plan, regime: str, stage: str, subject: str | None = None) -> list[Obligation]:
    """Obligations of a regime and stage (optionally for one subject)."""
    return [
        o
        for o in plan.obligations
        if o.regime == regime
        and o.stage.value == stage
        and (subject is None or o.subject == subject)
    ]


def one(plan: Plan, regime: str, stage: str, subject: str | None = None) -> Obligation:
    """Exactly one obligation of a regime and stage."""
    found = find(plan, regime, stage, subject)
    assert len(found) == 1, [f"{o.regime} {o.stage} {o.subject}" for o in plan.obligations]
    return found[0]


def reasons(plan: Plan) -> set[tuple[str, str]]:
    """(regime, article) of every not-applicable entry."""
    return {(n.regime, n.article) for n in plan.not_applicable}
