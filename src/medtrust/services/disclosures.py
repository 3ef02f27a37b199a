"""MDS2 disclosure use cases: upload, browse, validate, export, diff and compare."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.mds2 import Mds2Form
from medtrust.domain.product import DisclosureSummary, ProductVersionRef
from medtrust.domain.tenancy import Principal, Role
from medtrust.errors import InputError, NotFoundError
from medtrust.mds2.compare import Mds2Comparison, compare
from medtrust.mds2.diff import Mds2Diff, diff
from medtrust.mds2.document import document_to_form, form_to_document
from medtrust.mds2.readers.limits import ReadLimits
from medtrust.mds2.readers.registry import read_mds2
from medtrust.mds2.validator import ValidationReport, validate
from medtrust.mds2.writers.registry import get_writer
from medtrust.services.context import ServiceContext, require_role
from medtrust.storage.repositories.audit import AuditRepository
from medtrust.storage.repositories.disclosures import (
    DisclosureRepository,
    NewDisclosure,
    ProductRepository,
)

UNSPECIFIED_VERSION = "unspecified"
MAX_COMPARE = 8


@dataclass(frozen=True, slots=True)
class UploadResult:
    """Outcome of an upload: the stored revision (or the identical one already stored)."""

    summary: DisclosureSummary
    report: ValidationReport
    created: bool


@dataclass(frozen=True, slots=True)
class StoredForm:
    """A stored disclosure read back as a form."""

    summary: DisclosureSummary
    form: Mds2Form


def _digest(document: dict[str, object]) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _first_line(text: str | None) -> str | None:
    if not text:
        return None
    line = text.strip().splitlines()[0].strip() if text.strip() else ""
    return line[:200] or None


def _identity(
    form: Mds2Form, manufacturer: str | None, product: str | None, version: str | None
) -> tuple[str, str, str]:
    maker = (manufacturer or "").strip() or _first_line(form.value("DOC-1"))
    model = (product or "").strip() or _first_line(form.value("DOC-3"))
    if not maker or not model:
        raise InputError("manufacturer and product are required (the form's DOC-1/DOC-3 are empty)")
    return maker[:200], model[:200], ((version or "").strip() or UNSPECIFIED_VERSION)[:100]


def upload_disclosure(
    ctx: ServiceContext,
    principal: Principal,
    *,
    data: bytes,
    filename: str | None,
    manufacturer: str | None = None,
    product: str | None = None,
    version: str | None = None,
    format: str | None = None,
) -> UploadResult:
    """Read, validate and store an MDS2 form as a new revision of a product version.

    Unreadable input raises before anything is written. Uploading a form identical to a
    stored revision of the same product version stores nothing and returns that revision.
    """
    require_role(principal, Role.EDITOR)
    catalogue = load_mds2_catalogue()
    form = read_mds2(
        data, filename=filename, format=format, limits=ReadLimits.from_settings(ctx.settings)
    )
    report = validate(form, catalogue)
    maker, model, ver = _identity(form, manufacturer, product, version)
    document = form_to_document(form)
    digest = _digest(document)
    with ctx.transaction() as session:
        products = ProductRepository(session, principal.organisation_id)
        disclosures = DisclosureRepository(session, principal.organisation_id)
        pv = products.ensure_version(manufacturer=maker, product=model, version=ver)
        existing = disclosures.find_by_digest(pv.id, digest)
        created = existing is None
        disclosure_id = existing or disclosures.add(
            pv,
            NewDisclosure(
                form_version=form.form_version,
                document=document,
                source_format=form.source_format or format or "unknown",
                source_name=(filename or None) and filename[:255],
                content_digest=digest,
                error_count=len(report.errors),
                warning_count=len(report.warnings),
                uploaded_by_id=principal.user.id,
            ),
        )
        if created:
            AuditRepository(session, principal.organisation_id).record(
                actor_user_id=principal.user.id,
                action="disclosure.upload",
                object_type="disclosure",
                object_id=str(disclosure_id),
                summary=f"uploaded MDS2 for {pv.label} from {filename or 'upload'}",
                detail={"digest": digest, "errors": len(report.errors)},
            )
        stored = disclosures.get(disclosure_id)
    assert stored is not None
    return UploadResult(summary=stored[0], report=report, created=created)


def list_disclosures(
    ctx: ServiceContext, principal: Principal, *, query: str | None = None
) -> list[DisclosureSummary]:
    """Disclosures of the principal's organisation."""
    with ctx.transaction() as session:
        return DisclosureRepository(session, principal.organisation_id).list(query=query)


def list_product_versions(ctx: ServiceContext, principal: Principal) -> list[ProductVersionRef]:
    """Product versions of the principal's organisation."""
    with ctx.transaction() as session:
        return ProductRepository(session, principal.organisation_id).list_versions()


def get_disclosure(ctx: ServiceContext, principal: Principal, disclosure_id: int) -> StoredForm:
    """One disclosure as a form; NotFoundError for absent ids and other tenants' ids alike."""
    with ctx.transaction() as session:
        found = DisclosureRepository(session, principal.organisation_id).get(disclosure_id)
    if found is None:
        raise NotFoundError(f"no disclosure {disclosure_id}")
    summary, document = found
    return StoredForm(summary=summary, form=document_to_form(document))


def disclosure_history(
    ctx: ServiceContext, principal: Principal, disclosure_id: int
) -> list[DisclosureSummary]:
    """All revisions of the product version the disclosure belongs to."""
    stored = get_disclosure(ctx, principal, disclosure_id)
    with ctx.transaction() as session:
        return DisclosureRepository(session, principal.organisation_id).list(
            product_version_id=stored.summary.product_version.id
        )


def validate_disclosure(
    ctx: ServiceContext, principal: Principal, disclosure_id: int
) -> tuple[StoredForm, ValidationReport]:
    """A stored disclosure and its validation report."""
    stored = get_disclosure(ctx, principal, disclosure_id)
    return stored, validate(stored.form, load_mds2_catalogue())


@dataclass(frozen=True, slots=True)
class Export:
    """Rendered bytes with their media type and a suggested file name."""

    content: bytes
    media_type: str
    filename: str


def export_disclosure(
    ctx: ServiceContext, principal: Principal, disclosure_id: int, *, fmt: str
) -> Export:
    """Render a stored disclosure with one of the MDS2 writers."""
    writer = get_writer(fmt)
    stored = get_disclosure(ctx, principal, disclosure_id)
    content = writer.write(stored.form, catalogue=load_mds2_catalogue())
    return Export(
        content=content,
        media_type=writer.media_type,
        filename=f"mds2-{disclosure_id}{writer.suffix}",
    )


def diff_disclosures(
    ctx: ServiceContext, principal: Principal, *, old: int, new: int
) -> tuple[StoredForm, StoredForm, Mds2Diff]:
    """What changed from one disclosure to another."""
    a = get_disclosure(ctx, principal, old)
    b = get_disclosure(ctx, principal, new)
    return a, b, diff(a.form, b.form, load_mds2_catalogue())


def compare_disclosures(
    ctx: ServiceContext, principal: Principal, ids: Sequence[int]
) -> Mds2Comparison:
    """Several disclosures side by side (2 to MAX_COMPARE)."""
    unique = list(dict.fromkeys(ids))
    if not 2 <= len(unique) <= MAX_COMPARE:
        raise InputError(f"compare needs 2 to {MAX_COMPARE} different disclosures")
    stored = [get_disclosure(ctx, principal, i) for i in unique]
    labelled = [
        (f"{s.summary.product_version.label} r{s.summary.revision}", s.form) for s in stored
    ]
    return compare(labelled, load_mds2_catalogue())
