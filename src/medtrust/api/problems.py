"""RFC 9457 problem+json responses for every error family."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from medtrust.errors import MedtrustError

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://medtrust.dev/problems/"

log = logging.getLogger(__name__)


def problem(
    status: int, title: str, detail: str, *, code: str, extra: dict[str, Any] | None = None
) -> JSONResponse:
    """Build a problem+json response."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _page_request(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and hasattr(request.app.state, "html_errors")


async def _medtrust_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, MedtrustError)
    if _page_request(request):
        response: Response = await request.app.state.html_errors(request, exc)
        return response
    status = exc.http_status
    headers_needed = status == 401
    response = problem(status, _title(status), exc.message, code=exc.code)
    if headers_needed:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": "/".join(str(p) for p in e.get("loc", ())), "msg": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"loc": "", "msg": "invalid request"}
    return problem(
        422,
        "Unprocessable Content",
        f"{first['loc']}: {first['msg']}",
        code="invalid-request",
        extra={"errors": errors},
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if _page_request(request):
        from medtrust.errors import NotFoundError

        wrapped = NotFoundError("page not found") if exc.status_code == 404 else exc
        response: Response = await request.app.state.html_errors(request, wrapped)
        return response
    return problem(exc.status_code, _title(exc.status_code), str(exc.detail), code="http")


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    if _page_request(request):
        response: Response = await request.app.state.html_errors(request, exc)
        return response
    return problem(500, "Internal Server Error", "unexpected error; see server log", code="bug")


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error to problem+json (API) — web pages install their own HTML handlers."""
    app.add_exception_handler(MedtrustError, _medtrust_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
