"""Jinja environment and the page renderer shared by all page modules."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from medtrust import __version__
from medtrust.web.security import csrf_token, current_principal

TEMPLATES_DIR = Path(__file__).with_name("templates")


@cache
def templates() -> Jinja2Templates:
    """The page templates (autoescaping on)."""
    return Jinja2Templates(directory=str(TEMPLATES_DIR))


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render a page with the common context (principal, CSRF token, version)."""
    base = {
        "principal": current_principal(request),
        "csrf_token": csrf_token(request),
        "version": __version__,
    }
    return templates().TemplateResponse(
        request, template, {**base, **context}, status_code=status_code
    )
