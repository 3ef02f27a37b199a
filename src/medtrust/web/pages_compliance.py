"""Compliance pages: browse catalogues and mappings, applicability questionnaire, gap reports."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from medtrust.compliance.applicability import applicability_rules, decide_applicability, parse_facts
from medtrust.compliance.applicability_files import FactType
from medtrust.compliance.catalog_views import (
    framework_view,
    frameworks_view,
    inference_view,
    node_view,
)
from medtrust.compliance.gaps import node_label, requirement_title
from medtrust.compliance.library import packaged_library
from medtrust.compliance.product import InputFile, assess_product_files
from medtrust.compliance.reports.registry import report_format
from medtrust.mds2.readers.limits import ReadLimits
from medtrust.services.context import ServiceContext
from medtrust.web.pages_compliance_org import router as org_router
from medtrust.web.rendering import render
from medtrust.web.security import PagePrincipal, check_csrf

router = APIRouter(include_in_schema=False)


@router.get("/compliance", response_class=HTMLResponse)
def catalogues_page(request: Request, principal: PagePrincipal) -> Response:
    """Catalogues and mapping sets."""
    return render(request, "compliance.html", {"view": frameworks_view(packaged_library())})


@router.get("/compliance/frameworks/{framework_id}", response_class=HTMLResponse)
def framework_page(request: Request, principal: PagePrincipal, framework_id: str) -> Response:
    """One catalogue as a tree, each node linking to its mappings."""
    view = framework_view(packaged_library(), framework_id)
    return render(request, "compliance_framework.html", {"view": view})


@router.get("/compliance/node", response_class=HTMLResponse)
def node_page(
    request: Request, principal: PagePrincipal, urn: str, to: str = "", max_hops: int = 3
) -> Response:
    """A requirement, its direct mappings, and (with ``to``) inferred mappings to a framework."""
    library = packaged_library()
    view = node_view(library, urn)
    inferred = inference_view(library, urn, to, min(max(max_hops, 1), 6)) if to else None
    return render(
        request,
        "compliance_node.html",
        {
            "view": view,
            "inferred": inferred,
            "frameworks": list(library.frameworks),
            "to": to,
            "max_hops": max_hops,
        },
    )


def _questions() -> list[dict[str, object]]:
    return [
        {
            "id": f.id,
            "field": f.id.replace(".", "__"),
            "type": f.type.value,
            "question": f.question,
            "source": f.source,
            "choices": f.choices or [],
        }
        for f in applicability_rules().facts
    ]


@router.get("/compliance/applicability", response_class=HTMLResponse)
def applicability_page(request: Request, principal: PagePrincipal) -> Response:
    """The applicability questionnaire."""
    return render(
        request, "compliance_applicability.html", {"questions": _questions(), "report": None}
    )


@router.post("/compliance/applicability", response_class=HTMLResponse)
async def applicability_submit(request: Request, principal: PagePrincipal) -> Response:
    """Decide applicability from the questionnaire answers (blank means unknown)."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    facts: dict[str, dict[str, object]] = {"product": {}, "organisation": {}}
    for fact in applicability_rules().facts:
        raw = str(form.get(fact.id.replace(".", "__"), "")).strip()
        if not raw:
            continue
        group, key = fact.id.split(".", 1)
        value: object = raw
        if fact.type is FactType.BOOL:
            value = raw == "yes"
        elif fact.type is FactType.NUMBER:
            try:
                value = float(raw)
            except ValueError:
                value = raw
        facts[group][key] = value
    report = decide_applicability(parse_facts(facts, "questionnaire"))
    answered = {f"{g}.{k}": v for g, values in facts.items() for k, v in values.items()}
    return render(
        request,
        "compliance_applicability.html",
        {"questions": _questions(), "report": report, "answered": answered},
    )


@router.get("/compliance/assess", response_class=HTMLResponse)
def assess_page(request: Request, principal: PagePrincipal) -> Response:
    """The product assessment upload form."""
    return render(
        request, "compliance_assess.html", {"frameworks": list(packaged_library().frameworks)}
    )


async def _file(upload: UploadFile | None) -> InputFile | None:
    if upload is None or not upload.filename:
        return None
    data = await upload.read()
    return InputFile(data, upload.filename) if data else None


@router.post("/compliance/assess", response_class=HTMLResponse)
async def assess_submit(
    request: Request,
    principal: PagePrincipal,
    mds2: Annotated[UploadFile | None, File()] = None,
    sbom: Annotated[UploadFile | None, File()] = None,
    declarations: Annotated[UploadFile | None, File()] = None,
    framework: Annotated[list[str] | None, Form()] = None,
    output: Annotated[str, Form()] = "html",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Run the assessment; show the gap report, or download it as xlsx, PDF or JSON."""
    check_csrf(request, csrf_token)
    ctx: ServiceContext = request.app.state.ctx
    library = packaged_library()
    assessment = assess_product_files(
        mds2=await _file(mds2),
        sbom=await _file(sbom),
        declarations=await _file(declarations),
        frameworks=framework or [],
        as_of=date.today(),
        mds2_limits=ReadLimits.from_settings(ctx.settings),
    )
    if output != "html":
        rendering = report_format(output)
        return Response(
            rendering.render(assessment, library),
            media_type=rendering.media_type,
            headers={"Content-Disposition": f'attachment; filename="gap-report{rendering.suffix}"'},
        )
    rows = [
        {
            "result": r,
            "label": node_label(r.requirement.urn, library),
            "title": requirement_title(r.requirement),
            "contributions": [{"c": c, "via": c.via(library)} for c in r.contributions],
        }
        for r in assessment.results
    ]
    return render(
        request,
        "compliance_report.html",
        {
            "assessment": assessment,
            "rows": rows,
            "names": {f: library.framework(f).name for f in assessment.frameworks},
        },
    )


router.include_router(org_router)
