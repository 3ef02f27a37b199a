"""Page routes: login/logout, error pages, and the page modules."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from medtrust.errors import AuthenticationError, MedtrustError
from medtrust.services.accounts import authenticate
from medtrust.services.context import ServiceContext
from medtrust.web import pages_compliance as compliance_pages
from medtrust.web import pages_exposure as exposure_pages
from medtrust.web import pages_incidents as incident_pages
from medtrust.web import pages_inventory as inventory_pages
from medtrust.web import pages_mds2
from medtrust.web import pages_responsibility as responsibility_pages
from medtrust.web import pages_sboms as sbom_pages
from medtrust.web.rendering import render
from medtrust.web.security import (
    LoginRequiredError,
    check_csrf,
    current_principal,
    log_in,
    log_out,
)

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/disclosures"


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    """Start page: the disclosures list, or the login page."""
    if current_principal(request) is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/disclosures", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    """The login form."""
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/disclosures",
) -> Response:
    """Check credentials and start a session."""
    check_csrf(request, csrf_token)
    ctx: ServiceContext = request.app.state.ctx
    try:
        principal = authenticate(ctx, email=email, password=password)
    except AuthenticationError as exc:
        return render(
            request, "login.html", {"next": _safe_next(next), "error": exc.message}, status_code=401
        )
    log_in(request, principal)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    """End the session."""
    check_csrf(request, csrf_token)
    log_out(request)
    return RedirectResponse("/login", status_code=303)


async def html_error(request: Request, exc: Exception) -> Response:
    """Errors on pages: a readable page with the one-line message (no traceback)."""
    if isinstance(exc, LoginRequiredError):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)
    if isinstance(exc, MedtrustError):
        status, message = exc.http_status, exc.message
    elif isinstance(exc, StarletteHTTPException):
        status, message = exc.status_code, str(exc.detail)
    else:
        status, message = 500, "unexpected error; see the server log"
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)


def install_web(app: FastAPI) -> None:
    """Mount the pages, static files and the HTML error handler."""
    from medtrust.web.rendering import TEMPLATES_DIR

    app.include_router(router)
    app.include_router(pages_mds2.router)
    app.include_router(inventory_pages.router)
    app.include_router(responsibility_pages.router)
    app.include_router(incident_pages.router)
    app.include_router(compliance_pages.router)
    app.include_router(sbom_pages.router)
    app.include_router(exposure_pages.router)
    app.mount("/static", StaticFiles(directory=str(TEMPLATES_DIR.with_name("static"))), "static")
    app.state.html_errors = html_error
    app.add_exception_handler(LoginRequiredError, html_error)
