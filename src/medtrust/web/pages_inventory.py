"""Installed-base pages: inventory list, asset and product pages, import with column mapping,
product linking, the legacy register with its timeline, and register downloads."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medtrust.domain.asset import (
    AssetQuery,
    AssetSort,
    AssetStatus,
    Criticality,
    LinkState,
    SupportSource,
)
from medtrust.domain.tenancy import Principal
from medtrust.errors import InputError, MedtrustError
from medtrust.inventory.exports.formats import FORMATS
from medtrust.inventory.fields import AssetField
from medtrust.inventory.lifecycle import DEFAULT_HORIZON_DAYS
from medtrust.inventory.mapping import ColumnMapping
from medtrust.services import exposure_views
from medtrust.services import inventory as svc
from medtrust.services import inventory_legacy as legacy
from medtrust.services import inventory_links as links
from medtrust.services import inventory_staging as staging
from medtrust.services.disclosures import Export, list_product_versions
from medtrust.web.rendering import render
from medtrust.web.security import PagePrincipal, check_csrf, page_context

router = APIRouter(include_in_schema=False)
LEGACY_PAGE = 200


def _download(out: Export, *, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(
        out.content,
        media_type=out.media_type,
        headers={"Content-Disposition": f'{disposition}; filename="{out.filename}"'},
    )


def _opt(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value or None


def _asset_query(request: Request) -> AssetQuery:
    """Filters from the query string; empty values mean "any"."""
    try:
        crit, status, link = (_opt(request, n) for n in ("criticality", "status", "link_state"))
        page = int(_opt(request, "page") or 1)
        return AssetQuery(
            q=_opt(request, "q"),
            site=_opt(request, "site"),
            department=_opt(request, "department"),
            criticality=Criticality(crit) if crit else None,
            status=AssetStatus(status) if status else None,
            link_state=LinkState(link) if link else None,
            network_zone=_opt(request, "network_zone"),
            manufacturer=_opt(request, "manufacturer"),
            product_version_id=int(_opt(request, "product_version_id") or 0) or None,
            sort=AssetSort(_opt(request, "sort") or AssetSort.TAG.value),
            page=max(page, 1),
            page_size=50,
        )
    except ValueError as exc:
        raise InputError(f"bad filter value: {exc}") from exc


def _query_string(request: Request, **changes: object) -> str:
    params = {k: v for k, v in request.query_params.items() if v}
    params.update({k: str(v) for k, v in changes.items()})
    return urlencode(sorted(params.items()))


@router.get("/inventory", response_class=HTMLResponse)
def inventory_page(request: Request, principal: PagePrincipal) -> Response:
    """Assets with filters, search and server-side pagination."""
    ctx = page_context(request)
    query = _asset_query(request)
    page = svc.list_assets(ctx, principal, query)
    return render(
        request,
        "inventory.html",
        {
            "page": page,
            "query": query,
            "facets": svc.asset_facets(ctx, principal),
            "criticalities": list(Criticality),
            "statuses": list(AssetStatus),
            "link_states": list(LinkState),
            "sorts": list(AssetSort),
            "link_counts": links.link_counts(ctx, principal),
            "prev_qs": _query_string(request, page=page.page - 1),
            "next_qs": _query_string(request, page=page.page + 1),
            "export_qs": _query_string(request),
            "formats": sorted(FORMATS),
        },
    )


@router.get("/inventory/export/{fmt}")
def inventory_export(request: Request, principal: PagePrincipal, fmt: str) -> Response:
    """Download the inventory (current filters) as xlsx, PDF, CSV or JSON."""
    out = legacy.export_inventory(
        page_context(request), principal, fmt=fmt, query=_asset_query(request)
    )
    return _download(out)


@router.get("/inventory/assets/{asset_id}", response_class=HTMLResponse)
def asset_page(request: Request, principal: PagePrincipal, asset_id: int) -> Response:
    """One asset: identity, location, link and lifecycle assessment."""
    ctx = page_context(request)
    asset = svc.get_asset(ctx, principal, asset_id)
    assessment = legacy.asset_lifecycle(ctx, principal, asset_id)
    exposure = exposure_views.asset_exposure(ctx, principal, asset_id)
    return render(
        request,
        "inventory_asset.html",
        {"asset": asset, "lifecycle": assessment, "exposure": exposure},
    )


@router.get("/inventory/products/{product_version_id}", response_class=HTMLResponse)
def product_page(
    request: Request, principal: PagePrincipal, product_version_id: int, saved: int = 0
) -> Response:
    """A product version: end of support (stored, MDS2, OS), disclosures, its assets."""
    ctx = page_context(request)
    info = legacy.product_lifecycle(ctx, principal, product_version_id)
    assets = svc.list_assets(
        ctx, principal, AssetQuery(product_version_id=product_version_id, page_size=100)
    )
    exposure = exposure_views.version_exposure(ctx, principal, product_version_id)
    return render(
        request,
        "inventory_product.html",
        {
            "info": info,
            "assets": assets,
            "sources": ("manufacturer", "entered"),
            "saved": saved,
            "exposure": exposure,
        },
    )


@router.post("/inventory/products/{product_version_id}/lifecycle")
def product_lifecycle_save(
    request: Request,
    principal: PagePrincipal,
    product_version_id: int,
    csrf_token: Annotated[str, Form()] = "",
    end_of_support: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    reference: Annotated[str, Form()] = "",
    operating_system: Annotated[str, Form()] = "",
) -> Response:
    """Record a product version's end of support and OS."""
    check_csrf(request, csrf_token)
    try:
        end = date.fromisoformat(end_of_support) if end_of_support.strip() else None
        kind = SupportSource(source) if source else None
    except ValueError as exc:
        raise InputError(f"bad end-of-support entry: {exc}") from exc
    legacy.set_end_of_support(
        page_context(request),
        principal,
        product_version_id,
        end_of_support=end,
        source=kind,
        reference=reference,
        operating_system=operating_system,
    )
    return RedirectResponse(f"/inventory/products/{product_version_id}?saved=1", status_code=303)


@router.get("/inventory/import", response_class=HTMLResponse)
def import_page(request: Request, principal: PagePrincipal) -> Response:
    """Upload a CMMS export."""
    ctx = page_context(request)
    return render(
        request,
        "inventory_import.html",
        {"sources": svc.list_sources(ctx, principal), "imports": svc.list_imports(ctx, principal)},
    )


@router.post("/inventory/import", response_class=HTMLResponse)
async def import_upload(
    request: Request,
    principal: PagePrincipal,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
) -> Response:
    """Keep the upload and go to the mapping step."""
    check_csrf(request, csrf_token)
    data = await file.read()
    ctx = page_context(request)
    svc.preview_import(ctx, principal, data=data, filename=file.filename)  # readable at all?
    token = staging.stage_upload(ctx, principal, data=data, filename=file.filename)
    query = urlencode({"source": source.strip()}) if source.strip() else ""
    return RedirectResponse(f"/inventory/import/{token}?{query}", status_code=303)


def _mapping_context(
    request: Request, principal: Principal, token: str, source: str | None
) -> tuple[dict[str, object], svc.ImportPreview]:
    ctx = page_context(request)
    data, filename = staging.load_staged(ctx, principal, token)
    preview = svc.preview_import(ctx, principal, data=data, filename=filename, source=source)
    by_header = {h: f.value for f, h in preview.mapping.columns}
    return {
        "token": token,
        "filename": filename,
        "source": source or "",
        "preview": preview,
        "selected": [by_header.get(h, "") for h in preview.headers],
        "fields": list(AssetField),
        "report": None,
        "error": None,
    }, preview


@router.get("/inventory/import/{token}", response_class=HTMLResponse)
def mapping_page(
    request: Request, principal: PagePrincipal, token: str, source: str | None = None
) -> Response:
    """Preview the file and map its columns (guessed, or the source's saved mapping)."""
    context, _preview = _mapping_context(request, principal, token, source or None)
    return render(request, "inventory_mapping.html", context)


@router.post("/inventory/import/{token}", response_class=HTMLResponse)
async def mapping_submit(request: Request, principal: PagePrincipal, token: str) -> Response:
    """Dry-run or import with the chosen mapping."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    source = str(form.get("source", "")).strip() or None
    context, preview = _mapping_context(request, principal, token, source)
    headers = preview.headers
    chosen: dict[AssetField, str] = {}
    selected = []
    for index, header in enumerate(headers):
        value = str(form.get(f"col_{index}", "")).strip()
        selected.append(value)
        if not value:
            continue
        field = AssetField(value) if value in {f.value for f in AssetField} else None
        if field is None or field in chosen:
            context["selected"] = selected
            context["error"] = f"{value!r} is chosen for more than one column (or unknown)"
            return render(request, "inventory_mapping.html", context, status_code=422)
        chosen[field] = header
    context["selected"] = selected + [""] * (len(headers) - len(selected))
    mapping = ColumnMapping.build(chosen)
    ctx = page_context(request)
    data, filename = staging.load_staged(ctx, principal, token)
    dry_run = form.get("action") != "import"
    try:
        report = svc.import_assets(
            ctx,
            principal,
            data=data,
            filename=filename,
            mapping=mapping,
            source=source,
            dry_run=dry_run,
        )
    except MedtrustError as exc:
        context["error"] = exc.message
        return render(request, "inventory_mapping.html", context, status_code=exc.http_status)
    if dry_run:
        context["report"] = report
        return render(request, "inventory_mapping.html", context)
    staging.discard_staged(ctx, principal, token)
    return RedirectResponse(f"/inventory/imports/{report.run_id}", status_code=303)


@router.get("/inventory/imports/{run_id}", response_class=HTMLResponse)
def import_report_page(
    request: Request, principal: PagePrincipal, run_id: int, offset: int = 0
) -> Response:
    """A committed import: counts and every row finding (paged)."""
    run, issues, total = svc.get_import(
        page_context(request), principal, run_id, offset=max(offset, 0), limit=500
    )
    return render(
        request,
        "inventory_report.html",
        {"run": run, "issues": issues, "total": total, "offset": max(offset, 0), "limit": 500},
    )


@router.get("/inventory/links", response_class=HTMLResponse)
def links_page(request: Request, principal: PagePrincipal, done: int = -1) -> Response:
    """Assets not linked to a product version, with suggestions to confirm."""
    ctx = page_context(request)
    return render(
        request,
        "inventory_links.html",
        {
            "groups": links.link_groups(ctx, principal),
            "versions": list_product_versions(ctx, principal),
            "done": done,
        },
    )


@router.post("/inventory/links", response_class=HTMLResponse)
def links_confirm(
    request: Request,
    principal: PagePrincipal,
    csrf_token: Annotated[str, Form()] = "",
    manufacturer: Annotated[str, Form()] = "",
    model: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    product_version_id: Annotated[str, Form()] = "",
    create_manufacturer: Annotated[str, Form()] = "",
    create_product: Annotated[str, Form()] = "",
    create_version: Annotated[str, Form()] = "",
) -> Response:
    """Confirm a suggestion, pick another product version, or create one from the texts."""
    check_csrf(request, csrf_token)
    create = None
    target_id = None
    if product_version_id.strip():
        if not product_version_id.strip().isdigit():
            raise InputError("choose a product version")
        target_id = int(product_version_id)
    else:
        create = (create_manufacturer, create_product, create_version)
    _target, count = links.confirm_link(
        page_context(request),
        principal,
        manufacturer=manufacturer or None,
        model=model or None,
        version=version or None,
        product_version_id=target_id,
        create=create,
    )
    return RedirectResponse(f"/inventory/links?done={count}", status_code=303)


@router.get("/inventory/legacy", response_class=HTMLResponse)
def legacy_page(
    request: Request,
    principal: PagePrincipal,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    offset: int = 0,
) -> Response:
    """The legacy register: status counts, end-of-support timeline, assets and compensations."""
    register = legacy.legacy_register(page_context(request), principal, horizon_days=horizon_days)
    _bars, svg = legacy.support_timeline(register)
    start = max(offset, 0)
    return render(
        request,
        "inventory_legacy.html",
        {
            "register": register,
            "entries": register.entries[start : start + LEGACY_PAGE],
            "offset": start,
            "page_size": LEGACY_PAGE,
            "timeline_svg": svg,
            "formats": sorted(FORMATS),
        },
    )


@router.get("/inventory/legacy/export/{fmt}")
def legacy_export(
    request: Request, principal: PagePrincipal, fmt: str, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> Response:
    """Download the legacy register."""
    out = legacy.export_legacy_register(
        page_context(request), principal, fmt=fmt, horizon_days=horizon_days
    )
    return _download(out)
