"""DTOs of the installed-base API, built from domain objects."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from medtrust.api.schemas import ProductVersionOut
from medtrust.domain.asset import (
    Asset,
    EndOfSupport,
    LegacyRegister,
    LifecycleAssessment,
    SupportSource,
)
from medtrust.inventory.importers.base import TableInfo
from medtrust.inventory.report import RowIssue
from medtrust.services.inventory import ImportPreview, ImportReport
from medtrust.services.inventory_legacy import ProductLifecycle
from medtrust.services.inventory_links import LinkGroup
from medtrust.storage.repositories.inventory_meta import ImportRunInfo

#: largest number of row issues returned inline (the rest: GET /assets/imports/{id})
MAX_INLINE_ISSUES = 1000


class AssetOut(BaseModel):
    """An asset with its product-version link."""

    id: int
    asset_tag: str | None
    serial_number: str | None
    mac_address: str | None
    ip_address: str | None
    hostname: str | None
    site: str | None
    building: str | None
    department: str | None
    network_zone: str | None
    vlan: str | None
    owner: str | None
    clinical_use: str | None
    criticality: str
    status: str
    manufacturer_text: str | None
    model_text: str | None
    software_version: str | None
    operating_system: str | None
    udi_di: str | None
    link_state: str
    link_score: int | None
    link_reason: str | None
    product_version: ProductVersionOut | None
    source: str | None
    updated_at: datetime

    @classmethod
    def of(cls, a: Asset) -> AssetOut:
        """From the domain object."""
        d = a.data
        return cls(
            id=a.id,
            asset_tag=d.asset_tag,
            serial_number=d.serial_number,
            mac_address=d.mac_address,
            ip_address=d.ip_address,
            hostname=d.hostname,
            site=d.location.site,
            building=d.location.building,
            department=d.location.department,
            network_zone=d.network_zone,
            vlan=d.vlan,
            owner=d.owner,
            clinical_use=d.clinical_use,
            criticality=d.criticality.value,
            status=d.status.value,
            manufacturer_text=d.manufacturer_text,
            model_text=d.model_text,
            software_version=d.software_version,
            operating_system=d.operating_system,
            udi_di=d.udi_di,
            link_state=a.link_state.value,
            link_score=a.link_score,
            link_reason=a.link_reason,
            product_version=ProductVersionOut.of(a.product_version) if a.product_version else None,
            source=a.source,
            updated_at=a.updated_at,
        )


class AssetPageOut(BaseModel):
    """A page of assets."""

    items: list[AssetOut]
    total: int
    page: int
    page_size: int
    pages: int


class EndOfSupportOut(BaseModel):
    """An end-of-support date and its source."""

    date: date
    source: str
    reference: str

    @classmethod
    def of(cls, e: EndOfSupport) -> EndOfSupportOut:
        """From the domain object."""
        return cls(date=e.date, source=e.source.value, reference=e.reference)


class CompensationOut(BaseModel):
    """A compensating measure."""

    kind: str
    ref: str
    explanation: str


class LifecycleOut(BaseModel):
    """Why an asset is (not) legacy."""

    status: str
    is_legacy: bool
    decisive: EndOfSupportOut | None
    considered: list[EndOfSupportOut]
    reasons: list[str]
    compensations: list[CompensationOut]

    @classmethod
    def of(cls, a: LifecycleAssessment) -> LifecycleOut:
        """From the domain object."""
        return cls(
            status=a.status.value,
            is_legacy=a.is_legacy,
            decisive=EndOfSupportOut.of(a.decisive) if a.decisive else None,
            considered=[EndOfSupportOut.of(e) for e in a.considered],
            reasons=list(a.reasons),
            compensations=[
                CompensationOut(kind=c.kind, ref=c.ref, explanation=c.explanation)
                for c in a.compensations
            ],
        )


class AssetDetailOut(BaseModel):
    """An asset and its lifecycle assessment."""

    asset: AssetOut
    lifecycle: LifecycleOut


class TableInfoOut(BaseModel):
    """How the file was read."""

    format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    notes: list[str]

    @classmethod
    def of(cls, i: TableInfo) -> TableInfoOut:
        """From the reader's info."""
        return cls(
            format=i.format,
            encoding=i.encoding,
            delimiter=i.delimiter,
            sheet=i.sheet,
            header_row=i.header_row,
            notes=list(i.notes),
        )


class GuessOut(BaseModel):
    """The guess for one column."""

    header: str
    field: str | None
    score: int
    reason: str


class PreviewOut(BaseModel):
    """A file's header, first rows and proposed mapping."""

    info: TableInfoOut
    headers: list[str]
    guesses: list[GuessOut]
    mapping: dict[str, Any]
    mapping_origin: str
    missing_headers: list[str]
    sample: list[dict[str, Any]]

    @classmethod
    def of(cls, p: ImportPreview) -> PreviewOut:
        """From the service result."""
        return cls(
            info=TableInfoOut.of(p.info),
            headers=list(p.headers),
            guesses=[
                GuessOut(
                    header=g.header,
                    field=g.field.value if g.field else None,
                    score=g.score,
                    reason=g.reason,
                )
                for g in p.guesses
            ],
            mapping=p.mapping.to_dict(),
            mapping_origin=p.mapping_origin,
            missing_headers=list(p.missing_headers),
            sample=[{"row": n, "cells": list(c)} for n, c in p.sample],
        )


class IssueOut(BaseModel):
    """A row finding."""

    row: int
    severity: str
    code: str
    message: str
    column: str | None
    field: str | None

    @classmethod
    def of(cls, i: RowIssue) -> IssueOut:
        """From the domain object."""
        return cls(
            row=i.row,
            severity=i.severity.value,
            code=i.code,
            message=i.message,
            column=i.column,
            field=i.field,
        )


class ImportReportOut(BaseModel):
    """Outcome of an import or dry run."""

    dry_run: bool
    run_id: int | None
    info: TableInfoOut
    mapping: dict[str, Any]
    content_digest: str
    counts: dict[str, int]
    rejected_rows: list[int]
    issues_total: int
    issues: list[IssueOut] = Field(description=f"the first {MAX_INLINE_ISSUES} findings")

    @classmethod
    def of(cls, r: ImportReport) -> ImportReportOut:
        """From the service result."""
        return cls(
            dry_run=r.dry_run,
            run_id=r.run_id,
            info=TableInfoOut.of(r.info),
            mapping=r.mapping.to_dict(),
            content_digest=r.content_digest,
            counts=r.counts,
            rejected_rows=list(r.rejected_rows),
            issues_total=len(r.issues),
            issues=[IssueOut.of(i) for i in r.issues[:MAX_INLINE_ISSUES]],
        )


class ImportRunOut(BaseModel):
    """A committed import."""

    id: int
    source: str | None
    filename: str | None
    content_digest: str
    reader: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    mapping: dict[str, Any]
    counts: dict[str, int]
    notes: list[str]
    started_at: datetime
    finished_at: datetime

    @classmethod
    def of(cls, r: ImportRunInfo) -> ImportRunOut:
        """From the stored run."""
        return cls(
            id=r.id,
            source=r.source,
            filename=r.filename,
            content_digest=r.content_digest,
            reader=r.reader,
            encoding=r.encoding,
            delimiter=r.delimiter,
            sheet=r.sheet,
            header_row=r.header_row,
            mapping=r.mapping,
            counts=r.counts,
            notes=list(r.notes),
            started_at=r.started_at,
            finished_at=r.finished_at,
        )


class ImportRunDetailOut(BaseModel):
    """A committed import with a page of its row findings."""

    run: ImportRunOut
    issues_total: int
    issues: list[IssueOut]


class LinkGroupOut(BaseModel):
    """Assets sharing manufacturer/model/version texts and the suggested product version."""

    manufacturer: str | None
    model: str | None
    version: str | None
    state: str
    count: int
    suggestion: ProductVersionOut | None
    score: int | None
    reason: str

    @classmethod
    def of(cls, g: LinkGroup) -> LinkGroupOut:
        """From the service result."""
        pv = g.decision.product_version
        return cls(
            manufacturer=g.manufacturer,
            model=g.model,
            version=g.version,
            state=g.state.value,
            count=g.count,
            suggestion=ProductVersionOut.of(pv) if pv else None,
            score=g.decision.score,
            reason=g.decision.reason,
        )


class LinkConfirmIn(BaseModel):
    """Confirm a link: to an existing product version, or to one created from the names."""

    manufacturer: str | None = None
    model: str | None = None
    version: str | None = None
    product_version_id: int | None = None
    create_manufacturer: str | None = None
    create_product: str | None = None
    create_version: str | None = None


class LinkConfirmOut(BaseModel):
    """Result of a confirmation."""

    product_version: ProductVersionOut
    linked: int


class LifecycleIn(BaseModel):
    """End of support of a product version and the OS it runs."""

    end_of_support: date | None = None
    source: SupportSource | None = None
    reference: str | None = Field(default=None, max_length=300)
    operating_system: str | None = Field(default=None, max_length=100)


class ProductLifecycleOut(BaseModel):
    """A product version's lifecycle facts."""

    product_version: ProductVersionOut
    effective_end: EndOfSupportOut | None
    stored_end: EndOfSupportOut | None
    mds2_end: EndOfSupportOut | None
    operating_system: str | None
    os_release: str | None
    os_end_of_support: date | None
    asset_count: int
    disclosure_ids: list[int]

    @classmethod
    def of(cls, p: ProductLifecycle) -> ProductLifecycleOut:
        """From the service result."""
        stored = p.stored.end if p.stored else None
        return cls(
            product_version=ProductVersionOut.of(p.product_version),
            effective_end=EndOfSupportOut.of(p.effective_end) if p.effective_end else None,
            stored_end=EndOfSupportOut.of(stored) if stored else None,
            mds2_end=EndOfSupportOut.of(p.mds2.end) if p.mds2.end else None,
            operating_system=p.stored.operating_system if p.stored else None,
            os_release=p.os_release.name if p.os_release else None,
            os_end_of_support=p.os_release.end_of_support if p.os_release else None,
            asset_count=p.asset_count,
            disclosure_ids=[d.id for d in p.disclosures],
        )


class LegacyEntryOut(BaseModel):
    """An asset in the legacy register."""

    asset: AssetOut
    lifecycle: LifecycleOut


class LegacyRegisterOut(BaseModel):
    """The legacy register."""

    generated_at: datetime
    today: date
    horizon_days: int
    counts: dict[str, int]
    total: int
    entries: list[LegacyEntryOut]

    @classmethod
    def of(cls, r: LegacyRegister, *, offset: int, limit: int) -> LegacyRegisterOut:
        """From the service result (entries ``offset`` to ``offset + limit``)."""
        return cls(
            generated_at=r.generated_at,
            today=r.today,
            horizon_days=r.horizon_days,
            counts=r.counts,
            total=len(r.entries),
            entries=[
                LegacyEntryOut(asset=AssetOut.of(e.asset), lifecycle=LifecycleOut.of(e.assessment))
                for e in r.entries[offset : offset + limit]
            ],
        )
