"""CRA Art. 14: manufacturers of products with digital elements that are not MDR/IVDR devices."""

from __future__ import annotations

from datetime import datetime

from medtrust.incidents.facts import CraProduct, CraTrack, Role
from medtrust.incidents.obligation import Obligation
from medtrust.incidents.planning import Awareness, Context
from medtrust.incidents.regimes import Regime
from medtrust.incidents.timing import Due

REGIME_CODES = ("CRA",)
RULE_IDS = (
    "cra.vulnerability.early_warning",
    "cra.vulnerability.notification",
    "cra.vulnerability.final",
    "cra.incident.early_warning",
    "cra.incident.notification",
    "cra.incident.final",
    "cra.intermediate",
    "cra.user_information",
)
_LABEL = {
    CraTrack.VULNERABILITY: "actively exploited vulnerability",
    CraTrack.INCIDENT: "severe incident",
}


def assess(ctx: Context) -> None:
    """Add CRA obligations per product and track, or why they do not apply."""
    regime = ctx.regimes.regime("CRA")
    for device in ctx.facts.devices:
        ctx.skip(regime, "medical_device", device.name)
    products = ctx.facts.cra_products
    if not products:
        if ctx.facts.organisation.role is Role.MANUFACTURER and not ctx.facts.devices:
            ctx.skip(regime, "no_cra_products", "products with digital elements")
        return
    for product in products:
        if ctx.facts.organisation.role is not Role.MANUFACTURER:
            ctx.skip(regime, "not_manufacturer", product.name)
            continue
        if product.vulnerability is not None:
            _track(ctx, regime, product, CraTrack.VULNERABILITY, product.vulnerability.aware_at)
        if product.severe_incident is not None:
            _track(ctx, regime, product, CraTrack.INCIDENT, product.severe_incident.aware_at)


def _track(
    ctx: Context, regime: Regime, product: CraProduct, track: CraTrack, aware_at: datetime
) -> None:
    subject = f"{product.name} ({_LABEL[track]})"
    local_day = aware_at.astimezone(ctx.zone or aware_at.tzinfo).date()
    if regime.applies_from is not None and local_day < regime.applies_from:
        ctx.skip(regime, "before_application", subject)
        return
    key = (
        "actively_exploited_vulnerability" if track is CraTrack.VULNERABILITY else "severe_incident"
    )
    aware = Awareness(aware_at, f"cra_products[{product.index}].{key}.aware_at")

    def add(
        rule_id: str,
        anchor_at: datetime | None,
        *,
        projected_from: Due | None = None,
        notes: tuple[str, ...] = (),
    ) -> Obligation:
        return ctx.add(
            ctx.rule(rule_id),
            subject=subject,
            aware=aware,
            anchor_at=anchor_at,
            track=track,
            match_name=product.name,
            projected_from=projected_from,
            notes=notes,
        )

    prefix = f"cra.{track.value}"
    add(f"{prefix}.early_warning", aware_at)
    notification = add(f"{prefix}.notification", aware_at)
    if track is CraTrack.VULNERABILITY and product.vulnerability is not None:
        fix = product.vulnerability.fix_available_at
        notes: tuple[str, ...] = ()
        if fix is not None and fix < aware_at:
            notes = (
                "The measure was available before awareness; the 14 days are counted from "
                "awareness (the duty cannot run before the manufacturer is aware).",
            )
            fix = aware_at
        add(f"{prefix}.final", fix, notes=notes)
    else:
        add(f"{prefix}.final", notification.submitted_at, projected_from=notification.due)
    add("cra.intermediate", None)
    add("cra.user_information", aware_at)
