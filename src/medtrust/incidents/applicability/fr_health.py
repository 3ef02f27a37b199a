"""France, CSP L.1111-8-2: health establishments report serious information-system incidents."""

from __future__ import annotations

from medtrust.incidents.facts import Role
from medtrust.incidents.planning import Awareness, Context

REGIME_CODES = ("FR-CSP-L1111-8-2",)
RULE_IDS = ("fr-csp-l1111-8-2.report",)
SUBJECT = "incident"


def assess(ctx: Context) -> None:
    """Add the French health-establishment report when the organisation is in France."""
    if ctx.facts.organisation.country != "FR":
        return
    regime = ctx.regimes.regime("FR-CSP-L1111-8-2")
    if not ctx.regimes.active(regime):
        return
    incident = ctx.facts.incident
    if incident is None:
        ctx.skip(regime, "no_incident", SUBJECT)
    elif ctx.facts.organisation.role is not Role.HEALTHCARE_PROVIDER:
        ctx.skip(regime, "not_health_establishment", SUBJECT)
    elif not incident.significant:
        ctx.skip(regime, "not_serious", SUBJECT)
    else:
        ctx.add(
            ctx.rule("fr-csp-l1111-8-2.report"),
            subject=SUBJECT,
            aware=Awareness(incident.aware_at, "incident.aware_at"),
            anchor_at=incident.aware_at,
        )
