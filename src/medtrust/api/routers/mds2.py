"""MDS2 operations across disclosures (diff, compare) and stateless validation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import Response

from medtrust.api.deps import Context, CurrentPrincipal
from medtrust.api.schemas import ValidationOut, validation_out
from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.errors import InputError
from medtrust.mds2.readers.limits import ReadLimits
from medtrust.mds2.readers.registry import read_mds2
from medtrust.mds2.render.registry import COMPARISON_RENDERINGS, DIFF_RENDERINGS
from medtrust.mds2.validator import validate
from medtrust.services import disclosures as svc

router = APIRouter(prefix="/mds2", tags=["MDS2 operations"])

_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/json": {}, "text/html": {}, "text/plain": {}}}
}


def _known(name: str, registry: Mapping[str, object]) -> None:
    if name not in registry:
        raise InputError(f"unknown format {name!r}; use one of {', '.join(sorted(registry))}")


@router.get("/diff", response_class=Response, responses=_RESPONSES)
def diff(
    ctx: Context,
    principal: CurrentPrincipal,
    old: int,
    new: int,
    format: str = "json",
) -> Response:
    """Changes from disclosure ``old`` to ``new``, each judged improves/weakens by polarity.

    ``format``: json, html, table or xlsx.
    """
    _known(format, DIFF_RENDERINGS)
    _a, _b, result = svc.diff_disclosures(ctx, principal, old=old, new=new)
    rendering = DIFF_RENDERINGS[format]
    return Response(rendering.render(result), media_type=rendering.media_type)


@router.get("/compare", response_class=Response, responses=_RESPONSES)
def compare(
    ctx: Context,
    principal: CurrentPrincipal,
    ids: Annotated[list[int], Query(description="2 to 8 disclosure ids")],
    format: str = "json",
) -> Response:
    """Disclosures side by side by section, with per-section protective-answer summaries.

    ``format``: json, html, table or xlsx.
    """
    _known(format, COMPARISON_RENDERINGS)
    result = svc.compare_disclosures(ctx, principal, ids)
    rendering = COMPARISON_RENDERINGS[format]
    return Response(rendering.render(result), media_type=rendering.media_type)


@router.post("/validate", response_model=ValidationOut)
async def validate_upload(
    ctx: Context,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="MDS2 form in any supported format")],
) -> ValidationOut:
    """Validate a form without storing it."""
    data = await file.read()
    form = read_mds2(data, filename=file.filename, limits=ReadLimits.from_settings(ctx.settings))
    return validation_out(validate(form, load_mds2_catalogue()))
