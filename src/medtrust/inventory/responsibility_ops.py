"""Shared responsibility in operation: what one asset's data says about the hospital's part.

The capability rows come unchanged from :mod:`medtrust.compliance.responsibility` (the matrix of
the product version's latest MDS2 disclosure). This module only adds, per row, the
*operational status* of one asset where the installed base knows something about it. The rules
are a small table (:data:`RULES`); each names the TR 80001-2-2 capabilities it annotates, the MDS2
questions it reads, the packaged requirement(s) it rests on, and produces one explained status:

``segmentation``
    MLDP, SAHD, NAUT, TXCF and TXIG rows where the device leaves something open: the hospital
    compensates in the environment. A recorded network zone that is not the general network
    (:func:`medtrust.inventory.lifecycle.is_segmented`) meets it; the general network, or no
    zone recorded, leaves it open. Basis: MDCG 2019-16 rev.1 section 2.5 (operating
    environment: network segmentation) and Annex I, 2.1 (IT security architecture).
``end-of-support``
    The CSUP row (security patches and upgrades): the asset's lifecycle assessment. Ended or
    ending support is open (replace or compensate, with the compensations already recorded);
    supported is met; no known date is to be checked. Basis: MDCG 2019-16 Annex I, 2.4 (IT
    security maintenance: avoid end-of-life components).
``remote-service``
    The NAUT row (authenticating communication partners): the packaged MDS2 mappings tie no
    TR 80001-2-2 capability to the RMOT questions, and a remote service connection is a
    communication partner of the device, so the rule annotates that row. RMOT-1 "Yes" means the
    hospital controls remote sessions (to check in operation; RMOT-1.1/1.2 say what the device
    offers for it); "No" meets it. Basis: MDCG 2019-16 Annex I, 1.2 (ecosystem management:
    service providers that connect).

Everything here is pure: no database, no web.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from medtrust.compliance.responsibility import (
    EXPOSING,
    NOT_APPLICABLE,
    PROTECTIVE,
    CapabilityRow,
    ResponsibilityMatrix,
)
from medtrust.domain.asset import Asset, LifecycleAssessment, SupportStatus
from medtrust.domain.product import DisclosureSummary, ProductVersionRef
from medtrust.inventory.lifecycle import is_segmented

MDCG = "urn:medtrust:req:mdcg-2019-16:"


class OpState(StrEnum):
    """What the asset's data says about the hospital's part of a capability."""

    MET = "met"  # the recorded data shows it is done
    OPEN = "open"  # the recorded data shows it is not done, or action is due
    CHECK = "check"  # a duty the recorded data cannot confirm: verify in operation


@dataclass(frozen=True, slots=True)
class AssetOpsFacts:
    """What the rules read about one asset (all from the installed base and its MDS2)."""

    network_zone: str | None
    vlan: str | None
    lifecycle: LifecycleAssessment
    #: stances of the latest disclosure's answers, keyed by MDS2 question id
    stances: Mapping[str, str]
    today: date


@dataclass(frozen=True, slots=True)
class OperationalStatus:
    """One rule's verdict on one capability row for one asset."""

    rule: str
    state: OpState
    text: str
    #: MDS2 questions the verdict reads (besides the row's own)
    questions: tuple[str, ...]


Evaluate = Callable[[CapabilityRow, AssetOpsFacts], OperationalStatus | None]


@dataclass(frozen=True, slots=True)
class OpsRule:
    """An asset-specific rule: which rows it annotates, what it reads and why."""

    id: str
    capabilities: tuple[str, ...]
    questions: tuple[str, ...]
    #: URNs of the packaged requirements the rule rests on
    basis: tuple[str, ...]
    summary: str
    evaluate: Evaluate


def _zone(facts: AssetOpsFacts) -> str:
    vlan = f", VLAN {facts.vlan}" if facts.vlan else ""
    return f"{facts.network_zone!r}{vlan}"


def _segmentation(row: CapabilityRow, facts: AssetOpsFacts) -> OperationalStatus | None:
    if not row.open:
        return None
    left = ", ".join(row.open)
    if is_segmented(facts.network_zone):
        return OperationalStatus(
            "segmentation",
            OpState.MET,
            f"asset is in segmented network zone {_zone(facts)}: compensates for {left}",
            (),
        )
    if facts.network_zone and facts.network_zone.strip():
        text = (
            f"asset is on the general network (zone {_zone(facts)}): segment it and monitor "
            f"its traffic to compensate for {left}"
        )
    else:
        text = (
            "no network zone recorded for this asset: treat it as on the general network; "
            f"segment it, record the zone, and monitor it to compensate for {left}"
        )
    return OperationalStatus("segmentation", OpState.OPEN, text, ())


def _compensated_by(lifecycle: LifecycleAssessment) -> str:
    found = "; ".join(c.explanation for c in lifecycle.compensations)
    return f"recorded compensations: {found}" if found else "no compensation recorded"


def _end_of_support(row: CapabilityRow, facts: AssetOpsFacts) -> OperationalStatus | None:
    del row
    lc = facts.lifecycle
    end = lc.decisive
    if lc.status is SupportStatus.UNKNOWN or end is None:
        return OperationalStatus(
            "end-of-support",
            OpState.CHECK,
            "no end-of-support date known for the product version or its operating system: "
            "ask the manufacturer until when it ships security updates, and record it",
            (),
        )
    if lc.status is SupportStatus.ENDED:
        return OperationalStatus(
            "end-of-support",
            OpState.OPEN,
            f"security updates ended on {end.date.isoformat()} ({end.source.value}: "
            f"{end.reference}): compensate (segmentation, monitoring) or replace; "
            + _compensated_by(lc),
            (),
        )
    if lc.status is SupportStatus.ENDING:
        days = (end.date - facts.today).days
        return OperationalStatus(
            "end-of-support",
            OpState.OPEN,
            f"security updates end on {end.date.isoformat()} (in {days} days; "
            f"{end.source.value}: {end.reference}): plan replacement or compensating measures; "
            + _compensated_by(lc),
            (),
        )
    return OperationalStatus(
        "end-of-support",
        OpState.MET,
        f"security updates supported until {end.date.isoformat()} ({end.source.value}: "
        f"{end.reference}): apply them as released",
        (),
    )


REMOTE_QUESTIONS = ("RMOT-1", "RMOT-1.1", "RMOT-1.2")


def _remote_service(row: CapabilityRow, facts: AssetOpsFacts) -> OperationalStatus | None:
    del row
    remote = facts.stances.get("RMOT-1", "unanswered")
    if remote == NOT_APPLICABLE:
        return None
    if remote == PROTECTIVE:
        return OperationalStatus(
            "remote-service",
            OpState.MET,
            "no remote service connections (RMOT-1: No): nothing to control",
            ("RMOT-1",),
        )
    if remote != EXPOSING:
        return OperationalStatus(
            "remote-service",
            OpState.CHECK,
            "the MDS2 does not say whether remote service is possible (RMOT-1 unanswered): "
            "ask the manufacturer; until then control any remote access as below",
            ("RMOT-1",),
        )
    parts = [
        "remote service connections are possible (RMOT-1: Yes): the hospital controls remote "
        "sessions (allow them per session, approve and log each one)"
    ]
    start = facts.stances.get("RMOT-1.1")
    if start == PROTECTIVE:
        parts.append("the device lets the hospital start them itself (RMOT-1.1)")
    elif start == EXPOSING:
        parts.append(
            "the hospital cannot start them itself (RMOT-1.1: No): agree notice and "
            "approval with the manufacturer in the service contract"
        )
    shows = facts.stances.get("RMOT-1.2")
    if shows == PROTECTIVE:
        parts.append("the device shows when remote access is in use (RMOT-1.2)")
    elif shows == EXPOSING:
        parts.append(
            "the device does not show when remote access is in use (RMOT-1.2: No): "
            "monitor the connections on the network"
        )
    return OperationalStatus("remote-service", OpState.CHECK, "; ".join(parts), REMOTE_QUESTIONS)


RULES: tuple[OpsRule, ...] = (
    OpsRule(
        id="segmentation",
        capabilities=("MLDP", "SAHD", "NAUT", "TXCF", "TXIG"),
        questions=(),
        basis=(MDCG + "2.5", MDCG + "annex-i:2.1"),
        summary="where the device leaves the capability open, the asset sits in a segmented zone",
        evaluate=_segmentation,
    ),
    OpsRule(
        id="end-of-support",
        capabilities=("CSUP",),
        questions=(),
        basis=(MDCG + "annex-i:2.4",),
        summary="security updates still ship for the product version and its operating system",
        evaluate=_end_of_support,
    ),
    OpsRule(
        id="remote-service",
        capabilities=("NAUT",),
        questions=REMOTE_QUESTIONS,
        basis=(MDCG + "annex-i:1.2",),
        summary="remote service sessions are controlled by the hospital",
        evaluate=_remote_service,
    ),
)


@dataclass(frozen=True, slots=True)
class AssetRow:
    """A capability row of the product version's matrix with this asset's operational status."""

    row: CapabilityRow
    operational: tuple[OperationalStatus, ...]

    @property
    def questions(self) -> tuple[str, ...]:
        """Every MDS2 question the row and its statuses rest on, sorted."""
        found = {*self.row.provided, *self.row.open, *self.row.unknown, *self.row.not_applicable}
        for status in self.operational:
            found.update(status.questions)
        return tuple(sorted(found))


def operational_rows(
    rows: Sequence[CapabilityRow], facts: AssetOpsFacts, rules: Sequence[OpsRule] = RULES
) -> tuple[AssetRow, ...]:
    """The rows in matrix order, each with the statuses of the rules for it in rule order."""
    out = []
    for row in rows:
        found = []
        for rule in rules:
            if row.capability.ref_id in rule.capabilities:
                status = rule.evaluate(row, facts)
                if status is not None:
                    found.append(status)
        out.append(AssetRow(row, tuple(found)))
    return tuple(out)


def state_counts(rows: Sequence[AssetRow]) -> dict[str, int]:
    """How many operational statuses are in each state, in :class:`OpState` order."""
    out = {s.value: 0 for s in OpState}
    for row in rows:
        for status in row.operational:
            out[status.state.value] += 1
    return out


# --- the views the service returns --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VersionResponsibility:
    """A product version's shared-responsibility matrix from its latest MDS2 disclosure.

    ``matrix`` and ``disclosure`` are None when the product version has no MDS2 disclosure.
    """

    product_version: ProductVersionRef
    disclosure: DisclosureSummary | None
    #: the date the disclosure says it was issued (DOC-7), as written
    issued: str | None
    matrix: ResponsibilityMatrix | None
    generated_at: datetime

    @property
    def disclosure_label(self) -> str:
        """``MDS2 disclosure #id, revision r, issued …, uploaded …`` or the missing state."""
        d = self.disclosure
        if d is None:
            return "no MDS2 disclosure for this product version"
        issued = f", issued {self.issued}" if self.issued else ""
        return (
            f"MDS2 disclosure #{d.id}, revision {d.revision}{issued}, "
            f"uploaded {d.uploaded_at.date().isoformat()}"
        )


@dataclass(frozen=True, slots=True)
class AssetResponsibility:
    """One asset: its product version's matrix, each row with the asset's operational status.

    ``version`` is None when the asset is not tied to a product version; ``rows`` is empty when
    there is no matrix.
    """

    asset: Asset
    version: VersionResponsibility | None
    lifecycle: LifecycleAssessment
    rows: tuple[AssetRow, ...]
    generated_at: datetime

    @property
    def state(self) -> str:
        """``ok``, ``no-mds2`` or ``not-linked``."""
        if self.version is None:
            return "not-linked"
        return "ok" if self.version.matrix is not None else "no-mds2"

    def state_counts(self) -> dict[str, int]:
        """Operational statuses per state."""
        return state_counts(self.rows)
