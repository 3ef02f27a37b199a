"""JSON Schemas of the catalogue and mapping file formats, generated from the file models.

The committed copies are ``catalog/schemas/framework.schema.json`` and ``mapping.schema.json``;
a test checks they equal the generated ones. The output has the same shape as
:mod:`medtrust.catalog.schema_export` (dialect, ``$id``, sorted keys) so that both models can be
registered there; until then regenerate with ``python -m medtrust.compliance.schema``.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from medtrust.catalog.schema_export import SCHEMA_DIR, schema_path
from medtrust.compliance.files import FrameworkFile, MappingFile

#: schema name (file ``<name>.schema.json``) -> file model
SCHEMAS: dict[str, type[BaseModel]] = {
    "framework": FrameworkFile,
    "mapping": MappingFile,
}

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def render_schema(name: str) -> str:
    """The JSON Schema text of one of :data:`SCHEMAS` (sorted keys, trailing newline)."""
    model = SCHEMAS[name]
    schema = {"$schema": DIALECT, "$id": f"{name}.schema.json", **model.model_json_schema()}
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(directory: Path = SCHEMA_DIR) -> tuple[Path, ...]:
    """Write both schemas into ``directory``; return the paths written, sorted by name."""
    written = []
    for name in sorted(SCHEMAS):
        path = schema_path(name, directory)
        path.write_text(render_schema(name), encoding="utf-8")
        written.append(path)
    return tuple(written)


if __name__ == "__main__":
    write_schemas()
