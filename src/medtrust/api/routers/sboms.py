"""SBOMs, VEX documents, findings with explanations, and vulnerabilities from the KB."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from medtrust.api.deps import Context, CurrentPrincipal
from medtrust.services import sboms as svc
from medtrust.storage.repositories.sboms import SbomRow, VexRow

router = APIRouter(tags=["SBOMs and vulnerabilities"])


class SbomOut(BaseModel):
    """A stored SBOM."""

    id: int
    source_name: str
    format: str
    spec_version: str | None
    component_count: int
    quality_score: int
    digest: str
    manufacturer: str | None
    product: str | None
    version: str | None
    uploaded_at: datetime

    @classmethod
    def of(cls, row: SbomRow) -> SbomOut:
        """From a repository row."""
        return cls(
            id=row.id,
            source_name=row.source_name,
            format=row.source_format,
            spec_version=row.spec_version,
            component_count=row.component_count,
            quality_score=row.quality_score,
            digest=row.content_digest,
            manufacturer=row.manufacturer,
            product=row.product,
            version=row.version,
            uploaded_at=row.uploaded_at,
        )


class SbomUploadOut(BaseModel):
    """Result of an SBOM upload: the stored SBOM and its quality report."""

    created: bool
    sbom: SbomOut
    quality: dict[str, Any]


class ComponentOut(BaseModel):
    """One component of a stored SBOM."""

    bom_ref: str
    type: str
    name: str
    version: str | None
    group: str | None
    supplier: str | None
    purl: str | None
    cpe: str | None


class SbomDetailOut(BaseModel):
    """A stored SBOM with its components and quality report."""

    sbom: SbomOut
    components: list[ComponentOut]
    quality: dict[str, Any]


class VexOut(BaseModel):
    """A stored VEX document."""

    id: int
    source_name: str
    format: str
    statement_count: int
    digest: str
    uploaded_at: datetime

    @classmethod
    def of(cls, row: VexRow) -> VexOut:
        """From a repository row."""
        return cls(
            id=row.id,
            source_name=row.source_name,
            format=row.source_format,
            statement_count=row.statement_count,
            digest=row.content_digest,
            uploaded_at=row.uploaded_at,
        )


class VexUploadOut(BaseModel):
    """Result of a VEX upload."""

    created: bool
    vex: VexOut


@router.post("/sboms", response_model=SbomUploadOut, status_code=201)
async def upload_sbom(
    ctx: Context,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="CycloneDX JSON/XML or SPDX JSON/XML/tag-value")],
    manufacturer: Annotated[str | None, Form()] = None,
    product: Annotated[str | None, Form()] = None,
    version: Annotated[str | None, Form()] = None,
) -> SbomUploadOut:
    """Upload an SBOM; it is read and quality-assessed, unreadable files are refused."""
    data = await file.read()
    result = svc.upload_sbom(
        ctx,
        principal,
        data=data,
        filename=file.filename,
        manufacturer=manufacturer,
        product=product,
        version=version,
    )
    return SbomUploadOut(
        created=result.created, sbom=SbomOut.of(result.sbom), quality=result.quality.as_dict()
    )


@router.get("/sboms", response_model=list[SbomOut])
def list_sboms(ctx: Context, principal: CurrentPrincipal) -> list[SbomOut]:
    """SBOMs of your organisation, newest first."""
    return [SbomOut.of(row) for row in svc.list_sboms(ctx, principal)]


@router.get("/sboms/{sbom_id}", response_model=SbomDetailOut)
def get_sbom(ctx: Context, principal: CurrentPrincipal, sbom_id: int) -> SbomDetailOut:
    """One SBOM with its components and quality report (score, factors, fixes)."""
    detail = svc.get_sbom(ctx, principal, sbom_id)
    return SbomDetailOut(
        sbom=SbomOut.of(detail.sbom),
        components=[
            ComponentOut(
                bom_ref=c.bom_ref,
                type=c.type.value,
                name=c.name,
                version=c.version,
                group=c.group,
                supplier=c.supplier,
                purl=c.purl,
                cpe=c.cpe,
            )
            for c in detail.document.all_components()
        ],
        quality=detail.quality.as_dict(),
    )


@router.get(
    "/sboms/{sbom_id}/findings",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
def findings(
    ctx: Context,
    principal: CurrentPrincipal,
    sbom_id: int,
    format: Annotated[str, Query(description=f"one of {', '.join(svc.FINDING_FORMATS)}")] = "json",
) -> Response:
    """Findings of a scan against the knowledge base with your VEX applied; each explains itself."""
    text, media_type = svc.render_findings(ctx, principal, sbom_id, format)
    return Response(text, media_type=media_type)


@router.post("/vex", response_model=VexUploadOut, status_code=201)
async def upload_vex(
    ctx: Context,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="CycloneDX VEX, CSAF VEX or OpenVEX")],
) -> VexUploadOut:
    """Upload a VEX document; it applies to every later scan of your organisation's SBOMs."""
    data = await file.read()
    result = svc.upload_vex(ctx, principal, data=data, filename=file.filename)
    return VexUploadOut(created=result.created, vex=VexOut.of(result.vex))


@router.get("/vex", response_model=list[VexOut])
def list_vex(ctx: Context, principal: CurrentPrincipal) -> list[VexOut]:
    """VEX documents of your organisation, in the order they apply (later wins)."""
    return [VexOut.of(row) for row in svc.list_vex(ctx, principal)]


@router.get("/vulnerabilities/{vuln_id}")
def get_vulnerability(ctx: Context, principal: CurrentPrincipal, vuln_id: str) -> dict[str, Any]:
    """A vulnerability and its aliases from the knowledge base: CVSS, CWE, KEV, EPSS, records."""
    view = svc.vulnerability(ctx, principal, vuln_id)
    cvss = view.cvss
    return {
        "id": view.vuln_id,
        "primary_id": view.primary_id,
        "aliases": list(view.aliases),
        "summary": view.summary,
        "cvss": None
        if cvss is None
        else {
            "score": cvss.score,
            "vector": cvss.vector,
            "version": cvss.version,
            "source": cvss.source,
        },
        "cwes": list(view.cwes),
        "kev": view.kev,
        "kev_date_added": view.kev_date_added,
        "epss": view.epss,
        "epss_percentile": view.epss_percentile,
        "records": [
            {
                "id": r.vuln_id,
                "source": r.source,
                "origin": r.origin,
                "published": r.published,
                "modified": r.modified,
                "withdrawn": r.withdrawn,
            }
            for r in view.records
        ],
        "affected": [
            {"record": key, "identifier": ident, "range": rng} for key, ident, rng in view.affected
        ],
    }
