"""Manufacturer / hospital shared-responsibility matrix for one device in use.

MDCG 2019-16 rev.1 (section 2.5 and Annex I) describes security as a joint responsibility: the
manufacturer builds security capabilities into the device and informs the operator; the
healthcare provider runs the device in a secured environment and applies the operator measures.
This module makes that concrete per device:

* one row per IEC TR 80001-2-2 security capability (clauses 5.1-5.19): which MDS2 questions
  speak to it (through the packaged ``mds2-2019 -> iec-tr-80001-2-2`` mappings), which answers
  show the manufacturer provides it, which show the device leaves it open (the hospital must
  compensate) and which are unknown (ask the manufacturer);
* the MDCG 2019-16 Annex I operator measures, always the hospital's, each with the status the
  organisation's NIS2 self-assessment projects onto it (see :mod:`org_assessment`).

Answer stances come from :func:`medtrust.mds2.compare.stance`; this module takes them as plain
strings keyed by question id, so it stays free of MDS2 parsing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from medtrust.compliance.library import Library
from medtrust.compliance.model import Node
from medtrust.compliance.org_assessment import (
    Answer,
    RequirementStatus,
    project_framework,
)

CAPABILITY_FRAMEWORK = "iec-tr-80001-2-2"
MDS2_FRAMEWORK = "mds2-2019"
MDCG_FRAMEWORK = "mdcg-2019-16"
OPERATOR_PREFIX = "urn:medtrust:req:mdcg-2019-16:annex-i:"

PROTECTIVE = "protective"
EXPOSING = "exposing"
NOT_APPLICABLE = "not-applicable"


class Party(StrEnum):
    """Who carries a capability for this device."""

    MANUFACTURER = "manufacturer"
    SHARED = "shared"
    HOSPITAL = "hospital"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CapabilityRow:
    """One TR 80001-2-2 capability for one device."""

    capability: Node
    provided: tuple[str, ...]
    open: tuple[str, ...]
    unknown: tuple[str, ...]
    not_applicable: tuple[str, ...]
    party: Party

    @property
    def hospital_action(self) -> str:
        """What the hospital has to do for this capability."""
        parts = []
        if self.provided:
            parts.append(
                "configure and keep enabled what the device provides ("
                + ", ".join(self.provided)
                + ")"
            )
        if self.open:
            parts.append(
                "compensate in the environment for "
                + ", ".join(self.open)
                + " (network segmentation, procedures, monitoring)"
            )
        if self.unknown:
            parts.append("ask the manufacturer to answer " + ", ".join(self.unknown))
        if not parts:
            if self.not_applicable:
                return "nothing: the manufacturer marks it not applicable"
            return "no MDS2 question speaks to it: ask the manufacturer and assess it yourself"
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class ResponsibilityMatrix:
    """Capability rows and operator measures for one device."""

    device: str
    capabilities: tuple[CapabilityRow, ...]
    operator_measures: tuple[RequirementStatus, ...]

    def party_counts(self) -> dict[str, int]:
        """How many capabilities each party carries, in :class:`Party` order."""
        out = {p.value: 0 for p in Party}
        for row in self.capabilities:
            out[row.party.value] += 1
        return out


def _question_id(urn: str) -> str:
    return urn.rsplit(":", 1)[-1]


def capability_questions(library: Library, capability_urn: str) -> tuple[str, ...]:
    """MDS2 question ids mapped straight onto a capability (section nodes left out), sorted."""
    found = {
        _question_id(m.source)
        for m in library.mappings_to(capability_urn)
        if library.node(m.source).framework == MDS2_FRAMEWORK
        and library.node(m.source).parent is not None
    }
    return tuple(sorted(found))


def decide_party(provided: int, open_: int, unknown: int) -> Party:
    """Manufacturer when only protective answers, hospital when only open ones, else shared."""
    if provided and not open_ and not unknown:
        return Party.MANUFACTURER
    if open_ and not provided:
        return Party.HOSPITAL
    if provided or open_:
        return Party.SHARED
    return Party.UNKNOWN


def capability_rows(library: Library, stances: Mapping[str, str]) -> tuple[CapabilityRow, ...]:
    """One row per capability from answer stances keyed by MDS2 question id."""
    if MDS2_FRAMEWORK not in library.frameworks:
        reasons = "; ".join(library.unavailable) or "not loaded"
        raise ValueError(f"the MDS2 catalogue is unavailable: {reasons}")
    rows = []
    for node in library.framework(CAPABILITY_FRAMEWORK).assessable():
        groups: dict[str, list[str]] = {"p": [], "o": [], "u": [], "n": []}
        for qid in capability_questions(library, node.urn):
            value = stances.get(qid, "unanswered")
            key = {PROTECTIVE: "p", EXPOSING: "o", NOT_APPLICABLE: "n"}.get(value, "u")
            if value == "descriptive":
                continue
            groups[key].append(qid)
        rows.append(
            CapabilityRow(
                capability=node,
                provided=tuple(groups["p"]),
                open=tuple(groups["o"]),
                unknown=tuple(groups["u"]),
                not_applicable=tuple(groups["n"]),
                party=decide_party(len(groups["p"]), len(groups["o"]), len(groups["u"])),
            )
        )
    return tuple(rows)


def operator_measures(library: Library, answers: Iterable[Answer]) -> tuple[RequirementStatus, ...]:
    """MDCG 2019-16 Annex I operator measures with the statuses the NIS2 answers project."""
    projection = project_framework(library, {a.urn: a for a in answers}, MDCG_FRAMEWORK)
    return tuple(r for r in projection.requirements if r.node.urn.startswith(OPERATOR_PREFIX))


def responsibility_matrix(
    library: Library, device: str, stances: Mapping[str, str], answers: Iterable[Answer]
) -> ResponsibilityMatrix:
    """The shared-responsibility matrix of one device for one organisation."""
    return ResponsibilityMatrix(
        device=device,
        capabilities=capability_rows(library, stances),
        operator_measures=operator_measures(library, answers),
    )
