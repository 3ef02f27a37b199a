"""Lifecycle evaluation: is a device past or near end of support, and what compensates?

An asset's end of support is the earlier of its product version's (manufacturer-declared,
stated in the MDS2, or entered) and its operating system's (packaged table). Compensating
measures are network segmentation (a recorded zone that is not a flat/general one) and MDS2
capabilities of the product version: malware protection, application allow-listing, host
intrusion detection, hardening (IEC TR 80001-2-2 MLDP and SAHD capabilities).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from medtrust.domain.asset import (
    Compensation,
    EndOfSupport,
    LifecycleAssessment,
    SupportSource,
    SupportStatus,
)
from medtrust.inventory.fields import header_key
from medtrust.inventory.os_eol import OsRelease

DEFAULT_HORIZON_DAYS = 365
#: zone names that mean "not segmented" (the general hospital network)
FLAT_ZONES = frozenset(
    {
        "flat",
        "default",
        "general",
        "corporate",
        "office",
        "lan",
        "guest",
        "none",
        "any",
        "all",
        "internal",
        "intranet",
        "campus",
        "user",
        "users",
        "client",
        "clients",
    }
)

#: MDS2 questions whose "Yes" answer is a compensating capability, with what it means
MDS2_COMPENSATIONS: tuple[tuple[str, str], ...] = (
    ("MLDP-2.1", "anti-malware installed as standard"),
    ("MLDP-3", "other compensating controls where anti-malware cannot be used"),
    ("MLDP-4", "application allow-listing"),
    ("MLDP-5", "host-based intrusion detection/prevention"),
    ("SAHD-10", "unneeded applications removed or disabled"),
    ("SAHD-11", "booting from removable media can be blocked"),
    ("SAHD-14", "can be hardened beyond the delivered configuration"),
    ("CSUP-2.4", "third-party OS security patches may be applied without waiting for the maker"),
)

_EOS_PHRASE = re.compile(
    r"(?:end[\s-]of[\s-](?:support|life|service|servicing)|\bEO[SL]\b|supported\s+until|"
    r"support\s+ends?|support\s+until)[^0-9]{0,40}?(\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4})",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class LifecycleFacts:
    """What the evaluation needs to know about one asset."""

    product_end: EndOfSupport | None
    os_name: str | None
    os_release: OsRelease | None
    network_zone: str | None
    vlan: str | None
    #: answers of the product version's latest MDS2 disclosure (question id -> value)
    mds2_answers: Mapping[str, str]
    mds2_label: str | None = None


def is_segmented(zone: str | None) -> bool:
    """True when the zone is named and is not the flat/general network."""
    if not zone or not zone.strip():
        return False
    words = header_key(zone).split()
    return not words or not all(w in FLAT_ZONES for w in words)


def compensations(facts: LifecycleFacts) -> tuple[Compensation, ...]:
    """Compensating measures, segmentation first, then MDS2 capabilities in form order."""
    found = []
    if is_segmented(facts.network_zone):
        vlan = f", VLAN {facts.vlan}" if facts.vlan else ""
        found.append(
            Compensation(
                "segmentation",
                facts.network_zone or "",
                f"in network zone {facts.network_zone!r}{vlan}",
            )
        )
    where = f" ({facts.mds2_label})" if facts.mds2_label else ""
    for question, meaning in MDS2_COMPENSATIONS:
        if (facts.mds2_answers.get(question) or "").lower() == "yes":
            found.append(Compensation("mds2", question, f"MDS2 {question}: {meaning}{where}"))
    return tuple(found)


def _when(end: date, today: date) -> str:
    days = (end - today).days
    if days < 0:
        return f"ended {-days} days ago"
    if days == 0:
        return "ends today"
    return f"ends in {days} days"


def assess(
    facts: LifecycleFacts, *, today: date, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> LifecycleAssessment:
    """The support status of an asset on ``today`` with every reason."""
    considered: list[EndOfSupport] = []
    reasons: list[str] = []
    if facts.product_end is not None:
        considered.append(facts.product_end)
        reasons.append(
            f"product version: end of support {facts.product_end.explanation}, "
            f"{_when(facts.product_end.date, today)}"
        )
    else:
        reasons.append("product version: no end-of-support date recorded")
    if facts.os_release is not None:
        release = facts.os_release
        considered.append(release.end)
        extension = ""
        if release.extended_end is not None:
            extension = (
                f"; {release.extended_note or 'extended support'} until "
                f"{release.extended_end.isoformat()}"
            )
        reasons.append(
            f"operating system {facts.os_name!r} = {release.name}: end of support "
            f"{release.end_of_support.isoformat()}, {_when(release.end_of_support, today)}"
            f"{extension} (source: {release.source_url})"
        )
    elif facts.os_name:
        reasons.append(f"operating system {facts.os_name!r}: not in the end-of-life table")
    if not considered:
        return LifecycleAssessment(
            SupportStatus.UNKNOWN, None, (), tuple(reasons), compensations(facts)
        )
    decisive = min(considered, key=lambda e: (e.date, e.source.value))
    if decisive.date < today:
        status = SupportStatus.ENDED
    elif decisive.date <= today + timedelta(days=horizon_days):
        status = SupportStatus.ENDING
    else:
        status = SupportStatus.SUPPORTED
    return LifecycleAssessment(
        status, decisive, tuple(considered), tuple(reasons), compensations(facts)
    )


def _parse_date(text: str) -> date | None:
    try:
        if "-" in text:
            return date.fromisoformat(text)
        day, month, year = (int(p) for p in re.split(r"[./]", text))
        return date(year, month, day)
    except ValueError:
        return None


def end_of_support_from_text(texts: Sequence[tuple[str, str]]) -> EndOfSupport | None:
    """An end-of-support date stated in MDS2 free text (notes, other considerations).

    ``texts`` are (where, text) pairs; the first phrase such as "end of support: 2027-06-30"
    or "supported until 30.06.2027" (day first, as written in Europe) wins.
    """
    for where, text in texts:
        match = _EOS_PHRASE.search(text or "")
        if match is None:
            continue
        found = _parse_date(match.group(1))
        if found is not None:
            snippet = " ".join(match.group(0).split())
            return EndOfSupport(found, SupportSource.MDS2, f"{where}: {snippet!r}")
    return None
