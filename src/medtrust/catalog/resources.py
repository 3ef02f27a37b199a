"""Reading packaged data files."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from medtrust.errors import CatalogError


def read_packaged_yaml(relative: str) -> Any:
    """Parse a YAML file shipped under ``medtrust/catalog/data``."""
    path = resources.files("medtrust.catalog").joinpath("data", *relative.split("/"))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CatalogError(f"packaged data file missing: {relative}") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{relative}: not valid YAML: {exc}") from exc
