"""Installed base: assets, CMMS import (preview, dry run, commit), product links, lifecycle,
the legacy register and register exports."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response

from medtrust.api.deps import Context, CurrentPrincipal
from medtrust.api.routers.inventory_schemas import (
    AssetDetailOut,
    AssetOut,
    AssetPageOut,
    ImportReportOut,
    ImportRunDetailOut,
    ImportRunOut,
    IssueOut,
    LegacyRegisterOut,
    LifecycleIn,
    LifecycleOut,
    LinkConfirmIn,
    LinkConfirmOut,
    LinkGroupOut,
    PreviewOut,
    ProductLifecycleOut,
)
from medtrust.api.schemas import ProductVersionOut
from medtrust.domain.asset import AssetQuery, AssetSort, AssetStatus, Criticality, LinkState
from medtrust.errors import InputError
from medtrust.inventory.exports.formats import FORMATS
from medtrust.inventory.lifecycle import DEFAULT_HORIZON_DAYS
from medtrust.inventory.mapping import ColumnMapping
from medtrust.inventory.os_eol import load_os_table
from medtrust.services import inventory as svc
from medtrust.services import inventory_legacy as legacy
from medtrust.services import inventory_links as links
from medtrust.services.disclosures import Export

router = APIRouter(tags=["Installed base"])
FORMAT_CHOICES = ", ".join(sorted(FORMATS))


def _download(out: Export) -> Response:
    return Response(
        out.content,
        media_type=out.media_type,
        headers={"Content-Disposition": f'attachment; filename="{out.filename}"'},
    )


def asset_query(
    q: str | None = None,
    site: str | None = None,
    department: str | None = None,
    criticality: Criticality | None = None,
    status: AssetStatus | None = None,
    link_state: LinkState | None = None,
    network_zone: str | None = None,
    manufacturer: str | None = None,
    product_version_id: int | None = None,
    sort: AssetSort = AssetSort.TAG,
    page: int = 1,
    page_size: int = 50,
) -> AssetQuery:
    """Filters and page from query parameters (page size 1-500)."""
    if not 1 <= page_size <= 500 or page < 1:
        raise InputError("page must be at least 1 and page_size 1 to 500")
    return AssetQuery(
        q=q or None,
        site=site or None,
        department=department or None,
        criticality=criticality,
        status=status,
        link_state=link_state,
        network_zone=network_zone or None,
        manufacturer=manufacturer or None,
        product_version_id=product_version_id,
        sort=sort,
        page=page,
        page_size=page_size,
    )


def _mapping(text: str | None) -> ColumnMapping | None:
    if not text:
        return None
    try:
        return ColumnMapping.from_dict(json.loads(text))
    except json.JSONDecodeError as exc:
        raise InputError(f"mapping is not JSON: {exc.msg}") from exc


@router.get("/assets", response_model=AssetPageOut)
def list_assets(
    ctx: Context,
    principal: CurrentPrincipal,
    q: str | None = None,
    site: str | None = None,
    department: str | None = None,
    criticality: Criticality | None = None,
    status: AssetStatus | None = None,
    link_state: LinkState | None = None,
    network_zone: str | None = None,
    manufacturer: str | None = None,
    product_version_id: int | None = None,
    sort: AssetSort = AssetSort.TAG,
    page: int = 1,
    page_size: int = 50,
) -> AssetPageOut:
    """Assets of your organisation, filtered, searched and paginated on the server."""
    query = asset_query(
        q,
        site,
        department,
        criticality,
        status,
        link_state,
        network_zone,
        manufacturer,
        product_version_id,
        sort,
        page,
        page_size,
    )
    result = svc.list_assets(ctx, principal, query)
    return AssetPageOut(
        items=[AssetOut.of(a) for a in result.items],
        total=result.total,
        page=result.page,
        page_size=result.page_size,
        pages=result.pages,
    )


@router.get("/assets/facets", response_model=dict[str, list[str]])
def facets(ctx: Context, principal: CurrentPrincipal) -> dict[str, list[str]]:
    """Distinct sites, departments, network zones and manufacturers (for filters)."""
    return svc.asset_facets(ctx, principal)


@router.get("/assets/export", response_class=Response)
def export_assets(
    ctx: Context,
    principal: CurrentPrincipal,
    format: Annotated[str, Query(description=f"one of {FORMAT_CHOICES}")] = "xlsx",
    q: str | None = None,
    site: str | None = None,
    department: str | None = None,
    criticality: Criticality | None = None,
    status: AssetStatus | None = None,
) -> Response:
    """The inventory register (assets matching the filters) as xlsx, PDF, CSV or JSON."""
    query = AssetQuery(
        q=q, site=site, department=department, criticality=criticality, status=status
    )
    return _download(legacy.export_inventory(ctx, principal, fmt=format, query=query))


@router.post("/assets/import/preview", response_model=PreviewOut)
async def preview(
    ctx: Context,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="CSV or xlsx export of a CMMS")],
    source: Annotated[str | None, Form(description="source whose saved mapping to use")] = None,
) -> PreviewOut:
    """How the file reads: encoding, delimiter, header row, guessed or saved column mapping."""
    data = await file.read()
    result = svc.preview_import(
        ctx, principal, data=data, filename=file.filename, source=source or None
    )
    return PreviewOut.of(result)


@router.post("/assets/import", response_model=ImportReportOut)
async def import_assets(
    ctx: Context,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="CSV or xlsx export of a CMMS")],
    source: Annotated[str | None, Form(description="source name; its mapping is saved")] = None,
    mapping: Annotated[str | None, Form(description="column mapping as JSON")] = None,
    dry_run: Annotated[bool, Form(description="check everything, write nothing")] = False,
) -> ImportReportOut:
    """Import assets (one transaction); a dry run reports the same and writes nothing."""
    data = await file.read()
    report = svc.import_assets(
        ctx,
        principal,
        data=data,
        filename=file.filename,
        mapping=_mapping(mapping),
        source=source or None,
        dry_run=dry_run,
    )
    return ImportReportOut.of(report)


@router.get("/assets/imports", response_model=list[ImportRunOut])
def list_imports(ctx: Context, principal: CurrentPrincipal) -> list[ImportRunOut]:
    """Committed imports, newest first."""
    return [ImportRunOut.of(r) for r in svc.list_imports(ctx, principal)]


@router.get("/assets/imports/{run_id}", response_model=ImportRunDetailOut)
def get_import(
    ctx: Context, principal: CurrentPrincipal, run_id: int, offset: int = 0, limit: int = 500
) -> ImportRunDetailOut:
    """An import and a page of its row findings (every rejected row and why)."""
    if offset < 0 or not 1 <= limit <= 5000:
        raise InputError("offset must be 0 or more and limit 1 to 5000")
    run, issues, total = svc.get_import(ctx, principal, run_id, offset=offset, limit=limit)
    return ImportRunDetailOut(
        run=ImportRunOut.of(run), issues_total=total, issues=[IssueOut.of(i) for i in issues]
    )


@router.get("/asset-sources", response_model=list[dict[str, Any]])
def list_sources(ctx: Context, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    """Asset sources and their saved column mappings."""
    return [
        {"name": s.name, "mapping": s.mapping, "updated_at": s.updated_at.isoformat()}
        for s in svc.list_sources(ctx, principal)
    ]


@router.put("/asset-sources/{name}/mapping", response_model=dict[str, Any])
def save_mapping(
    ctx: Context, principal: CurrentPrincipal, name: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Save the column mapping of a source (``columns``, ``defaults``, ``values``)."""
    info = svc.save_source_mapping(
        ctx, principal, source=name, mapping=ColumnMapping.from_dict(body)
    )
    return {"name": info.name, "mapping": info.mapping}


@router.get("/assets/links", response_model=list[LinkGroupOut])
def link_groups(ctx: Context, principal: CurrentPrincipal) -> list[LinkGroupOut]:
    """Assets not linked to a product version, grouped by their texts, with suggestions."""
    return [LinkGroupOut.of(g) for g in links.link_groups(ctx, principal)]


@router.post("/assets/links/confirm", response_model=LinkConfirmOut)
def confirm_link(ctx: Context, principal: CurrentPrincipal, body: LinkConfirmIn) -> LinkConfirmOut:
    """Link a group of assets to a product version (saved as a rule for later imports)."""
    create = None
    if body.create_manufacturer or body.create_product:
        create = (
            body.create_manufacturer or "",
            body.create_product or "",
            body.create_version or "",
        )
    target, count = links.confirm_link(
        ctx,
        principal,
        manufacturer=body.manufacturer,
        model=body.model,
        version=body.version,
        product_version_id=body.product_version_id,
        create=create,
    )
    return LinkConfirmOut(product_version=ProductVersionOut.of(target), linked=count)


@router.post("/assets/links/rematch", response_model=dict[str, int])
def rematch(ctx: Context, principal: CurrentPrincipal) -> dict[str, int]:
    """Run product matching again for assets not linked yet."""
    return links.relink_assets(ctx, principal)


@router.get("/assets/{asset_id}", response_model=AssetDetailOut)
def get_asset(ctx: Context, principal: CurrentPrincipal, asset_id: int) -> AssetDetailOut:
    """One asset with its lifecycle assessment."""
    asset = svc.get_asset(ctx, principal, asset_id)
    assessment = legacy.asset_lifecycle(ctx, principal, asset_id)
    return AssetDetailOut(asset=AssetOut.of(asset), lifecycle=LifecycleOut.of(assessment))


@router.get("/product-versions/{product_version_id}/lifecycle", response_model=ProductLifecycleOut)
def get_lifecycle(
    ctx: Context, principal: CurrentPrincipal, product_version_id: int
) -> ProductLifecycleOut:
    """End of support of a product version: stored, from its MDS2, and its OS."""
    return ProductLifecycleOut.of(legacy.product_lifecycle(ctx, principal, product_version_id))


@router.put("/product-versions/{product_version_id}/lifecycle", response_model=ProductLifecycleOut)
def put_lifecycle(
    ctx: Context, principal: CurrentPrincipal, product_version_id: int, body: LifecycleIn
) -> ProductLifecycleOut:
    """Record the end of support (manufacturer-declared or entered) and the OS."""
    result = legacy.set_end_of_support(
        ctx,
        principal,
        product_version_id,
        end_of_support=body.end_of_support,
        source=body.source,
        reference=body.reference,
        operating_system=body.operating_system,
    )
    return ProductLifecycleOut.of(result)


@router.get("/legacy", response_model=LegacyRegisterOut)
def legacy_register(
    ctx: Context,
    principal: CurrentPrincipal,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    today: date | None = None,
    offset: int = 0,
    limit: int = 500,
) -> LegacyRegisterOut:
    """Assets past or near end of support, most urgent first, with what compensates."""
    if offset < 0 or not 1 <= limit <= 5000:
        raise InputError("offset must be 0 or more and limit 1 to 5000")
    register = legacy.legacy_register(ctx, principal, today=today, horizon_days=horizon_days)
    return LegacyRegisterOut.of(register, offset=offset, limit=limit)


@router.get("/legacy/export", response_class=Response)
def export_legacy(
    ctx: Context,
    principal: CurrentPrincipal,
    format: Annotated[str, Query(description=f"one of {FORMAT_CHOICES}")] = "xlsx",
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> Response:
    """The legacy register as xlsx, PDF, CSV or JSON."""
    return _download(
        legacy.export_legacy_register(ctx, principal, fmt=format, horizon_days=horizon_days)
    )


@router.get("/legacy/timeline", response_model=list[dict[str, Any]])
def timeline(
    ctx: Context, principal: CurrentPrincipal, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> list[dict[str, Any]]:
    """Assets of the legacy register per year their support ends."""
    register = legacy.legacy_register(ctx, principal, horizon_days=horizon_days)
    bars, _svg = legacy.support_timeline(register)
    return [{"year": b.year, "count": b.count, "past": b.past} for b in bars]


@router.get("/lifecycle/os", response_model=list[dict[str, Any]])
def os_table(principal: CurrentPrincipal) -> list[dict[str, Any]]:
    """The packaged operating-system end-of-life table with its sources."""
    return [
        {
            "id": r.id,
            "family": r.family,
            "name": r.name,
            "end_of_support": r.end_of_support.isoformat(),
            "extended_end": r.extended_end.isoformat() if r.extended_end else None,
            "extended_note": r.extended_note,
            "source": r.source_title,
            "url": r.source_url,
        }
        for r in load_os_table().releases
    ]
