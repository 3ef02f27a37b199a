"""Shared responsibility of a product version and of an asset (JSON and downloads).

Another organisation's product version or asset answers 404 exactly like an absent id; a
product version without an MDS2 disclosure answers 200 with ``state: "no-mds2"``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from medtrust.api.deps import Context, CurrentPrincipal
from medtrust.inventory.exports.formats import FORMATS
from medtrust.inventory.exports.responsibility import asset_dict, version_dict
from medtrust.services import responsibility as svc
from medtrust.services.disclosures import Export

router = APIRouter(tags=["Installed base"])
FormatQuery = Annotated[str, Query(description=f"one of {', '.join(sorted(FORMATS))}")]


def _download(out: Export) -> Response:
    return Response(
        out.content,
        media_type=out.media_type,
        headers={"Content-Disposition": f'attachment; filename="{out.filename}"'},
    )


@router.get("/product-versions/{product_version_id}/responsibility")
def version_responsibility(
    ctx: Context, principal: CurrentPrincipal, product_version_id: int
) -> dict[str, Any]:
    """Per capability: what the manufacturer provides (latest MDS2) and what the hospital does."""
    return version_dict(svc.version_responsibility(ctx, principal, product_version_id))


@router.get("/product-versions/{product_version_id}/responsibility/export", response_class=Response)
def version_responsibility_export(
    ctx: Context, principal: CurrentPrincipal, product_version_id: int, format: FormatQuery = "xlsx"
) -> Response:
    """The product version's matrix as xlsx, PDF, CSV or JSON (for contracts and audits)."""
    return _download(
        svc.export_version_responsibility(ctx, principal, product_version_id, fmt=format)
    )


@router.get("/assets/{asset_id}/responsibility")
def asset_responsibility(
    ctx: Context, principal: CurrentPrincipal, asset_id: int
) -> dict[str, Any]:
    """The product version's matrix with this asset's operational status per capability."""
    return asset_dict(svc.asset_responsibility(ctx, principal, asset_id))


@router.get("/assets/{asset_id}/responsibility/export", response_class=Response)
def asset_responsibility_export(
    ctx: Context, principal: CurrentPrincipal, asset_id: int, format: FormatQuery = "xlsx"
) -> Response:
    """The asset's matrix with operational statuses as xlsx, PDF, CSV or JSON."""
    return _download(svc.export_asset_responsibility(ctx, principal, asset_id, fmt=format))
