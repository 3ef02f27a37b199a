"""The application factory: API, web pages, error handling, sessions and limits."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.middleware.sessions import SessionMiddleware

from medtrust import __version__
from medtrust.api.limits import BodySizeLimit, BodyTooLargeError
from medtrust.api.problems import install_problem_handlers, problem
from medtrust.api.routers import compliance as compliance_router
from medtrust.api.routers import disclosures, mds2, meta
from medtrust.api.routers import exposure as exposure_api
from medtrust.api.routers import incidents as incidents_router
from medtrust.api.routers import inventory as inventory_api
from medtrust.api.routers import responsibility as responsibility_api
from medtrust.api.routers import sboms as sboms_api
from medtrust.services.context import ServiceContext
from medtrust.settings import Settings

API_PREFIX = "/api/v1"


def session_secret(settings: Settings) -> str:
    """The configured secret, or one generated once and kept in DATA_DIR/secret_key (0600)."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(value, encoding="utf-8")
    return value


async def _too_large(_request: Request, _exc: Exception) -> JSONResponse:
    return problem(
        413, "Content Too Large", "request body exceeds the upload limit", code="too-large"
    )


def create_app(settings: Settings, *, context: ServiceContext | None = None) -> FastAPI:
    """Build the ASGI application for ``settings`` (nothing happens at import time)."""
    from medtrust.web.routes import install_web

    app = FastAPI(
        title="medtrust",
        version=__version__,
        description="Cybersecurity of medical technology in European healthcare.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.ctx = context or ServiceContext.create(settings)
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(meta.router)
    api.include_router(disclosures.router)
    api.include_router(mds2.router)
    api.include_router(inventory_api.router)
    api.include_router(responsibility_api.router)
    api.include_router(compliance_router.router)
    api.include_router(incidents_router.router)
    api.include_router(sboms_api.router)
    api.include_router(exposure_api.router)
    app.include_router(api)
    install_problem_handlers(app)
    app.add_exception_handler(BodyTooLargeError, _too_large)
    install_web(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie="medtrust_session",
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: object) -> Response:
        response: Response = await call_next(request)  # type: ignore[operator]
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith(f"{API_PREFIX}/docs"):
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                "frame-ancestors 'none'",
            )
        return response

    return app
