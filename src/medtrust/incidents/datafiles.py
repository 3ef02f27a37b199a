"""Reading packaged YAML data files with one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from medtrust.incidents.errors import RegimeDataError

M = TypeVar("M", bound=BaseModel)


def packaged_dir(area: str) -> Traversable:
    """The packaged data directory ``catalog/data/<area>``."""
    return resources.files("medtrust").joinpath("catalog", "data", area)


def yaml_files(directory: Traversable) -> Iterator[Traversable]:
    """The ``*.yaml`` files of ``directory`` in name order."""
    yield from sorted(
        (entry for entry in directory.iterdir() if entry.name.endswith(".yaml")),
        key=lambda entry: entry.name,
    )


def read_model(entry: Traversable, model: type[M]) -> M:
    """Parse and validate one YAML file; problems raise a one-line :class:`RegimeDataError`."""
    try:
        raw = yaml.safe_load(entry.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RegimeDataError(f"{entry.name}: not valid YAML ({_first_line(exc)})") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise RegimeDataError(f"{entry.name}: {describe_validation_error(exc)}") from exc


def describe_validation_error(exc: ValidationError) -> str:
    """The first pydantic error as ``path: message`` plus a count of the others."""
    errors = exc.errors()
    first = errors[0]
    text = f"{format_location(first['loc'])}: {first['msg']}"
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return text


def format_location(loc: tuple[int | str, ...]) -> str:
    """``('devices', 0, 'aware_at')`` -> ``devices[0].aware_at``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
