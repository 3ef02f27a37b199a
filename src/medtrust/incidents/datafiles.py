"""Reading packaged YAML data files with one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from medtrust.incidents.errors import RegimeDataError
from medtrust.validation_text import DOCUMENT, first_problem, one_line

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
    return first_problem(exc, root=DOCUMENT, count=True)


def _first_line(exc: Exception) -> str:
    return one_line(exc)
