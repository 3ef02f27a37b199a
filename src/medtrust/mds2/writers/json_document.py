"""medtrust's own MDS2 JSON document (``schema: medtrust-mds2-form``, version 1).

The document is built by :func:`medtrust.mds2.document.form_to_document`, the contract shared
with the JSON reader; this module serialises it deterministically and ships the committed JSON
Schema ``medtrust/mds2/schemas/mds2-form-1.schema.json`` that describes it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import Mds2Form
from medtrust.mds2.document import form_to_document

SCHEMA_FILE = "mds2-form-1.schema.json"


def encode_document(document: dict[str, Any]) -> bytes:
    """Serialise a document deterministically: UTF-8, 2-space indent, trailing newline."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


class JsonDocumentWriter:
    """Writes the medtrust MDS2 JSON document."""

    name = "json"
    media_type = "application/json"
    suffix = ".json"

    def write(self, form: Mds2Form, *, catalogue: Mds2Catalogue) -> bytes:
        """Encode ``form`` as the versioned medtrust JSON document."""
        return encode_document(form_to_document(form, catalogue=catalogue))


@cache
def form_schema() -> dict[str, Any]:
    """The committed JSON Schema of the document (``mds2/schemas/mds2-form-1.schema.json``)."""
    text = resources.files("medtrust.mds2").joinpath("schemas", SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
