"""Exporting the worklist: one use case for the API and the pages."""

from __future__ import annotations

from dataclasses import replace

from medtrust.domain.tenancy import Principal
from medtrust.errors import InputError
from medtrust.exposure import exports
from medtrust.services.context import ServiceContext
from medtrust.services.disclosures import Export
from medtrust.services.exposure import load_settings
from medtrust.services.exposure_views import WorklistQuery, worklist
from medtrust.storage.base import utcnow

#: more rows than this is not a register anyone reads; narrow the filters instead
MAX_EXPORT_ITEMS = 20_000


def export_worklist(
    ctx: ServiceContext, principal: Principal, query: WorklistQuery, fmt: str
) -> Export:
    """The whole filtered worklist (every page, asset tags included) as xlsx, PDF, JSON or CSV."""
    kind = exports.FORMATS.get(fmt)
    if kind is None:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(sorted(exports.FORMATS))}")
    probe = worklist(ctx, principal, replace(query, page=1, page_size=1))
    if probe.total > MAX_EXPORT_ITEMS:
        raise InputError(
            f"the worklist has {probe.total} items with these filters, more than the "
            f"{MAX_EXPORT_ITEMS} an export holds; narrow it (decision, KEV only, search, product)"
        )
    page = worklist(ctx, principal, replace(query, page=1, page_size=0), with_assets=True)
    now = utcnow()
    content = exports.render_worklist(
        kind.name,
        page,
        generated_at=now,
        organisation=principal.organisation.name,
        settings=load_settings(ctx, principal),
    )
    return Export(
        content, kind.media_type, f"exposure-worklist-{now.date().isoformat()}{kind.suffix}"
    )
