"""Security advisories (CSAF 2.0) as read, before any matching against an installed base.

Shapes follow OASIS "Common Security Advisory Framework Version 2.0" (18 November 2022):
the product tree (section 3.2.2: branches, full product names, relationships, product groups),
the product identification helper (3.1.3.3), and per vulnerability the product status
buckets (3.2.3.9), remediations (3.2.3.12), flags (3.2.3.5) and threats (3.2.3.13).
Version ranges stay raw strings: CISA's medical advisories write free text such as
``<= 4.2`` or ``vers:all/*`` and a later stage decides what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from medtrust.domain.vulnerability import FeedKind, Vulnerability


class ProductStatusKind(StrEnum):
    """CSAF 2.0 product status buckets (section 3.2.3.9)."""

    FIRST_AFFECTED = "first_affected"
    FIRST_FIXED = "first_fixed"
    FIXED = "fixed"
    KNOWN_AFFECTED = "known_affected"
    KNOWN_NOT_AFFECTED = "known_not_affected"
    LAST_AFFECTED = "last_affected"
    RECOMMENDED = "recommended"
    UNDER_INVESTIGATION = "under_investigation"


@dataclass(frozen=True, slots=True)
class CsafProduct:
    """A product of the CSAF product tree: a branch leaf, a full product name or a relationship.

    ``vendor``/``product``/``version``/``version_range`` come from the enclosing branches
    (categories ``vendor``, ``product_name``, ``product_version``, ``product_version_range``)
    and are kept exactly as written.
    """

    product_id: str
    name: str
    vendor: str | None = None
    product_family: str | None = None
    product: str | None = None
    version: str | None = None
    version_range: str | None = None
    architecture: str | None = None
    purls: tuple[str, ...] = ()
    cpes: tuple[str, ...] = ()
    model_numbers: tuple[str, ...] = ()
    serial_numbers: tuple[str, ...] = ()
    skus: tuple[str, ...] = ()
    sbom_urls: tuple[str, ...] = ()
    x_generic_uris: tuple[str, ...] = ()
    hashes: tuple[str, ...] = ()  # "<algorithm>:<value>" of file hashes


@dataclass(frozen=True, slots=True)
class CsafRelationship:
    """A CSAF relationship: ``product_reference`` is ``category`` of ``relates_to``.

    The relationship defines a new product (``product_id``), e.g. a library version installed
    on a device model (``installed_on``) or a component of a product (``default_component_of``).
    """

    category: str
    product_reference: str
    relates_to_product_reference: str
    product_id: str
    name: str


@dataclass(frozen=True, slots=True)
class ProductStatus:
    """One product id in one product status bucket of one vulnerability."""

    vulnerability_id: str
    status: ProductStatusKind
    product_id: str


@dataclass(frozen=True, slots=True)
class Remediation:
    """A CSAF remediation (vendor_fix, workaround, mitigation, no_fix_planned, none_available)."""

    vulnerability_id: str
    category: str
    details: str
    product_ids: tuple[str, ...] = ()
    url: str | None = None
    date: datetime | None = None


@dataclass(frozen=True, slots=True)
class CsafFlag:
    """A CSAF flag: a machine-readable VEX justification for ``known_not_affected`` products."""

    vulnerability_id: str
    label: str
    product_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CsafThreat:
    """A CSAF threat (category ``impact``, ``exploit_status`` or ``target_set``)."""

    vulnerability_id: str
    category: str
    details: str
    product_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CsafNote:
    """A document-level CSAF note (section 3.1.6): category, optional title, text."""

    category: str
    text: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Advisory:
    """A security advisory (CSAF 2.0 document) with its products and per-product statuses.

    ``product_ids`` of statuses, remediations, flags and threats are already expanded from
    product groups. ``category`` is the CSAF document category (``csaf_security_advisory``,
    ``csaf_vex``, ``csaf_base`` ...). ``document_notes`` are the document's own notes
    (summary, details, legal disclaimer ...); ``notes`` are problems met while reading it.
    """

    id: str
    source: FeedKind
    category: str
    title: str
    publisher: str
    origin: str = ""
    publisher_namespace: str = ""
    version: str = ""
    status: str = ""
    tlp: str = ""
    published: datetime | None = None
    modified: datetime | None = None
    vulnerabilities: tuple[Vulnerability, ...] = ()
    products: tuple[CsafProduct, ...] = ()
    relationships: tuple[CsafRelationship, ...] = ()
    product_statuses: tuple[ProductStatus, ...] = ()
    remediations: tuple[Remediation, ...] = ()
    flags: tuple[CsafFlag, ...] = ()
    threats: tuple[CsafThreat, ...] = ()
    references: tuple[str, ...] = ()
    document_notes: tuple[CsafNote, ...] = ()
    notes: tuple[str, ...] = ()

    def product(self, product_id: str) -> CsafProduct | None:
        """The product with this id, if the product tree defines it."""
        for candidate in self.products:
            if candidate.product_id == product_id:
                return candidate
        return None
