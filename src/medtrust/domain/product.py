"""Manufacturers, products and product versions as seen by one organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ProductVersionRef:
    """A product version with its product and manufacturer names."""

    id: int
    manufacturer: str
    product: str
    version: str

    @property
    def label(self) -> str:
        """Human-readable name, e.g. ``ACME GlucoCheck 2.1``."""
        return f"{self.manufacturer} {self.product} {self.version}"


@dataclass(frozen=True, slots=True)
class DisclosureSummary:
    """Metadata of one stored MDS2 disclosure revision."""

    id: int
    product_version: ProductVersionRef
    revision: int
    form_version: str
    source_format: str
    source_name: str | None
    content_digest: str
    error_count: int
    warning_count: int
    uploaded_at: datetime
    uploaded_by: str | None
