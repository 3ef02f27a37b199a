"""Health and reference data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from medtrust import __version__
from medtrust.api.deps import CurrentPrincipal
from medtrust.catalog.mds2 import load_mds2_catalogue

router = APIRouter(tags=["meta"])


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness probe (no authentication)."""
    return {"status": "ok", "version": __version__}


@router.get("/me")
def me(principal: CurrentPrincipal) -> dict[str, Any]:
    """The caller's user and organisation."""
    return {
        "email": principal.user.email,
        "role": principal.user.role.value,
        "organisation": {"name": principal.organisation.name, "kind": principal.organisation.kind},
    }


@router.get("/catalog/mds2")
def mds2_catalogue() -> dict[str, Any]:
    """The MDS2 2019 questionnaire: sections, questions (our descriptions), rules."""
    cat = load_mds2_catalogue()
    return {
        "form": cat.form,
        "form_version": cat.form_version,
        "catalogue_version": cat.catalogue_version,
        "sections": [
            {"code": s.code, "title": s.title, "description": s.description} for s in cat.sections
        ],
        "questions": [
            {
                "id": q.id,
                "section": q.section,
                "parent": q.parent,
                "depth": q.depth,
                "description": q.description,
                "kind": q.kind.value,
                "polarity": q.polarity.value,
                "mappings": {k: list(v) for k, v in q.mappings.items()},
                "mappings_raw": dict(q.mappings_raw),
            }
            for q in cat.questions
        ],
        "rules": [
            {
                "id": r.id,
                "question": r.question,
                "when": sorted(v.value for v in r.when_values),
                "targets": list(r.targets),
                "explanation": r.explanation,
                "source": r.source,
            }
            for r in cat.rules
        ],
    }
