"""API data transfer objects (pydantic), built from domain objects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from medtrust.domain.product import DisclosureSummary, ProductVersionRef
from medtrust.mds2.report_format import validation_document
from medtrust.mds2.validator import ValidationReport


class ProductVersionOut(BaseModel):
    """A product version."""

    id: int
    manufacturer: str
    product: str
    version: str

    @classmethod
    def of(cls, ref: ProductVersionRef) -> ProductVersionOut:
        """From the domain object."""
        return cls(
            id=ref.id, manufacturer=ref.manufacturer, product=ref.product, version=ref.version
        )


class DisclosureOut(BaseModel):
    """Metadata of a stored disclosure revision."""

    id: int
    product_version: ProductVersionOut
    revision: int
    form_version: str
    source_format: str
    source_name: str | None
    content_digest: str
    error_count: int
    warning_count: int
    uploaded_at: datetime
    uploaded_by: str | None

    @classmethod
    def of(cls, s: DisclosureSummary) -> DisclosureOut:
        """From the domain object."""
        return cls(
            id=s.id,
            product_version=ProductVersionOut.of(s.product_version),
            revision=s.revision,
            form_version=s.form_version,
            source_format=s.source_format,
            source_name=s.source_name,
            content_digest=s.content_digest,
            error_count=s.error_count,
            warning_count=s.warning_count,
            uploaded_at=s.uploaded_at,
            uploaded_by=s.uploaded_by,
        )


class IssueOut(BaseModel):
    """A validation finding."""

    severity: str
    code: str
    question_id: str | None
    location: str | None
    message: str


class ValidationOut(BaseModel):
    """A validation report."""

    ok: bool
    errors: int
    warnings: int
    issues: list[IssueOut]


class UploadOut(BaseModel):
    """Result of an upload."""

    created: bool
    disclosure: DisclosureOut
    validation: ValidationOut


class DisclosureDetailOut(BaseModel):
    """A disclosure with its medtrust JSON document."""

    disclosure: DisclosureOut
    document: dict[str, Any]


def validation_out(report: ValidationReport) -> ValidationOut:
    """Summarise a validation report (same shape as ``medtrust mds2 validate --format json``)."""
    return ValidationOut.model_validate(validation_document(report))
