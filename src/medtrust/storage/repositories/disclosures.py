"""Manufacturers, products, product versions and their MDS2 disclosures, per organisation."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from medtrust.domain.product import DisclosureSummary, ProductVersionRef
from medtrust.storage import models


@dataclass(frozen=True, slots=True)
class NewDisclosure:
    """What is stored for a new disclosure revision."""

    form_version: str
    document: dict[str, Any]
    source_format: str
    source_name: str | None
    content_digest: str
    error_count: int
    warning_count: int
    uploaded_by_id: int | None


class ProductRepository:
    """Manufacturer/product/version hierarchy of one organisation."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    def ensure_version(self, *, manufacturer: str, product: str, version: str) -> ProductVersionRef:
        """Return the product version, creating manufacturer, product and version as needed."""
        s, org = self._session, self._org
        maker = s.scalar(
            select(models.Manufacturer).where(
                models.Manufacturer.organisation_id == org, models.Manufacturer.name == manufacturer
            )
        )
        if maker is None:
            maker = models.Manufacturer(organisation_id=org, name=manufacturer)
            s.add(maker)
            s.flush()
        prod = s.scalar(
            select(models.Product).where(
                models.Product.organisation_id == org,
                models.Product.manufacturer_id == maker.id,
                models.Product.name == product,
            )
        )
        if prod is None:
            prod = models.Product(organisation_id=org, manufacturer_id=maker.id, name=product)
            s.add(prod)
            s.flush()
        pv = s.scalar(
            select(models.ProductVersion).where(
                models.ProductVersion.organisation_id == org,
                models.ProductVersion.product_id == prod.id,
                models.ProductVersion.version == version,
            )
        )
        if pv is None:
            pv = models.ProductVersion(organisation_id=org, product_id=prod.id, version=version)
            s.add(pv)
            s.flush()
        return ProductVersionRef(pv.id, maker.name, prod.name, pv.version)

    def _version_query(self) -> Select[int, str, str, str]:
        return (
            select(
                models.ProductVersion.id,
                models.Manufacturer.name,
                models.Product.name,
                models.ProductVersion.version,
            )
            .join(models.Product, models.Product.id == models.ProductVersion.product_id)
            .join(models.Manufacturer, models.Manufacturer.id == models.Product.manufacturer_id)
            .where(models.ProductVersion.organisation_id == self._org)
        )

    def get_version(self, product_version_id: int) -> ProductVersionRef | None:
        """A product version of this organisation, or None."""
        row = self._session.execute(
            self._version_query().where(models.ProductVersion.id == product_version_id)
        ).first()
        return ProductVersionRef(row[0], row[1], row[2], row[3]) if row else None

    def list_versions(self) -> list[ProductVersionRef]:
        """All product versions, ordered by manufacturer, product, version."""
        rows = self._session.execute(
            self._version_query().order_by(
                models.Manufacturer.name, models.Product.name, models.ProductVersion.version
            )
        )
        return [ProductVersionRef(r[0], r[1], r[2], r[3]) for r in rows]


class DisclosureRepository:
    """MDS2 disclosures of one organisation."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    def add(self, product_version: ProductVersionRef, new: NewDisclosure) -> int:
        """Store a new revision for the product version; returns the disclosure id."""
        latest = self._session.scalar(
            select(func.max(models.Disclosure.revision)).where(
                models.Disclosure.organisation_id == self._org,
                models.Disclosure.product_version_id == product_version.id,
            )
        )
        row = models.Disclosure(
            organisation_id=self._org,
            product_version_id=product_version.id,
            revision=(latest or 0) + 1,
            form_version=new.form_version,
            document=new.document,
            source_format=new.source_format,
            source_name=new.source_name,
            content_digest=new.content_digest,
            error_count=new.error_count,
            warning_count=new.warning_count,
            uploaded_by_id=new.uploaded_by_id,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def find_by_digest(self, product_version_id: int, digest: str) -> int | None:
        """Id of an existing identical revision of this product version, if any."""
        return self._session.scalar(
            select(models.Disclosure.id).where(
                models.Disclosure.organisation_id == self._org,
                models.Disclosure.product_version_id == product_version_id,
                models.Disclosure.content_digest == digest,
            )
        )

    def _summary_query(self) -> Select[models.Disclosure, str, str, str, str | None]:
        return (
            select(
                models.Disclosure,
                models.Manufacturer.name,
                models.Product.name,
                models.ProductVersion.version,
                models.UserAccount.email,
            )
            .join(
                models.ProductVersion,
                models.ProductVersion.id == models.Disclosure.product_version_id,
            )
            .join(models.Product, models.Product.id == models.ProductVersion.product_id)
            .join(models.Manufacturer, models.Manufacturer.id == models.Product.manufacturer_id)
            .outerjoin(
                models.UserAccount, models.UserAccount.id == models.Disclosure.uploaded_by_id
            )
            .where(models.Disclosure.organisation_id == self._org)
        )

    @staticmethod
    def _summary(row: Any) -> DisclosureSummary:
        d: models.Disclosure = row[0]
        return DisclosureSummary(
            id=d.id,
            product_version=ProductVersionRef(d.product_version_id, row[1], row[2], row[3]),
            revision=d.revision,
            form_version=d.form_version,
            source_format=d.source_format,
            source_name=d.source_name,
            content_digest=d.content_digest,
            error_count=d.error_count,
            warning_count=d.warning_count,
            uploaded_at=d.uploaded_at,
            uploaded_by=row[4],
        )

    def list(
        self, *, query: str | None = None, product_version_id: int | None = None
    ) -> list[DisclosureSummary]:
        """Disclosures ordered by manufacturer, product, version and revision (newest last)."""
        stmt = self._summary_query()
        if product_version_id is not None:
            stmt = stmt.where(models.Disclosure.product_version_id == product_version_id)
        if query:
            like = f"%{query.lower()}%"
            stmt = stmt.where(
                func.lower(models.Manufacturer.name).like(like)
                | func.lower(models.Product.name).like(like)
                | func.lower(models.ProductVersion.version).like(like)
            )
        stmt = stmt.order_by(
            models.Manufacturer.name,
            models.Product.name,
            models.ProductVersion.version,
            models.Disclosure.revision,
        )
        return [self._summary(r) for r in self._session.execute(stmt)]

    def get(self, disclosure_id: int) -> tuple[DisclosureSummary, dict[str, Any]] | None:
        """Summary and stored JSON document, or None when absent or another tenant's."""
        row = self._session.execute(
            self._summary_query().where(models.Disclosure.id == disclosure_id)
        ).first()
        if row is None:
            return None
        return self._summary(row), dict(row[0].document)

    def get_many(
        self, ids: Sequence[int]
    ) -> builtins.list[tuple[DisclosureSummary, dict[str, Any]]]:
        """Several disclosures in the order asked; raises KeyError naming a missing id."""
        found = []
        for disclosure_id in ids:
            item = self.get(disclosure_id)
            if item is None:
                raise KeyError(disclosure_id)
            found.append(item)
        return found
