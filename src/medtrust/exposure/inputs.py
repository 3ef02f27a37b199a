"""Decision inputs from facts, each with the reasons for its value.

Vulnerability-side inputs (exploitation, automatable) depend only on the finding; asset-side
inputs (exposure, impact, compensating controls) only on the asset's profile: its product
version's MDS2 answers, criticality, network zone and status. So each is computed once per
finding or per profile and combined column-wise (:mod:`medtrust.exposure.evaluate`).

MDS2 question ids are those of the MDS2 2019 form (NEMA/HIMSS HN 1-2019): CONN-1 (any means of
connecting), CONN-4 (talks to systems beyond the hospital), CONN-6 (needs Internet access),
RMOT-1 (remote service), MPII-1 (handles personal data).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from medtrust.domain.asset import AssetStatus, Criticality
from medtrust.exposure.model import Automatable, Exploitation, Exposure, Impact, Input
from medtrust.exposure.policy import DecisionPolicy
from medtrust.exposure.settings import ExposureSettings
from medtrust.inventory.lifecycle import LifecycleFacts, compensations, is_segmented


@dataclass(frozen=True, slots=True)
class VulnFacts:
    """What the finding says about the vulnerability."""

    kev: bool
    kev_date: str | None
    epss: float | None
    cvss_vector: str | None


@dataclass(frozen=True, slots=True)
class Profile:
    """What decides exposure and impact for a group of alike assets."""

    criticality: str
    network_zone: str | None
    vlan: str | None
    status: str
    answers: Mapping[str, str]
    mds2_label: str | None


@lru_cache(maxsize=16384)
def _metrics(vector: str) -> Mapping[str, str]:
    """The metrics of a CVSS vector (cached: a portfolio's vulnerabilities share vectors)."""
    parts = [p for p in vector.split("/") if ":" in p and not p.startswith("CVSS:")]
    return MappingProxyType(dict(p.split(":", 1) for p in parts))


def exploitation(facts: VulnFacts, settings: ExposureSettings) -> Input:
    """active: CISA KEV or a CVSS v4 E:A; poc: EPSS at the threshold or exploit-maturity metric."""
    metrics = _metrics(facts.cvss_vector or "")
    version4 = (facts.cvss_vector or "").startswith("CVSS:4")
    if facts.kev:
        since = f" since {facts.kev_date}" if facts.kev_date else ""
        return Input("exploitation", Exploitation.ACTIVE, (f"in CISA KEV{since}",))
    if version4 and metrics.get("E") == "A":
        return Input("exploitation", Exploitation.ACTIVE, ("CVSS v4 E:A (attacked)",))
    reasons: list[str] = []
    if facts.epss is not None and facts.epss >= settings.epss_poc:
        reasons.append(f"EPSS {facts.epss:g} >= {settings.epss_poc:g}")
    maturity = metrics.get("E")
    # exploit maturity: CVSS v4 P; v3.x P/F/H; v2 POC/F/H (FIRST CVSS specifications)
    if maturity in ({"P"} if version4 else {"P", "F", "H", "POC"}):
        reasons.append(f"CVSS exploit maturity E:{maturity}")
    if reasons:
        return Input("exploitation", Exploitation.POC, tuple(reasons))
    epss = "no EPSS score" if facts.epss is None else f"EPSS {facts.epss:g} < {settings.epss_poc:g}"
    return Input("exploitation", Exploitation.NONE, (f"not in CISA KEV, {epss}",))


def automatable(facts: VulnFacts) -> Input:
    """yes when the CVSS vector says network attack, no privileges and no user interaction."""
    return _automatable(facts.cvss_vector or "")


@lru_cache(maxsize=16384)
def _automatable(vector: str) -> Input:
    if not vector:
        return Input("automatable", Automatable.NO, ("no CVSS vector; not assumed",))
    m = _metrics(vector)
    if vector.startswith("CVSS:4") and m.get("AU") in {"Y", "N"}:
        # CVSS v4's supplemental Automatable metric answers the question directly
        verdict = Automatable.YES if m["AU"] == "Y" else Automatable.NO
        return Input("automatable", verdict, (f"CVSS v4 AU:{m['AU']}",))
    network = m.get("AV") == "N"
    no_privileges = m.get("PR", m.get("Au")) == "N"
    no_user = m.get("UI", "N") in {"N"}
    verdict = Automatable.YES if network and no_privileges and no_user else Automatable.NO
    shown = "/".join(f"{k}:{m[k]}" for k in ("AV", "PR", "Au", "UI") if k in m)
    return Input("automatable", verdict, (f"CVSS {shown}",))


def exposure(profile: Profile, settings: ExposureSettings) -> Input:
    """small, controlled or open from status, MDS2 connectivity and the network zone."""
    answers = profile.answers
    zone = profile.network_zone
    notes = []
    if (answers.get("RMOT-1") or "").lower() == "yes":
        notes.append("vendor remote service (MDS2 RMOT-1 Yes)")
    if (answers.get("CONN-4") or "").lower() == "yes":
        notes.append("talks beyond the hospital (MDS2 CONN-4 Yes)")
    if profile.status == AssetStatus.STORED.value:
        return Input("exposure", Exposure.SMALL, ("stored, not in use", *notes))
    if (answers.get("CONN-1") or "").lower() == "no":
        if not notes:
            return Input("exposure", Exposure.SMALL, ("no means of connecting (MDS2 CONN-1 No)",))
        # a form saying "no connectivity" and "remote service" at once is not trusted
        notes.insert(0, "MDS2 CONN-1 No contradicted by its own connectivity answers")
    listed = settings.zone_listed(zone)
    if listed == "isolated":
        return Input("exposure", Exposure.SMALL, (f"zone {zone!r} is listed as isolated", *notes))
    if listed == "open":
        return Input("exposure", Exposure.OPEN, (f"zone {zone!r} is listed as open", *notes))
    if not is_segmented(zone):
        why = (
            f"zone {zone!r} is the general network"
            if (zone or "").strip()
            else "no network zone recorded"
        )
        return Input("exposure", Exposure.OPEN, (why, *notes))
    if (answers.get("CONN-6") or "").lower() == "yes":
        return Input("exposure", Exposure.OPEN, ("needs Internet access (MDS2 CONN-6 Yes)", *notes))
    vlan = f", VLAN {profile.vlan}" if profile.vlan else ""
    return Input("exposure", Exposure.CONTROLLED, (f"segmented zone {zone!r}{vlan}", *notes))


def impact(profile: Profile, policy: DecisionPolicy) -> Input:
    """Human impact from clinical criticality, raised for personal data."""
    try:
        criticality = Criticality(profile.criticality)
    except ValueError:
        criticality = Criticality.UNKNOWN
    entry = policy.impact[criticality]
    value, reasons = entry.impact, [f"{criticality.value}: {entry.reason}"]
    personal = (profile.answers.get("MPII-1") or "").lower() == "yes"
    order = list(Impact)
    if personal and order.index(value) < order.index(policy.patient_data_impact):
        value = policy.patient_data_impact
        reasons.append("handles personal data (MDS2 MPII-1 Yes)")
    return Input("impact", value, tuple(reasons))


def compensating(profile: Profile) -> Input:
    """Compensating measures (segmentation, MDS2 capabilities): listed, not decisive."""
    facts = LifecycleFacts(
        product_end=None,
        os_name=None,
        os_release=None,
        network_zone=profile.network_zone,
        vlan=profile.vlan,
        mds2_answers=profile.answers,
        mds2_label=profile.mds2_label,
    )
    found = compensations(facts)
    return Input(
        "compensating", str(len(found)), tuple(c.explanation for c in found) or ("none known",)
    )
