"""Shared-responsibility pages of a product version and of an asset, with their downloads.

JSON twins: ``/api/v1/product-versions/{id}/responsibility`` and
``/api/v1/assets/{id}/responsibility``. Another organisation's id answers 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from medtrust.inventory.responsibility_ops import RULES
from medtrust.services import responsibility as svc
from medtrust.services.disclosures import Export
from medtrust.web.rendering import render
from medtrust.web.security import PagePrincipal, page_context

router = APIRouter(include_in_schema=False)
#: the downloads offered on the pages (every register format is accepted)
DOWNLOADS = ("xlsx", "pdf")


def _download(out: Export) -> Response:
    return Response(
        out.content,
        media_type=out.media_type,
        headers={"Content-Disposition": f'attachment; filename="{out.filename}"'},
    )


@router.get("/inventory/products/{product_version_id}/responsibility", response_class=HTMLResponse)
def version_page(request: Request, principal: PagePrincipal, product_version_id: int) -> Response:
    """What the manufacturer provides and what the hospital must do, per capability."""
    view = svc.version_responsibility(page_context(request), principal, product_version_id)
    return render(
        request,
        "inventory_responsibility.html",
        {
            "version": view,
            "asset_view": None,
            "base": f"/inventory/products/{product_version_id}",
            "downloads": DOWNLOADS,
            "rules": RULES,
        },
    )


@router.get("/inventory/products/{product_version_id}/responsibility/export/{fmt}")
def version_export(
    request: Request, principal: PagePrincipal, product_version_id: int, fmt: str
) -> Response:
    """Download a product version's matrix (xlsx, pdf, csv or json)."""
    return _download(
        svc.export_version_responsibility(
            page_context(request), principal, product_version_id, fmt=fmt
        )
    )


@router.get("/inventory/assets/{asset_id}/responsibility", response_class=HTMLResponse)
def asset_page(request: Request, principal: PagePrincipal, asset_id: int) -> Response:
    """The product version's matrix with this asset's operational status per capability."""
    view = svc.asset_responsibility(page_context(request), principal, asset_id)
    return render(
        request,
        "inventory_responsibility.html",
        {
            "version": view.version,
            "asset_view": view,
            "base": f"/inventory/assets/{asset_id}",
            "downloads": DOWNLOADS,
            "rules": RULES,
        },
    )


@router.get("/inventory/assets/{asset_id}/responsibility/export/{fmt}")
def asset_export(request: Request, principal: PagePrincipal, asset_id: int, fmt: str) -> Response:
    """Download an asset's matrix with operational statuses (xlsx, pdf, csv or json)."""
    return _download(
        svc.export_asset_responsibility(page_context(request), principal, asset_id, fmt=fmt)
    )
