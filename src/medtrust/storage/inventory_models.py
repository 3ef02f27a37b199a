"""ORM models of the installed base: assets, sources and their column mappings, import runs
with every row finding, confirmed product links, and end of support per product version.

Every table has a non-null ``organisation_id``; the filter columns of the inventory list are
indexed together with it (server-side pagination over 100,000 assets).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from medtrust.storage.base import Base, utcnow


class AssetSource(Base):
    """A system assets come from (a CMMS export, a spreadsheet) with its saved column mapping."""

    __tablename__ = "asset_source"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    mapping: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Asset(Base):
    """One physical or virtual device of a hospital."""

    __tablename__ = "asset"
    __table_args__ = (
        UniqueConstraint("organisation_id", "tag_key"),
        Index("ix_asset_org_serial", "organisation_id", "serial_key"),
        Index("ix_asset_org_mac", "organisation_id", "mac_address"),
        Index("ix_asset_org_tag", "organisation_id", "asset_tag"),
        Index("ix_asset_org_site", "organisation_id", "site"),
        Index("ix_asset_org_department", "organisation_id", "department"),
        Index("ix_asset_org_criticality", "organisation_id", "criticality"),
        Index("ix_asset_org_status", "organisation_id", "status"),
        Index("ix_asset_org_link", "organisation_id", "link_state"),
        Index("ix_asset_org_version", "organisation_id", "product_version_id"),
        Index("ix_asset_org_zone", "organisation_id", "network_zone"),
        Index("ix_asset_org_manufacturer", "organisation_id", "manufacturer_text"),
        # covering index: a substring search scans this instead of the wide table
        Index("ix_asset_org_search", "organisation_id", "search_text"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    asset_tag: Mapped[str | None] = mapped_column(String(100), default=None)
    tag_key: Mapped[str | None] = mapped_column(String(100), default=None)
    serial_number: Mapped[str | None] = mapped_column(String(100), default=None)
    serial_key: Mapped[str | None] = mapped_column(String(100), default=None)
    mac_address: Mapped[str | None] = mapped_column(String(17), default=None)
    ip_address: Mapped[str | None] = mapped_column(String(45), default=None)
    hostname: Mapped[str | None] = mapped_column(String(253), default=None)
    site: Mapped[str | None] = mapped_column(String(120), default=None)
    building: Mapped[str | None] = mapped_column(String(120), default=None)
    department: Mapped[str | None] = mapped_column(String(120), default=None)
    network_zone: Mapped[str | None] = mapped_column(String(120), default=None)
    vlan: Mapped[str | None] = mapped_column(String(40), default=None)
    owner: Mapped[str | None] = mapped_column(String(200), default=None)
    clinical_use: Mapped[str | None] = mapped_column(String(200), default=None)
    criticality: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    manufacturer_text: Mapped[str | None] = mapped_column(String(200), default=None)
    model_text: Mapped[str | None] = mapped_column(String(200), default=None)
    software_version: Mapped[str | None] = mapped_column(String(100), default=None)
    operating_system: Mapped[str | None] = mapped_column(String(100), default=None)
    udi_di: Mapped[str | None] = mapped_column(String(100), default=None)
    product_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_version.id"), default=None
    )
    #: lower-cased identifiers, names and department, for one-column substring search
    search_text: Mapped[str] = mapped_column(String(600), default="")
    link_state: Mapped[str] = mapped_column(String(20))
    link_score: Mapped[int | None] = mapped_column(default=None)
    link_reason: Mapped[str | None] = mapped_column(String(300), default=None)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("asset_source.id"), index=True, default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AssetImportRun(Base):
    """One committed import of a file: how it was read, what it changed, its counts."""

    __tablename__ = "asset_import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("asset_source.id"), index=True, default=None
    )
    filename: Mapped[str | None] = mapped_column(String(255), default=None)
    content_digest: Mapped[str] = mapped_column(String(64))
    reader: Mapped[str] = mapped_column(String(20))
    encoding: Mapped[str | None] = mapped_column(String(40), default=None)
    delimiter: Mapped[str | None] = mapped_column(String(5), default=None)
    sheet: Mapped[str | None] = mapped_column(String(120), default=None)
    header_row: Mapped[int] = mapped_column(default=1)
    mapping: Mapped[dict[str, Any]] = mapped_column(default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    notes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)


class AssetImportIssue(Base):
    """A finding on one row of an import (rejections and warnings)."""

    __tablename__ = "asset_import_issue"
    __table_args__ = (Index("ix_asset_import_issue_run_row", "import_run_id", "row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    import_run_id: Mapped[int] = mapped_column(ForeignKey("asset_import_run.id"))
    row: Mapped[int] = mapped_column()
    severity: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    column: Mapped[str | None] = mapped_column(String(200), default=None)
    field: Mapped[str | None] = mapped_column(String(40), default=None)


class AssetLinkRule(Base):
    """A confirmed link: assets with these manufacturer/model/version keys are this version."""

    __tablename__ = "asset_link_rule"
    __table_args__ = (
        UniqueConstraint("organisation_id", "manufacturer_key", "model_key", "version_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    manufacturer_key: Mapped[str] = mapped_column(String(200))
    model_key: Mapped[str] = mapped_column(String(200))
    version_key: Mapped[str] = mapped_column(String(100))
    product_version_id: Mapped[int] = mapped_column(ForeignKey("product_version.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProductVersionLifecycle(Base):
    """End of support of a product version and the operating system it runs."""

    __tablename__ = "product_version_lifecycle"
    __table_args__ = (UniqueConstraint("organisation_id", "product_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    product_version_id: Mapped[int] = mapped_column(ForeignKey("product_version.id"), index=True)
    end_of_support: Mapped[date | None] = mapped_column(default=None)
    source: Mapped[str | None] = mapped_column(String(20), default=None)
    reference: Mapped[str | None] = mapped_column(String(300), default=None)
    operating_system: Mapped[str | None] = mapped_column(String(100), default=None)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
