"""Decode JSON input with one-line errors (truncation, bad encoding, hostile nesting)."""

from __future__ import annotations

import json
import re
from typing import Any

from medtrust.sbom.errors import SbomError

_UTF8_BOM = b"\xef\xbb\xbf"


def strip_bom(data: bytes) -> bytes:
    """Drop a UTF-8 byte-order mark."""
    return data[len(_UTF8_BOM) :] if data.startswith(_UTF8_BOM) else data


def json_key_value(head: bytes, key: str, value: str | None = None) -> bool:
    """True when ``head`` contains ``"key"`` (followed by ``: "value"`` if given)."""
    pattern = rb'"' + re.escape(key.encode()) + rb'"\s*:'
    if value is not None:
        pattern += rb'\s*"' + re.escape(value.encode()) + rb'"'
    return re.search(pattern, head) is not None


def load_json_object(data: bytes, source: str) -> dict[str, Any]:
    """Parse ``data`` as a JSON object; raise :class:`SbomError` with the reason otherwise."""
    try:
        parsed = json.loads(strip_bom(data))
    except json.JSONDecodeError as exc:
        raise SbomError(
            source, f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    except UnicodeDecodeError as exc:
        raise SbomError(source, f"not valid UTF-8/UTF-16/UTF-32 text: {exc.reason}") from None
    except RecursionError:
        raise SbomError(source, "JSON nested too deeply") from None
    if not isinstance(parsed, dict):
        raise SbomError(source, f"top-level JSON value is a {type(parsed).__name__}, not an object")
    return parsed
