"""User-supplied files of the compliance features (declarations, facts, OSCAL): reading and errors.

A bad file raises :class:`UserFileError` (an :class:`medtrust.errors.InputError`: CLI exit 2,
HTTP 422) whose one-line message names the file and the element: ``"<file>: <element>: <problem>"``.
"""

from __future__ import annotations

import json
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from medtrust.errors import InputError
from medtrust.validation_text import DOCUMENT, first_error

#: user files larger than this are refused before parsing
MAX_USER_FILE_BYTES = 16 * 1024 * 1024

_Model = TypeVar("_Model", bound=BaseModel)


class UserFileError(InputError):
    """A user-supplied compliance file is unreadable or invalid; ``file``/``element`` say where."""

    code = "compliance-input-invalid"

    def __init__(self, file: str, element: str | None, problem: str) -> None:
        where = f"{file}: {element}" if element else file
        super().__init__(f"{where}: {problem}")
        self.file = file
        self.element = element
        self.problem = problem


def _text(data: bytes, name: str) -> str:
    if len(data) > MAX_USER_FILE_BYTES:
        raise UserFileError(name, None, f"larger than {MAX_USER_FILE_BYTES} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserFileError(name, None, "not UTF-8 text") from None


def parse_yaml_bytes(data: bytes, name: str) -> object:
    """Parse a YAML (or JSON) document safely."""
    text = _text(data, name)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise UserFileError(name, None, f"not valid YAML ({first})") from None


def parse_json_bytes(data: bytes, name: str) -> object:
    """Parse a JSON document; syntax errors name line and column."""
    text = _text(data, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserFileError(
            name, f"line {exc.lineno} column {exc.colno}", f"not valid JSON ({exc.msg})"
        ) from None
    except RecursionError:
        raise UserFileError(name, None, "JSON nested too deeply") from None


def validate_user_model(model: type[_Model], data: object, name: str) -> _Model:
    """Validate decoded data; the first problem becomes a one-line :class:`UserFileError`."""
    if data is None:
        data = {}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise UserFileError(name, *first_error(exc, root=DOCUMENT)) from None
