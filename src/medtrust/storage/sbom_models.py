"""ORM models of uploaded SBOM and VEX documents (raw bytes kept, per organisation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from medtrust.storage.base import Base, utcnow


class StoredSbom(Base):
    """An uploaded SBOM: the original bytes, the detected format and its product version."""

    __tablename__ = "sbom_document"
    __table_args__ = (Index("ix_sbom_document_org_digest", "organisation_id", "content_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    product_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_version.id"), index=True, default=None
    )
    source_name: Mapped[str] = mapped_column(String(255))
    source_format: Mapped[str] = mapped_column(String(40))
    spec_version: Mapped[str | None] = mapped_column(String(20), default=None)
    component_count: Mapped[int] = mapped_column(default=0)
    quality_score: Mapped[int] = mapped_column(default=0)
    #: VEX statements embedded in the document (read again when evaluating exposure)
    embedded_vex: Mapped[int] = mapped_column(default=0, server_default="0")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    content_digest: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoredVex(Base):
    """An uploaded VEX document (CycloneDX VEX, CSAF VEX or OpenVEX), applied to every scan."""

    __tablename__ = "vex_document"
    __table_args__ = (Index("ix_vex_document_org_digest", "organisation_id", "content_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    source_name: Mapped[str] = mapped_column(String(255))
    source_format: Mapped[str] = mapped_column(String(40))
    statement_count: Mapped[int] = mapped_column(default=0)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    content_digest: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
