"""JSON Schemas of the regime and authority-directory data files, generated from the models.

Regenerate the committed files with ``python -m medtrust.incidents.schemas``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from medtrust.incidents.directory_file import CountryFile
from medtrust.incidents.regime_file import RegimeFile

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "regime.schema.json": RegimeFile,
    "authority-directory.schema.json": CountryFile,
}


def schema_documents() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema document."""
    out: dict[str, dict[str, Any]] = {}
    for name, model in SCHEMA_FILES.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = name
        out[name] = schema
    return out


def render_schema(schema: dict[str, Any]) -> str:
    """Stable text form of a schema."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    """Write every schema into ``directory``; return the paths."""
    written = []
    for name, schema in schema_documents().items():
        path = directory / name
        path.write_text(render_schema(schema), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    write_schemas(Path(__file__).resolve().parents[1] / "catalog" / "schemas")
