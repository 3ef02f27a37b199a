"""VEX (Vulnerability Exploitability eXchange) statements, independent of the carrying format.

A statement says, for one vulnerability and one or more products/components, whether they are
affected. The four statuses are the minimum set of CISA's "Minimum Requirements for VEX"
(April 2023, section 2): not_affected, affected, fixed, under_investigation. Readers for
CycloneDX (embedded or standalone VEX), CSAF VEX and OpenVEX map their own vocabularies onto
these and keep the original wording in ``source_status`` so that every mapping explains itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class VexStatus(StrEnum):
    """Status of a product/component with respect to one vulnerability (CISA minimum set)."""

    NOT_AFFECTED = "not_affected"
    AFFECTED = "affected"
    FIXED = "fixed"
    UNDER_INVESTIGATION = "under_investigation"


@dataclass(frozen=True, slots=True)
class VexVersionStatus:
    """A per-version refinement carried by some formats (CycloneDX ``affects[].versions``)."""

    ref: str
    version: str | None
    range: str | None
    status: str


@dataclass(frozen=True, slots=True)
class VexStatement:
    """One VEX statement: a vulnerability, a status and the components it applies to.

    ``refs`` are the component references as written in the source (CycloneDX bom-refs or
    BOM-Links, CSAF product ids, OpenVEX product ``@id``); ``purls`` are the canonical purls of
    those components when the source document lets them be resolved. ``source`` names the
    document the statement came from (file name, serial number or URL).
    """

    vulnerability_id: str
    status: VexStatus
    source_status: str
    justification: str | None = None
    detail: str | None = None
    responses: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    purls: tuple[str, ...] = ()
    versions: tuple[VexVersionStatus, ...] = ()
    source: str = ""
