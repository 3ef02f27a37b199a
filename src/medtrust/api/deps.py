"""FastAPI dependencies: the service context and the authenticated principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from medtrust.domain.tenancy import Principal
from medtrust.errors import AuthenticationError
from medtrust.services.accounts import principal_for_token
from medtrust.services.context import ServiceContext

_bearer = HTTPBearer(auto_error=False, description="API token from `medtrust admin create-token`")


def get_context(request: Request) -> ServiceContext:
    """The service context built by ``create_app``."""
    ctx: ServiceContext = request.app.state.ctx
    return ctx


def get_principal(
    ctx: Annotated[ServiceContext, Depends(get_context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The principal of the bearer token; 401 problem+json without one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthenticationError("an API token is required: Authorization: Bearer <token>")
    return principal_for_token(ctx, credentials.credentials)


Context = Annotated[ServiceContext, Depends(get_context)]
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
