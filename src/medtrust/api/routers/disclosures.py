"""MDS2 disclosures: upload, list, get, validate, export, diff, compare."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response

from medtrust.api.deps import Context, CurrentPrincipal
from medtrust.api.schemas import (
    DisclosureDetailOut,
    DisclosureOut,
    ProductVersionOut,
    UploadOut,
    ValidationOut,
    validation_out,
)
from medtrust.errors import InputError
from medtrust.mds2.document import form_to_document
from medtrust.mds2.writers.registry import WRITERS
from medtrust.services import disclosures as svc

router = APIRouter(tags=["MDS2 disclosures"])

EXPORT_FORMATS = tuple(sorted(WRITERS))


@router.post("/disclosures", response_model=UploadOut, status_code=201)
async def upload(
    ctx: Context,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="MDS2 form: NEMA xlsx, text, CSV or JSON")],
    manufacturer: Annotated[str | None, Form()] = None,
    product: Annotated[str | None, Form()] = None,
    version: Annotated[str | None, Form()] = None,
    format: Annotated[str | None, Form(description="reader; autodetected when empty")] = None,
) -> UploadOut:
    """Upload an MDS2 form as a new revision of a product version (created as needed)."""
    data = await file.read()
    result = svc.upload_disclosure(
        ctx,
        principal,
        data=data,
        filename=file.filename,
        manufacturer=manufacturer,
        product=product,
        version=version,
        format=format or None,
    )
    return UploadOut(
        created=result.created,
        disclosure=DisclosureOut.of(result.summary),
        validation=validation_out(result.report),
    )


@router.get("/disclosures", response_model=list[DisclosureOut])
def list_disclosures(
    ctx: Context, principal: CurrentPrincipal, q: str | None = None
) -> list[DisclosureOut]:
    """Disclosures of your organisation, optionally filtered by manufacturer/product/version."""
    return [DisclosureOut.of(s) for s in svc.list_disclosures(ctx, principal, query=q)]


@router.get("/products", response_model=list[ProductVersionOut])
def list_products(ctx: Context, principal: CurrentPrincipal) -> list[ProductVersionOut]:
    """Product versions of your organisation."""
    return [ProductVersionOut.of(p) for p in svc.list_product_versions(ctx, principal)]


@router.get("/disclosures/{disclosure_id}", response_model=DisclosureDetailOut)
def get_disclosure(
    ctx: Context, principal: CurrentPrincipal, disclosure_id: int
) -> DisclosureDetailOut:
    """One disclosure with its medtrust JSON document."""
    stored = svc.get_disclosure(ctx, principal, disclosure_id)
    return DisclosureDetailOut(
        disclosure=DisclosureOut.of(stored.summary), document=form_to_document(stored.form)
    )


@router.get("/disclosures/{disclosure_id}/history", response_model=list[DisclosureOut])
def history(ctx: Context, principal: CurrentPrincipal, disclosure_id: int) -> list[DisclosureOut]:
    """All revisions of the disclosure's product version."""
    return [DisclosureOut.of(s) for s in svc.disclosure_history(ctx, principal, disclosure_id)]


@router.get("/disclosures/{disclosure_id}/validation", response_model=ValidationOut)
def validation(ctx: Context, principal: CurrentPrincipal, disclosure_id: int) -> ValidationOut:
    """Validation findings of a stored disclosure."""
    _stored, report = svc.validate_disclosure(ctx, principal, disclosure_id)
    return validation_out(report)


@router.get(
    "/disclosures/{disclosure_id}/export",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def export(
    ctx: Context,
    principal: CurrentPrincipal,
    disclosure_id: int,
    format: Annotated[str, Query(description=f"one of {', '.join(EXPORT_FORMATS)}")] = "json",
) -> Response:
    """The disclosure rendered as medtrust JSON, NEMA-layout xlsx, HTML or PDF."""
    if format not in WRITERS:
        raise InputError(
            f"unknown export format {format!r}; use one of {', '.join(EXPORT_FORMATS)}"
        )
    out = svc.export_disclosure(ctx, principal, disclosure_id, fmt=format)
    return Response(
        out.content,
        media_type=out.media_type,
        headers={"Content-Disposition": f'attachment; filename="{out.filename}"'},
    )
