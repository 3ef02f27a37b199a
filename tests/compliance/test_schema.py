"""The committed JSON Schemas equal the ones generated from the file models."""

from __future__ import annotations

import importlib
import json

import pytest

from medtrust.catalog.schema_export import schema_path
from medtrust.compliance.schema import SCHEMAS, render_schema

# imported by name: the package ships no type stubs (types-jsonschema is not a dependency)
jsonschema = importlib.import_module("jsonschema")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_current(name: str) -> None:
    committed = schema_path(name).read_text(encoding="utf-8")
    assert committed == render_schema(name), (
        f"{name}.schema.json is stale: run python -m medtrust.compliance.schema"
    )


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_valid_json_schema(name: str) -> None:
    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"{name}.schema.json"
