"""Regulatory catalogues (read-only), OSCAL export, applicability and product assessment.

The organisation self-assessment, certificates register and responsibility matrix live in
:mod:`medtrust.api.routers.compliance_org` and are included here.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Query, UploadFile
from fastapi.responses import Response

from medtrust.api.deps import Context, CurrentPrincipal
from medtrust.api.routers.compliance_org import router as org_router
from medtrust.compliance.applicability import decide_applicability, parse_facts
from medtrust.compliance.assessment import DEFAULT_COVERED_MIN_CONFIDENCE, DEFAULT_MAX_HOPS, Policy
from medtrust.compliance.catalog_views import (
    framework_view,
    frameworks_view,
    inference_view,
    node_view,
)
from medtrust.compliance.library import packaged_library
from medtrust.compliance.oscal import catalog_document, mapping_document
from medtrust.compliance.product import InputFile, assess_product_files
from medtrust.compliance.reports.registry import report_format
from medtrust.errors import NotFoundError
from medtrust.mds2.readers.limits import ReadLimits

router = APIRouter(prefix="/compliance", tags=["Regulatory catalogues and assessment"])

_REPORT_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "content": {
            "application/json": {},
            "text/plain": {},
            "application/pdf": {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
        }
    }
}


@router.get("/frameworks")
def list_frameworks(principal: CurrentPrincipal) -> dict[str, Any]:
    """Every catalogue and mapping set."""
    return frameworks_view(packaged_library())


@router.get("/frameworks/{framework_id}")
def get_framework(principal: CurrentPrincipal, framework_id: str) -> dict[str, Any]:
    """One catalogue with its nodes in catalogue order."""
    return framework_view(packaged_library(), framework_id)


@router.get("/frameworks/{framework_id}/oscal")
def framework_oscal(principal: CurrentPrincipal, framework_id: str) -> dict[str, Any]:
    """The catalogue as an OSCAL 1.2 catalog document."""
    return catalog_document(packaged_library().framework(framework_id))


@router.get("/mapping-sets/{set_id}/oscal")
def mapping_set_oscal(principal: CurrentPrincipal, set_id: str) -> dict[str, Any]:
    """A mapping set as an OSCAL 1.2 mapping-collection document."""
    library = packaged_library()
    for mapping_set in library.mapping_sets:
        if mapping_set.id == set_id:
            return mapping_document(mapping_set, library)
    raise NotFoundError(f"unknown mapping set: {set_id}")


@router.get("/nodes")
def get_node(
    principal: CurrentPrincipal, urn: Annotated[str, Query(description="Requirement node URN")]
) -> dict[str, Any]:
    """One requirement node with its direct mappings (stated and inverse)."""
    return node_view(packaged_library(), urn)


@router.get("/infer")
def infer_mappings(
    principal: CurrentPrincipal,
    urn: Annotated[str, Query(description="Requirement node URN to start from")],
    target: Annotated[str, Query(description="Target framework id")],
    max_hops: Annotated[int, Query(ge=1, le=6)] = DEFAULT_MAX_HOPS,
) -> dict[str, Any]:
    """Relations inferred over the crosswalk, each with its path and confidence."""
    return inference_view(packaged_library(), urn, target, max_hops)


@router.post("/applicability")
def applicability(
    principal: CurrentPrincipal,
    facts: Annotated[
        dict[str, Any],
        Body(
            examples=[{"product": {"medical_device": False, "digital_elements": True}}],
            description="{product: {...}, organisation: {...}} with the facts of the vocabulary.",
        ),
    ],
) -> dict[str, Any]:
    """Which frameworks apply, the rule and articles behind each verdict, and missing facts."""
    return decide_applicability(parse_facts(facts, "request body")).as_dict()


async def _file(upload: UploadFile | None) -> InputFile | None:
    if upload is None or not upload.filename:
        return None
    return InputFile(await upload.read(), upload.filename)


@router.post("/assessments/product", response_class=Response, responses=_REPORT_RESPONSES)
async def assess_product(
    ctx: Context,
    principal: CurrentPrincipal,
    mds2: Annotated[UploadFile | None, File(description="MDS2 form")] = None,
    sbom: Annotated[UploadFile | None, File(description="SBOM (CycloneDX or SPDX)")] = None,
    declarations: Annotated[UploadFile | None, File(description="Declarations YAML")] = None,
    framework: Annotated[list[str] | None, Query(description="Framework ids or URNs")] = None,
    format: Annotated[str, Query(description="json, table, xlsx or pdf")] = "json",
    as_of: Annotated[date | None, Query(description="Assessment date (default today)")] = None,
    max_hops: Annotated[int, Query(ge=1, le=6)] = DEFAULT_MAX_HOPS,
    min_confidence: Annotated[float, Query(ge=0, le=1)] = DEFAULT_COVERED_MIN_CONFIDENCE,
) -> Response:
    """Assess a product from uploaded files; nothing is stored."""
    rendering = report_format(format)
    limits = ReadLimits.from_settings(ctx.settings)
    assessment = assess_product_files(
        mds2=await _file(mds2),
        sbom=await _file(sbom),
        declarations=await _file(declarations),
        frameworks=framework or [],
        as_of=as_of or date.today(),
        policy=Policy(max_hops=max_hops, covered_min_confidence=min_confidence),
        mds2_limits=limits,
    )
    body = rendering.render(assessment, packaged_library())
    headers = {}
    if rendering.binary:
        headers["Content-Disposition"] = f'attachment; filename="assessment{rendering.suffix}"'
    return Response(body, media_type=rendering.media_type, headers=headers)


router.include_router(org_router)
