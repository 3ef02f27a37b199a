"""SBOM pages: list and upload, an SBOM with quality and findings, VEX upload, vulnerability."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medtrust.formats.scan_json import finding_dict
from medtrust.services import sboms as svc
from medtrust.web.rendering import render
from medtrust.web.security import PagePrincipal, check_csrf, page_context

router = APIRouter(include_in_schema=False)


@router.get("/sboms", response_class=HTMLResponse)
def sboms_page(request: Request, principal: PagePrincipal) -> Response:
    """The organisation's SBOMs and VEX documents, with upload forms."""
    ctx = page_context(request)
    return render(
        request,
        "sboms.html",
        {"items": svc.list_sboms(ctx, principal), "vex": svc.list_vex(ctx, principal)},
    )


@router.post("/sboms/upload", response_class=HTMLResponse)
async def upload_sbom(
    request: Request,
    principal: PagePrincipal,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()] = "",
    manufacturer: Annotated[str, Form()] = "",
    product: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    """Store an uploaded SBOM and open it."""
    check_csrf(request, csrf_token)
    result = svc.upload_sbom(
        page_context(request),
        principal,
        data=await file.read(),
        filename=file.filename,
        manufacturer=manufacturer or None,
        product=product or None,
        version=version or None,
    )
    return RedirectResponse(f"/sboms/{result.sbom.id}", status_code=303)


@router.post("/vex/upload", response_class=HTMLResponse)
async def upload_vex(
    request: Request,
    principal: PagePrincipal,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Store an uploaded VEX document and return to the SBOM list."""
    check_csrf(request, csrf_token)
    svc.upload_vex(page_context(request), principal, data=await file.read(), filename=file.filename)
    return RedirectResponse("/sboms", status_code=303)


@router.get("/sboms/{sbom_id}", response_class=HTMLResponse)
def sbom_page(request: Request, principal: PagePrincipal, sbom_id: int) -> Response:
    """An SBOM: quality score and fixes, and its components."""
    detail = svc.get_sbom(page_context(request), principal, sbom_id)
    return render(
        request,
        "sbom.html",
        {
            "sbom": detail.sbom,
            "components": list(detail.document.all_components()),
            "quality": detail.quality,
            "fixes": detail.quality.fixes(),
            "formats": svc.FINDING_FORMATS,
        },
    )


@router.get("/sboms/{sbom_id}/findings", response_class=HTMLResponse)
def findings_page(request: Request, principal: PagePrincipal, sbom_id: int) -> Response:
    """Findings of a scan of the SBOM, each with its explanation."""
    ctx = page_context(request)
    detail = svc.get_sbom(ctx, principal, sbom_id)
    result = svc.scan_sbom(ctx, principal, sbom_id)
    return render(
        request,
        "sbom_findings.html",
        {
            "sbom": detail.sbom,
            "findings": [finding_dict(f) for f in result.findings],
            "counts": result.status_counts(),
            "kb_updated_at": result.kb_updated_at,
            "formats": svc.FINDING_FORMATS,
        },
    )


@router.get("/sboms/{sbom_id}/findings/{fmt}")
def findings_download(
    request: Request, principal: PagePrincipal, sbom_id: int, fmt: str
) -> Response:
    """Findings as JSON, SARIF, CycloneDX VEX or CSAF VEX."""
    text, media_type = svc.render_findings(page_context(request), principal, sbom_id, fmt)
    extension = "json" if fmt != "sarif" else "sarif"
    return Response(
        text,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="sbom-{sbom_id}-{fmt}.{extension}"'},
    )


@router.get("/vulnerabilities/{vuln_id}", response_class=HTMLResponse)
def vulnerability_page(request: Request, principal: PagePrincipal, vuln_id: str) -> Response:
    """A vulnerability from the knowledge base."""
    view = svc.vulnerability(page_context(request), principal, vuln_id)
    return render(request, "vulnerability.html", {"v": view})
