"""MDR Art. 87 / IVDR Art. 82 (manufacturer) and national user duties under Art. 87(10) / 82(10)."""

from __future__ import annotations

from medtrust.incidents.facts import Device, Role
from medtrust.incidents.planning import Awareness, Context
from medtrust.incidents.regimes import Regime

REGIME_CODES = ("MDR", "IVDR")
RULE_IDS = tuple(
    f"{reg}.{name}"
    for reg in ("mdr", "ivdr")
    for name in (
        "serious_incident_report",
        "serious_incident_report_death",
        "serious_incident_report_public_health",
        "fsca_report",
    )
)
_ARTICLE = {"MDR": "MDR Art. 87", "IVDR": "IVDR Art. 82"}


def national_regimes(ctx: Context, device: Device) -> list[Regime]:
    """Active national user-reporting regimes of the organisation's country for this device."""
    country = ctx.facts.organisation.country
    return [
        regime
        for regime in ctx.regimes.regimes
        if regime.country == country
        and device.regulation.value in regime.device_regulations
        and ctx.regimes.active(regime)
    ]


def assess(ctx: Context) -> None:
    """Add vigilance obligations per device, or why they do not apply."""
    for device in ctx.facts.devices:
        if ctx.facts.organisation.role is Role.MANUFACTURER:
            _manufacturer(ctx, device)
        else:
            _user(ctx, device)


def _manufacturer(ctx: Context, device: Device) -> None:
    regime = ctx.regimes.regime(device.regulation.value)
    for national in national_regimes(ctx, device):
        ctx.skip(national, "not_user", device.name)
    if not device.serious_incident:
        ctx.skip(regime, "not_serious", device.name)
        return
    prefix = device.regulation.value.lower()
    aware = Awareness(device.aware_at, f"devices[{device.index}].aware_at")
    if device.serious_public_health_threat:
        rule = ctx.rule(f"{prefix}.serious_incident_report_public_health")
        why = "serious public health threat"
    elif device.death_or_serious_deterioration:
        rule = ctx.rule(f"{prefix}.serious_incident_report_death")
        why = "death or unanticipated serious deterioration in state of health"
    else:
        rule = ctx.rule(f"{prefix}.serious_incident_report")
        why = "serious incident without death, serious deterioration or public health threat"
    note = (
        f"{rule.limit.describe()} limit applies: {why} ({rule.article}); "
        f"the shortest applicable limit governs."
    )
    ctx.add(
        rule,
        subject=device.name,
        aware=aware,
        anchor_at=device.aware_at,
        country=device.occurred_in,
        notes=(note,),
    )
    ctx.add(
        ctx.rule(f"{prefix}.fsca_report"),
        subject=device.name,
        aware=aware,
        anchor_at=device.fsca_planned_at,
        country=device.occurred_in,
    )


def _user(ctx: Context, device: Device) -> None:
    regime = ctx.regimes.regime(device.regulation.value)
    ctx.skip(regime, "not_manufacturer", device.name)
    nationals = national_regimes(ctx, device)
    country = ctx.country()
    if not nationals:
        md = country.designation("medical_device_authority").describe()
        ctx.note(
            f"No national user-reporting duty ({_ARTICLE[device.regulation.value]}(10)) is encoded "
            f"for {country.country}; check national law (medical-device authority: {md})."
        )
    aware = Awareness(device.aware_at, f"devices[{device.index}].aware_at")
    for national in nationals:
        if not device.serious_incident:
            ctx.skip(national, "not_serious", device.name)
            continue
        ctx.add(national.rules[0], subject=device.name, aware=aware, anchor_at=device.aware_at)
    if device.serious_incident:
        article = _ARTICLE[device.regulation.value]
        ctx.note(
            f"{device.name}: inform the manufacturer so it can assess its {article} duty; "
            f"the competent authority also informs it ({article}(11))."
        )
