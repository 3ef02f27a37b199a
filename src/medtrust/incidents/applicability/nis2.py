"""NIS2 Art. 23: essential and important entities, significant incidents."""

from __future__ import annotations

from datetime import datetime

from medtrust.incidents.facts import Nis2Class
from medtrust.incidents.obligation import Obligation
from medtrust.incidents.planning import KEEP, Awareness, Context, Keep
from medtrust.incidents.regimes import Rule
from medtrust.incidents.timing import Due

REGIME_CODES = ("NIS2",)
RULE_IDS = (
    "nis2.early_warning",
    "nis2.notification",
    "nis2.intermediate",
    "nis2.final",
    "nis2.progress",
    "nis2.final_after_handling",
    "nis2.service_recipients",
)
SUBJECT = "incident"
_ONGOING_FINAL = (
    "if the handling of the incident has ended by then; otherwise the progress report is due "
    "instead (Art. 23(4)(e))"
)


def assess(ctx: Context) -> None:
    """Add the NIS2 obligations, or why they do not apply."""
    regime = ctx.regimes.regime("NIS2")
    org = ctx.facts.organisation
    incident = ctx.facts.incident
    if incident is None:
        ctx.skip(regime, "no_incident", SUBJECT)
        return
    if org.nis2 is Nis2Class.NONE:
        ctx.skip(regime, "not_nis2_entity", SUBJECT)
        return
    if not incident.significant:
        ctx.skip(regime, "not_significant", SUBJECT)
        return
    _country_notes(ctx, incident.aware_at)
    aware = Awareness(incident.aware_at, "incident.aware_at")
    actor = f"{org.nis2.value} entity ({org.role.value.replace('_', ' ')})"

    def add(
        rule: Rule,
        anchor_at: datetime | None,
        *,
        condition: str | Keep | None = KEEP,
        projected_from: Due | None = None,
        notes: tuple[str, ...] = (),
    ) -> Obligation:
        return ctx.add(
            rule,
            subject=SUBJECT,
            aware=aware,
            anchor_at=anchor_at,
            actor=actor,
            condition=condition,
            projected_from=projected_from,
            notes=notes,
        )

    yes_no = {True: "yes", False: "no"}
    content = (
        f"State in the early warning: suspected unlawful or malicious act: "
        f"{yes_no[incident.suspected_malicious]}; possible cross-border impact: "
        f"{yes_no[incident.cross_border]}."
    )
    add(ctx.rule("nis2.early_warning"), incident.aware_at, notes=(content,))
    notification = add(ctx.rule("nis2.notification"), incident.aware_at)
    add(ctx.rule("nis2.intermediate"), None)
    add(ctx.rule("nis2.service_recipients"), incident.aware_at)

    notified_at = notification.submitted_at
    final = ctx.rule("nis2.final")
    progress = ctx.rule("nis2.progress")
    after_handling = ctx.rule("nis2.final_after_handling")
    final_due = final.limit.apply(notified_at, ctx.zone) if notified_at is not None else None
    outlasted = (
        incident.handled_at is not None
        and final_due is not None
        and incident.handled_at > final_due.expires_at
    )
    if incident.ongoing:
        add(final, notified_at, projected_from=notification.due, condition=_ONGOING_FINAL)
        add(progress, notified_at, projected_from=notification.due)
        add(after_handling, None)
    elif outlasted:
        ctx.skip(regime, "ongoing_at_deadline", f"{SUBJECT} (final report of Art. 23(4)(d))")
        add(progress, notified_at, condition=None)
        add(after_handling, incident.handled_at, condition=None)
    else:
        add(final, notified_at, projected_from=notification.due)
        ctx.skip(regime, "not_ongoing", f"{SUBJECT} (progress report)")


def _country_notes(ctx: Context, aware_at: datetime) -> None:
    entry = ctx.country()
    law = f" ({entry.nis2_law})" if entry.nis2_law else ""
    if entry.nis2_status != "in_force":
        ctx.note(
            f"NIS2 in {entry.country}: national transposition {entry.nis2_status}{law}; the "
            f"Art. 23 duties bind the entity once national law is in force."
        )
    elif entry.nis2_in_force_from is not None and aware_at.date() < entry.nis2_in_force_from:
        ctx.note(
            f"NIS2 in {entry.country}: the incident predates the national law{law}, in force "
            f"from {entry.nis2_in_force_from.isoformat()}."
        )
    others = "; ".join(
        f"{role.replace('_', ' ')}: {entry.designation(role).describe()}"
        for role in ("nis2_competent_authority", "health_csirt")
    )
    ctx.note(
        f"NIS2 in {entry.country}: reports go to the CSIRT or, where national law says so, "
        f"the competent authority ({others})."
    )
