"""Stored SBOM and VEX documents of one organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from medtrust.storage import models
from medtrust.storage.sbom_models import StoredSbom, StoredVex


@dataclass(frozen=True, slots=True)
class SbomRow:
    """A stored SBOM without its bytes, with its product version (if linked)."""

    id: int
    source_name: str
    source_format: str
    spec_version: str | None
    component_count: int
    quality_score: int
    content_digest: str
    manufacturer: str | None
    product: str | None
    version: str | None
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class VexRow:
    """A stored VEX document without its bytes."""

    id: int
    source_name: str
    source_format: str
    statement_count: int
    content_digest: str
    uploaded_at: datetime


def _vex_row(v: StoredVex) -> VexRow:
    return VexRow(
        v.id, v.source_name, v.source_format, v.statement_count, v.content_digest, v.uploaded_at
    )


class SbomRepository:
    """SBOM and VEX documents, always scoped to ``organisation_id``."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    def add_sbom(self, sbom: StoredSbom) -> int:
        """Store an SBOM (its organisation is forced to this repository's) and return its id."""
        sbom.organisation_id = self._org
        self._session.add(sbom)
        self._session.flush()
        return sbom.id

    def add_vex(self, vex: StoredVex) -> int:
        """Store a VEX document (in this organisation) and return its id."""
        vex.organisation_id = self._org
        self._session.add(vex)
        self._session.flush()
        return vex.id

    def find_sbom_by_digest(self, digest: str, product_version_id: int | None) -> int | None:
        """Id of an identical SBOM already stored for the same product version, if any."""
        query = select(StoredSbom.id).where(
            StoredSbom.organisation_id == self._org,
            StoredSbom.content_digest == digest,
            StoredSbom.product_version_id.is_(None)
            if product_version_id is None
            else StoredSbom.product_version_id == product_version_id,
        )
        return self._session.scalar(query.order_by(StoredSbom.id).limit(1))

    def find_vex_by_digest(self, digest: str) -> int | None:
        """Id of an identical VEX document already stored, if any."""
        query = select(StoredVex.id).where(
            StoredVex.organisation_id == self._org, StoredVex.content_digest == digest
        )
        return self._session.scalar(query.order_by(StoredVex.id).limit(1))

    def _sbom_query(self) -> Select[StoredSbom, str | None, str | None, str | None]:
        return (
            select(
                StoredSbom,
                models.Manufacturer.name,
                models.Product.name,
                models.ProductVersion.version,
            )
            .outerjoin(
                models.ProductVersion, models.ProductVersion.id == StoredSbom.product_version_id
            )
            .outerjoin(models.Product, models.Product.id == models.ProductVersion.product_id)
            .outerjoin(
                models.Manufacturer, models.Manufacturer.id == models.Product.manufacturer_id
            )
            .where(StoredSbom.organisation_id == self._org)
        )

    @staticmethod
    def _row(sbom: StoredSbom, maker: str | None, product: str | None, ver: str | None) -> SbomRow:
        return SbomRow(
            sbom.id,
            sbom.source_name,
            sbom.source_format,
            sbom.spec_version,
            sbom.component_count,
            sbom.quality_score,
            sbom.content_digest,
            maker,
            product,
            ver,
            sbom.uploaded_at,
        )

    def list_sboms(self) -> list[SbomRow]:
        """Every SBOM of the organisation, newest first."""
        rows = self._session.execute(self._sbom_query().order_by(StoredSbom.id.desc())).all()
        return [self._row(*row) for row in rows]

    def get_sbom(self, sbom_id: int) -> tuple[SbomRow, bytes] | None:
        """One SBOM with its bytes, or None when it is not this organisation's."""
        row = self._session.execute(self._sbom_query().where(StoredSbom.id == sbom_id)).first()
        if row is None:
            return None
        return self._row(*row), row[0].content

    def list_vex(self) -> list[VexRow]:
        """Every VEX document of the organisation, oldest first (later documents win)."""
        items = self._session.scalars(
            select(StoredVex).where(StoredVex.organisation_id == self._org).order_by(StoredVex.id)
        )
        return [_vex_row(v) for v in items]

    def get_vex(self, vex_id: int) -> tuple[VexRow, bytes] | None:
        """One VEX document with its bytes, or None when it is not this organisation's."""
        item = self._session.scalar(
            select(StoredVex).where(StoredVex.organisation_id == self._org, StoredVex.id == vex_id)
        )
        return None if item is None else (_vex_row(item), item.content)

    def vex_contents(self) -> list[tuple[VexRow, bytes]]:
        """Every VEX document with its bytes, oldest first."""
        items = self._session.scalars(
            select(StoredVex).where(StoredVex.organisation_id == self._org).order_by(StoredVex.id)
        )
        return [(_vex_row(v), v.content) for v in items]
