"""GDPR Art. 33 and 34: personal data breaches (and the Omnibus proposal when switched on)."""

from __future__ import annotations

from medtrust.incidents.facts import BreachRisk, BreachRole
from medtrust.incidents.planning import Awareness, Context

REGIME_CODES = ("GDPR",)
RULE_IDS = (
    "gdpr.authority_notification",
    "gdpr.phased_information",
    "gdpr.documentation",
    "gdpr.data_subject_communication",
    "gdpr.public_communication",
    "gdpr.processor_to_controller",
)
SUBJECT = "personal data breach"
_RANK = {BreachRisk.UNLIKELY: 0, BreachRisk.RISK: 1, BreachRisk.HIGH: 2}
_THRESHOLD = {None: 1, "risk": 1, "high": 2}


def assess(ctx: Context) -> None:
    """Add the GDPR obligations, or why they do not apply."""
    regime = ctx.regimes.regime("GDPR")
    breach = ctx.facts.personal_data_breach
    if breach is None:
        ctx.skip(regime, "no_breach", SUBJECT)
        return
    aware = Awareness(breach.aware_at, "personal_data_breach.aware_at")
    if breach.role is BreachRole.PROCESSOR:
        ctx.add(
            ctx.rule("gdpr.processor_to_controller"),
            subject=SUBJECT,
            aware=aware,
            anchor_at=breach.aware_at,
        )
        ctx.skip(regime, "processor", SUBJECT)
        return

    ctx.add(ctx.rule("gdpr.documentation"), subject=SUBJECT, aware=aware, anchor_at=breach.aware_at)
    notify = ctx.rule("gdpr.authority_notification")  # an enabled proposal may replace it
    if _RANK[breach.risk] >= _THRESHOLD[notify.min_risk]:
        notice = ctx.add(notify, subject=SUBJECT, aware=aware, anchor_at=breach.aware_at)
        ctx.add(
            ctx.rule("gdpr.phased_information"),
            subject=SUBJECT,
            aware=aware,
            anchor_at=notice.submitted_at,
        )
    else:
        ctx.skip(ctx.regimes.regime_of(notify), "below_threshold", SUBJECT)

    people = f"{SUBJECT} (communication to data subjects)"
    if breach.risk is not BreachRisk.HIGH:
        ctx.skip(regime, "not_high_risk", people)
    elif breach.unintelligible_to_others:
        ctx.skip(regime, "unintelligible", people)
    elif breach.high_risk_no_longer_likely:
        ctx.skip(regime, "no_longer_likely", people)
    elif breach.disproportionate_effort:
        ctx.skip(regime, "disproportionate_effort", people)
        ctx.add(
            ctx.rule("gdpr.public_communication"),
            subject=SUBJECT,
            aware=aware,
            anchor_at=breach.aware_at,
        )
    else:
        ctx.add(
            ctx.rule("gdpr.data_subject_communication"),
            subject=SUBJECT,
            aware=aware,
            anchor_at=breach.aware_at,
        )
