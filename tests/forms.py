"""Forms built for tests from the packaged catalogue (no third-party data)."""

from __future__ import annotations

import json
from datetime import date

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.mds2 import Mds2Form
from medtrust.mds2.synth import DeviceIdentity, synthesise_form


def identity(model: str = "GLU-1", manufacturer: str = "Acme Medical") -> DeviceIdentity:
    """A device identity for a synthetic form."""
    return DeviceIdentity(
        manufacturer=manufacturer,
        model=model,
        description="Glucose meter",
        document_id=f"DOC-{model}",
        contact="psirt@acme.example",
        intended_use="Uploads readings to the patient record",
        release_date=date(2025, 5, 1),
    )


def synthetic_form(seed: int = 1, *, model: str = "GLU-1", strength: float = 0.6) -> Mds2Form:
    """A coherent synthetic form."""
    return synthesise_form(load_mds2_catalogue(), identity(model), seed=seed, strength=strength)


def synthetic_json(seed: int = 1, *, model: str = "GLU-1", strength: float = 0.6) -> bytes:
    """The medtrust JSON document of a synthetic form."""
    from medtrust.mds2.document import form_to_document

    return json.dumps(
        form_to_document(synthetic_form(seed, model=model, strength=strength))
    ).encode()
