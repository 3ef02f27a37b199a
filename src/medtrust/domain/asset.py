"""The installed base: assets (devices in a hospital), their links to product versions, and
their lifecycle (end of support).

An asset is one physical or virtual device. It links to a product version (manufacturer, model,
version), which carries the MDS2 disclosures and, later, SBOMs and advisories; vulnerability
exposure is computed through that link, never stored on the asset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from medtrust.domain.product import ProductVersionRef


class Criticality(StrEnum):
    """Clinical criticality of an asset, most critical first.

    The vocabulary follows the clinical-function classes used for medical-device risk
    stratification (life support > therapy > diagnosis > monitoring > non-clinical), as in
    IEC TR 80001-2-1's focus on patient safety and in common CMMS criticality fields.
    """

    LIFE_SUSTAINING = "life-sustaining"
    THERAPEUTIC = "therapeutic"
    DIAGNOSTIC = "diagnostic"
    MONITORING = "monitoring"
    NON_CLINICAL = "non-clinical"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        """0 for the most critical; ``UNKNOWN`` sorts last."""
        return list(Criticality).index(self)


class AssetStatus(StrEnum):
    """Where an asset is in its life in the hospital."""

    IN_USE = "in-use"
    STORED = "stored"
    RETIRED = "retired"


class LinkState(StrEnum):
    """How an asset is tied to a product version."""

    LINKED = "linked"  # exact match or confirmed by a person
    SUGGESTED = "suggested"  # a fuzzy candidate awaits confirmation
    UNLINKED = "unlinked"  # no candidate


class SupportSource(StrEnum):
    """Where an end-of-support date comes from."""

    MANUFACTURER = "manufacturer"  # declared by the manufacturer (letter, web page, contract)
    MDS2 = "mds2"  # stated in the product version's MDS2 disclosure
    ENTERED = "entered"  # entered by the hospital without a manufacturer statement
    OS_TABLE = "os-table"  # the packaged operating-system end-of-life table


class SupportStatus(StrEnum):
    """Support state of an asset on a given day."""

    ENDED = "ended"
    ENDING = "ending"  # ends within the horizon (e.g. 12 months)
    SUPPORTED = "supported"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        """0 for the most urgent."""
        return list(SupportStatus).index(self)


@dataclass(frozen=True, slots=True)
class AssetLocation:
    """Where the asset is."""

    site: str | None = None
    building: str | None = None
    department: str | None = None

    @property
    def label(self) -> str:
        """``site / building / department`` without the empty parts."""
        return " / ".join(p for p in (self.site, self.building, self.department) if p)


@dataclass(frozen=True, slots=True)
class AssetData:
    """The descriptive fields of an asset, as imported or edited (no identity, no link)."""

    asset_tag: str | None = None
    serial_number: str | None = None
    mac_address: str | None = None
    ip_address: str | None = None
    hostname: str | None = None
    location: AssetLocation = AssetLocation()
    network_zone: str | None = None
    vlan: str | None = None
    owner: str | None = None
    clinical_use: str | None = None
    criticality: Criticality = Criticality.UNKNOWN
    status: AssetStatus = AssetStatus.IN_USE
    manufacturer_text: str | None = None
    model_text: str | None = None
    software_version: str | None = None
    operating_system: str | None = None
    udi_di: str | None = None

    @property
    def device_label(self) -> str:
        """Manufacturer and model as written in the source."""
        return " ".join(p for p in (self.manufacturer_text, self.model_text) if p) or "(unnamed)"


@dataclass(frozen=True, slots=True)
class Asset:
    """A stored asset with its product-version link."""

    id: int
    data: AssetData
    link_state: LinkState
    product_version: ProductVersionRef | None
    link_score: int | None
    link_reason: str | None
    source: str | None
    updated_at: datetime

    @property
    def label(self) -> str:
        """Asset tag, else serial, else hostname, else ``asset <id>``."""
        d = self.data
        return d.asset_tag or d.serial_number or d.hostname or f"asset {self.id}"


@dataclass(frozen=True, slots=True)
class EndOfSupport:
    """An end-of-support date with where it comes from."""

    date: date
    source: SupportSource
    reference: str

    @property
    def explanation(self) -> str:
        """One line: the date and its source."""
        return f"{self.date.isoformat()} ({self.source.value}: {self.reference})"


@dataclass(frozen=True, slots=True)
class Compensation:
    """Something that reduces the risk of running an unsupported device."""

    kind: str  # "segmentation" or "mds2"
    ref: str  # network zone/VLAN, or the MDS2 question id
    explanation: str


@dataclass(frozen=True, slots=True)
class LifecycleAssessment:
    """Why an asset is (or is not) a legacy device on a given day."""

    status: SupportStatus
    #: the date that decides ``status`` (the earliest relevant end of support), if any
    decisive: EndOfSupport | None
    #: every end of support considered: product version and operating system
    considered: tuple[EndOfSupport, ...]
    reasons: tuple[str, ...]
    compensations: tuple[Compensation, ...]

    @property
    def is_legacy(self) -> bool:
        """Past or near end of support."""
        return self.status in (SupportStatus.ENDED, SupportStatus.ENDING)


class AssetSort(StrEnum):
    """Orderings of the inventory list (each backed by an index)."""

    TAG = "tag"
    CRITICALITY = "criticality"
    DEPARTMENT = "department"
    MANUFACTURER = "manufacturer"
    UPDATED = "updated"


@dataclass(frozen=True, slots=True)
class AssetQuery:
    """Filters, search and page of the inventory list."""

    q: str | None = None
    site: str | None = None
    department: str | None = None
    criticality: Criticality | None = None
    status: AssetStatus | None = None
    link_state: LinkState | None = None
    network_zone: str | None = None
    manufacturer: str | None = None
    product_version_id: int | None = None
    sort: AssetSort = AssetSort.TAG
    page: int = 1
    page_size: int = 50


@dataclass(frozen=True, slots=True)
class AssetPage:
    """One page of assets and the total matching the filters."""

    items: tuple[Asset, ...]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True, slots=True)
class LegacyEntry:
    """An asset in the legacy register and why it is there."""

    asset: Asset
    assessment: LifecycleAssessment


@dataclass(frozen=True, slots=True)
class LegacyRegister:
    """Assets past or near end of support on ``today``, most urgent first."""

    generated_at: datetime
    today: date
    horizon_days: int
    entries: tuple[LegacyEntry, ...]
    #: assets (not retired) per support status, over the whole inventory
    counts: dict[str, int]
