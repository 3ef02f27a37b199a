"""MDS2 pages: list, upload, read by section, export, compare, diff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.errors import NotFoundError
from medtrust.mds2.render.registry import comparison_rendering
from medtrust.mds2.writers.registry import WRITERS
from medtrust.services import disclosures as svc
from medtrust.web.contexts import section_rows, section_tabs
from medtrust.web.rendering import render
from medtrust.web.security import PagePrincipal, check_csrf, page_context

router = APIRouter(include_in_schema=False)


@router.get("/disclosures", response_class=HTMLResponse)
def disclosures_page(request: Request, principal: PagePrincipal, q: str | None = None) -> Response:
    """List of disclosures with search and a compare selection."""
    items = svc.list_disclosures(page_context(request), principal, query=q)
    return render(request, "disclosures.html", {"items": items, "q": q or ""})


@router.get("/disclosures/upload", response_class=HTMLResponse)
def upload_page(request: Request, principal: PagePrincipal) -> Response:
    """The upload form."""
    return render(request, "upload.html", {"error": None})


@router.post("/disclosures/upload", response_class=HTMLResponse)
async def upload(
    request: Request,
    principal: PagePrincipal,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()] = "",
    manufacturer: Annotated[str, Form()] = "",
    product: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    """Store an uploaded form and open it."""
    check_csrf(request, csrf_token)
    data = await file.read()
    result = svc.upload_disclosure(
        page_context(request),
        principal,
        data=data,
        filename=file.filename,
        manufacturer=manufacturer or None,
        product=product or None,
        version=version or None,
    )
    flag = "uploaded" if result.created else "unchanged"
    return RedirectResponse(f"/disclosures/{result.summary.id}?{flag}=1", status_code=303)


@router.get("/disclosures/{disclosure_id}", response_class=HTMLResponse)
def disclosure_page(
    request: Request,
    principal: PagePrincipal,
    disclosure_id: int,
    section: str | None = None,
    uploaded: int = 0,
    unchanged: int = 0,
) -> Response:
    """Read a disclosure section by section, with its validation findings."""
    ctx = page_context(request)
    stored, report = svc.validate_disclosure(ctx, principal, disclosure_id)
    catalogue = load_mds2_catalogue()
    tabs = section_tabs(stored.form, catalogue, report.issues)
    current = section or tabs[0].code
    if current not in {t.code for t in tabs}:
        raise NotFoundError(f"no section {current!r} in the MDS2 form")
    info = catalogue.section(current)
    return render(
        request,
        "disclosure.html",
        {
            "stored": stored,
            "form": stored.form,
            "report": report,
            "general_issues": [i for i in report.issues if i.question_id is None],
            "tabs": tabs,
            "current": current,
            "section": info,
            "rows": section_rows(stored.form, catalogue, current, report.issues),
            "history": svc.disclosure_history(ctx, principal, disclosure_id),
            "formats": sorted(WRITERS),
            "uploaded": bool(uploaded),
            "unchanged": bool(unchanged),
        },
    )


@router.get("/disclosures/{disclosure_id}/export/{fmt}")
def export(request: Request, principal: PagePrincipal, disclosure_id: int, fmt: str) -> Response:
    """Download a disclosure in one of the writer formats."""
    out = svc.export_disclosure(page_context(request), principal, disclosure_id, fmt=fmt)
    disposition = "inline" if fmt == "html" else "attachment"
    return Response(
        out.content,
        media_type=out.media_type,
        headers={"Content-Disposition": f'{disposition}; filename="{out.filename}"'},
    )


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    principal: PagePrincipal,
    ids: Annotated[list[int] | None, Query()] = None,
) -> Response:
    """Several disclosures side by side, by section, with per-section summaries."""
    ctx = page_context(request)
    items = svc.list_disclosures(ctx, principal)
    chosen = ids or []
    comparison = svc.compare_disclosures(ctx, principal, chosen) if len(chosen) >= 2 else None
    return render(
        request,
        "compare.html",
        {
            "items": items,
            "chosen": chosen,
            "comparison": comparison,
            "catalogue": load_mds2_catalogue(),
        },
    )


@router.get("/compare/export")
def compare_export(
    request: Request,
    principal: PagePrincipal,
    ids: Annotated[list[int], Query()],
    format: str = "xlsx",
) -> Response:
    """Download a comparison as xlsx, HTML or JSON."""
    rendering = comparison_rendering(format)
    result = svc.compare_disclosures(page_context(request), principal, ids)
    return Response(
        rendering.render(result),
        media_type=rendering.media_type,
        headers={"Content-Disposition": f'attachment; filename="mds2-compare{rendering.suffix}"'},
    )


@router.get("/diff", response_class=HTMLResponse)
def diff_page(request: Request, principal: PagePrincipal, old: int, new: int) -> Response:
    """What changed between two revisions."""
    a, b, result = svc.diff_disclosures(page_context(request), principal, old=old, new=new)
    return render(request, "diff.html", {"a": a, "b": b, "diff": result})
