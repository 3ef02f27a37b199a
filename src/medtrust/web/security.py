"""Session login state and CSRF tokens for the web pages."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from medtrust.domain.tenancy import Principal
from medtrust.errors import PermissionDeniedError
from medtrust.services.accounts import principal_for_user
from medtrust.services.context import ServiceContext

SESSION_USER = "uid"
SESSION_CSRF = "csrf"


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a form post whose token does not match the session's."""
    expected = request.session.get(SESSION_CSRF)
    if (
        not isinstance(expected, str)
        or not submitted
        or not secrets.compare_digest(expected, submitted)
    ):
        raise PermissionDeniedError("the form has expired or was not sent by this site; reload it")


def current_principal(request: Request) -> Principal | None:
    """The logged-in principal, or None."""
    user_id = request.session.get(SESSION_USER)
    if not isinstance(user_id, int):
        return None
    ctx: ServiceContext = request.app.state.ctx
    return principal_for_user(ctx, user_id)


def log_in(request: Request, principal: Principal) -> None:
    """Start a fresh session for the principal (new CSRF token: no session fixation)."""
    request.session.clear()
    request.session[SESSION_USER] = principal.user.id
    csrf_token(request)


def log_out(request: Request) -> None:
    """End the session."""
    request.session.clear()


class LoginRequiredError(Exception):
    """Raised by pages that need a logged-in user; answered with a redirect to the login page."""


def page_principal(request: Request) -> Principal:
    """The logged-in principal, or LoginRequiredError."""
    principal = current_principal(request)
    if principal is None:
        raise LoginRequiredError
    return principal


def page_context(request: Request) -> ServiceContext:
    """The service context built by ``create_app``."""
    ctx: ServiceContext = request.app.state.ctx
    return ctx


#: dependency for pages that need a logged-in user
PagePrincipal = Annotated[Principal, Depends(page_principal)]
