"""A packaged inventory data file (YAML with a committed JSON Schema) as the tests read it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import BaseModel

from medtrust.errors import CatalogError

_DATA = resources.files("medtrust.inventory").joinpath("data")
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class PackagedData:
    """``medtrust/inventory/data/<stem>.yaml`` and ``<stem>.schema.json``, described by
    ``model``."""

    stem: str
    model: type[BaseModel]

    def text(self) -> str:
        return _DATA.joinpath(f"{self.stem}.yaml").read_text(encoding="utf-8")

    def raw(self) -> dict[str, Any]:
        data: dict[str, Any] = yaml.safe_load(self.text())
        return data

    def committed_schema(self) -> str:
        return _DATA.joinpath(f"{self.stem}.schema.json").read_text(encoding="utf-8")

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = json.loads(self.committed_schema())
        return schema

    def validator(self) -> jsonschema.Draft202012Validator:
        # formats are annotations unless a checker is given (dates are "date")
        return jsonschema.Draft202012Validator(
            self.schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )

    def generated_schema(self) -> str:
        """The model's JSON Schema in the format of ``catalog.schema_export.render_schema``."""
        generated = {
            "$schema": _DIALECT,
            "$id": f"{self.stem}.schema.json",
            **self.model.model_json_schema(),
        }
        return json.dumps(generated, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def refused(load: Callable[[object, str], object], data: object, fragment: str, source: str) -> str:
    """The one-line ``CatalogError`` ``load`` raises for ``data``, naming ``source`` first."""
    with pytest.raises(CatalogError) as info:
        load(data, source)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{source}: ")
    assert fragment in message
    return message
