"""Exposure pages: the overview with its charts and "Evaluate now", the ordered worklist with
explanations, and the organisation's exposure settings beside the packaged decision policy."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medtrust.domain.asset import Criticality
from medtrust.domain.tenancy import Principal, Role
from medtrust.errors import InputError
from medtrust.exposure import exports
from medtrust.exposure.policy import load_policy
from medtrust.exposure.settings import ExposureSettings
from medtrust.kb.errors import KbUnavailableError
from medtrust.services import exposure as svc
from medtrust.services import exposure_views as views
from medtrust.services.context import require_role
from medtrust.services.exposure_export import export_worklist
from medtrust.web import exposure_view as vm
from medtrust.web.rendering import render
from medtrust.web.security import PagePrincipal, check_csrf, page_context

router = APIRouter(include_in_schema=False)


def _overview(
    request: Request, principal: Principal, *, run: int = 0, error: str | None = None
) -> dict[str, Any]:
    ctx = page_context(request)
    last = vm.last_run(ctx, principal)
    return {
        "kb": vm.kb_status(ctx),
        "last": last,
        "just_ran": last is not None and last.id == run,
        "totals": vm.decision_totals(last.counts if last else {}),
        "department_svg": vm.department_svg(views.department_chart(ctx, principal)),
        "trend_svg": vm.trend_svg(views.trend(ctx, principal)),
        "can_evaluate": principal.user.role.allows(Role.EDITOR),
        "feed_commands": vm.FEED_COMMANDS,
        "error": error,
    }


@router.get("/exposure", response_class=HTMLResponse)
def overview_page(request: Request, principal: PagePrincipal, run: int = 0) -> Response:
    """Last evaluation, totals per decision, charts, and "Evaluate now"."""
    return render(request, "exposure.html", _overview(request, principal, run=run))


@router.post("/exposure/evaluate", response_class=HTMLResponse)
def evaluate_now(
    request: Request, principal: PagePrincipal, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    """Evaluate the whole installed base (editor), then show the run on the overview."""
    check_csrf(request, csrf_token)
    try:
        run = svc.evaluate_exposure(page_context(request), principal, trigger="web")
    except KbUnavailableError as exc:
        context = _overview(request, principal, error=exc.message)
        return render(request, "exposure.html", context, status_code=exc.http_status)
    return RedirectResponse(f"/exposure?run={run.run_id}", status_code=303)


@router.get("/exposure/worklist", response_class=HTMLResponse)
def worklist_page(request: Request, principal: PagePrincipal) -> Response:
    """The worklist, most urgent first, filtered and paginated on the server."""
    filters = vm.worklist_filters(request.query_params, request.query_params.getlist("decision"))
    page = views.worklist(page_context(request), principal, filters.query)
    size = page.page_size or 1
    pages = max(1, -(-page.total // size))
    return render(
        request,
        "exposure_worklist.html",
        {
            "page": page,
            "pages": pages,
            "query": filters.query,
            "selected": filters.selected,
            "decisions": vm.decision_totals(page.totals),
            "prev_qs": vm.filter_params(filters.query, page=page.page - 1),
            "next_qs": vm.filter_params(filters.query, page=page.page + 1),
            "assets_link": vm.assets_link,
            "export_formats": sorted(exports.FORMATS),
            "export_qs": vm.filter_params(filters.query, page=1),
        },
    )


@router.get("/exposure/worklist/export/{fmt}")
def worklist_export(request: Request, principal: PagePrincipal, fmt: str) -> Response:
    """Download the filtered worklist (every page, with asset tags)."""
    filters = vm.worklist_filters(request.query_params, request.query_params.getlist("decision"))
    out = export_worklist(page_context(request), principal, filters.query, fmt)
    return Response(
        out.content,
        media_type=out.media_type,
        headers={"Content-Disposition": f'attachment; filename="{out.filename}"'},
    )


def _settings_context(
    request: Request, principal: Principal, settings: ExposureSettings, **extra: object
) -> dict[str, Any]:
    policy = load_policy()
    return {
        "settings": settings,
        "policy": policy,
        "rules": vm.rule_rows(policy),
        "impact": [(c, policy.impact[c]) for c in Criticality],
        "can_edit": principal.user.role.allows(Role.ADMIN),
        "saved": False,
        "error": None,
        **extra,
    }


@router.get("/exposure/settings", response_class=HTMLResponse)
def settings_page(request: Request, principal: PagePrincipal, saved: int = 0) -> Response:
    """The thresholds (editable by admins) and the packaged policy's rules."""
    settings = svc.load_settings(page_context(request), principal)
    context = _settings_context(request, principal, settings, saved=bool(saved))
    return render(request, "exposure_settings.html", context)


@router.post("/exposure/settings", response_class=HTMLResponse)
def settings_save(
    request: Request,
    principal: PagePrincipal,
    csrf_token: Annotated[str, Form()] = "",
    epss_poc: Annotated[str, Form()] = "",
    open_zones: Annotated[str, Form()] = "",
    isolated_zones: Annotated[str, Form()] = "",
) -> Response:
    """Save the thresholds (admin); invalid values show the form again with the reason."""
    check_csrf(request, csrf_token)
    require_role(principal, Role.ADMIN)
    ctx = page_context(request)
    try:
        settings = vm.settings_from_form(epss_poc, open_zones, isolated_zones)
    except InputError as exc:
        current = svc.load_settings(ctx, principal)
        context = _settings_context(
            request,
            principal,
            current,
            error=exc.message,
            form={"epss_poc": epss_poc, "open": open_zones, "isolated": isolated_zones},
        )
        return render(request, "exposure_settings.html", context, status_code=422)
    svc.save_settings(ctx, principal, settings)
    return RedirectResponse("/exposure/settings?saved=1", status_code=303)
