"""Exposure: the ordered worklist, per-asset and per-version decisions, chart data, evaluation
and the organisation's exposure settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from medtrust.api.deps import Context, CurrentPrincipal
from medtrust.api.routers.exposure_schemas import (
    AssetExposureOut,
    ChartsOut,
    DepartmentBarOut,
    EvaluateIn,
    RunOut,
    TrendPointOut,
    VersionExposureOut,
    WorklistOut,
)
from medtrust.errors import InputError
from medtrust.exposure import exports
from medtrust.exposure.model import Decision
from medtrust.exposure.settings import ExposureSettings
from medtrust.services import exposure as svc
from medtrust.services import exposure_export
from medtrust.services import exposure_views as views

router = APIRouter(tags=["Exposure"])
DECISIONS = ", ".join(d.value for d in Decision)


def parse_decisions(values: list[str] | None) -> tuple[Decision, ...]:
    """``act,attend`` (repeatable, comma-separated); ``all`` for every decision; absent: Act
    and Attend. Unknown values are an input error."""
    if not values:
        return views.WorklistQuery().decisions
    names = [v.strip().lower() for value in values for v in value.split(",") if v.strip()]
    if "all" in names:
        return ()
    aliases = {"track*": Decision.TRACK_STAR.value}
    try:
        chosen = {Decision(aliases.get(n, n)) for n in names}
    except ValueError as exc:
        raise InputError(f"decision must be one of {DECISIONS} or all") from exc
    return tuple(sorted(chosen, key=lambda d: -d.urgency))


def worklist_query(
    decision: list[str] | None,
    q: str | None,
    kev: bool,
    product_version_id: int | None,
    page: int,
    page_size: int,
) -> views.WorklistQuery:
    """Filters and page from query parameters (page size 1-500)."""
    if page < 1 or not 1 <= page_size <= views.MAX_PAGE_SIZE:
        raise InputError(f"page must be at least 1 and page_size 1 to {views.MAX_PAGE_SIZE}")
    return views.WorklistQuery(
        decisions=parse_decisions(decision),
        q=(q or "").strip()[:200] or None,
        product_version_id=product_version_id,
        kev_only=kev,
        page=page,
        page_size=page_size,
    )


@router.get("/exposure/worklist", response_model=WorklistOut)
def get_worklist(
    ctx: Context,
    principal: CurrentPrincipal,
    decision: Annotated[
        list[str] | None,
        Query(description=f"{DECISIONS} or all; comma-separated or repeated; default act,attend"),
    ] = None,
    q: Annotated[
        str | None, Query(description="search vulnerability, component, product, maker")
    ] = None,
    kev: Annotated[bool, Query(description="only vulnerabilities in CISA KEV")] = False,
    product_version_id: int | None = None,
    page: int = 1,
    page_size: int = 50,
    with_assets: Annotated[bool, Query(description="list the asset tags of each item")] = False,
) -> WorklistOut:
    """Decisions, most urgent first (decision, KEV, EPSS, CVSS, assets), each explained.

    Act, Attend and Track* are listed; Track, the default for every other open finding, is
    counted per asset (charts, asset summaries) but not listed."""
    query = worklist_query(decision, q, kev, product_version_id, page, page_size)
    return WorklistOut.of(views.worklist(ctx, principal, query, with_assets=with_assets))


@router.get("/exposure/worklist/export", response_class=Response)
def export_worklist(
    ctx: Context,
    principal: CurrentPrincipal,
    format: Annotated[
        str, Query(description=f"one of {', '.join(sorted(exports.FORMATS))}")
    ] = "xlsx",
    decision: Annotated[list[str] | None, Query(description="as for the worklist")] = None,
    q: str | None = None,
    kev: bool = False,
    product_version_id: int | None = None,
) -> Response:
    """The whole filtered worklist (every page, with asset tags) as xlsx, PDF, JSON or CSV."""
    query = worklist_query(decision, q, kev, product_version_id, 1, 1)
    out = exposure_export.export_worklist(ctx, principal, query, format)
    return Response(
        out.content,
        media_type=out.media_type,
        headers={"Content-Disposition": f'attachment; filename="{out.filename}"'},
    )


@router.get("/assets/{asset_id}/exposure", response_model=AssetExposureOut)
def get_asset_exposure(
    ctx: Context, principal: CurrentPrincipal, asset_id: int
) -> AssetExposureOut:
    """An asset's decisions and the findings of its version that VEX resolved."""
    return AssetExposureOut.of(views.asset_exposure(ctx, principal, asset_id))


@router.get("/product-versions/{product_version_id}/exposure", response_model=VersionExposureOut)
def get_version_exposure(
    ctx: Context, principal: CurrentPrincipal, product_version_id: int
) -> VersionExposureOut:
    """A product version's findings with assets per decision, and its asset profiles."""
    return VersionExposureOut.of(views.version_exposure(ctx, principal, product_version_id))


@router.get("/exposure/charts", response_model=ChartsOut)
def get_charts(ctx: Context, principal: CurrentPrincipal) -> ChartsOut:
    """Assets per department by most urgent decision; open Act/Attend after each run."""
    return ChartsOut(
        departments=[DepartmentBarOut.of(b) for b in views.department_chart(ctx, principal)],
        trend=[TrendPointOut.of(p) for p in views.trend(ctx, principal)],
    )


@router.post("/exposure/evaluate", response_model=RunOut)
def evaluate(
    ctx: Context,
    principal: CurrentPrincipal,
    body: Annotated[EvaluateIn | None, Body()] = None,
) -> RunOut:
    """Evaluate the installed base against the knowledge base (editor).

    503 ``kb-unavailable`` when no knowledge base has been imported yet
    (``medtrust feeds import PATH`` or ``medtrust feeds update``)."""
    ids = body.product_version_ids if body is not None else None
    return RunOut.of(svc.evaluate_exposure(ctx, principal, product_version_ids=ids, trigger="api"))


@router.get("/exposure/settings", response_model=ExposureSettings)
def get_settings(ctx: Context, principal: CurrentPrincipal) -> ExposureSettings:
    """The organisation's thresholds (defaults until an admin saves them)."""
    return svc.load_settings(ctx, principal)


@router.put("/exposure/settings", response_model=ExposureSettings)
def put_settings(
    ctx: Context, principal: CurrentPrincipal, body: ExposureSettings
) -> ExposureSettings:
    """Replace the thresholds (admin); they apply from the next evaluation."""
    return svc.save_settings(ctx, principal, body)
