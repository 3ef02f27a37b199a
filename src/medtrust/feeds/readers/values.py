"""Tolerant accessors for parsed JSON/YAML documents, shared by the readers.

Required values raise :class:`RecordError` (the record becomes a ``Skipped``); optional values
of the wrong type are treated as absent, so one odd field never costs a whole record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

JsonObject = Mapping[str, Any]

_EMPTY: JsonObject = {}
_UTF8_BOM = b"\xef\xbb\xbf"
_CWE = re.compile(r"^CWE-\d+$")


class RecordError(ValueError):
    """A record is unusable; ``reason`` is a stable code, ``detail`` a one-line explanation."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def load_json(data: bytes) -> object:
    """Parse JSON bytes (UTF-8, optional BOM) or raise ``RecordError('invalid-json')``."""
    try:
        return json.loads(data.removeprefix(_UTF8_BOM))
    except json.JSONDecodeError as exc:
        raise RecordError(
            "invalid-json", f"line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise RecordError("invalid-json", type(exc).__name__) from exc


class _StringScalarLoader(_SafeLoader):
    """Safe YAML loader that keeps numbers and dates as strings.

    OSV versions such as ``fixed: 1.10`` would otherwise become the float ``1.1``.
    """


_StringScalarLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag
        not in {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(data: bytes) -> object:
    """Parse YAML safely; aliases are refused (they can expand into huge structures)."""
    try:
        if b"*" in data and b"&" in data:
            for event in yaml.parse(data, Loader=_StringScalarLoader):
                if isinstance(event, yaml.AliasEvent):
                    raise RecordError("yaml-alias", "YAML aliases are not accepted in feed records")
        return yaml.load(data, Loader=_StringScalarLoader)  # noqa: S506 - a safe loader subclass
    except yaml.YAMLError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RecordError("invalid-yaml", first_line) from exc
    except (UnicodeDecodeError, RecursionError) as exc:
        raise RecordError("invalid-yaml", type(exc).__name__) from exc


def as_object(value: object, what: str) -> JsonObject:
    """``value`` as a JSON object, or raise ``RecordError('not-an-object')``."""
    if not isinstance(value, dict):
        raise RecordError("not-an-object", f"{what} is {type(value).__name__}, not an object")
    return value


def obj(doc: JsonObject, key: str) -> JsonObject:
    """Optional object field (empty mapping when absent or of the wrong type)."""
    value = doc.get(key)
    return value if isinstance(value, dict) else _EMPTY


def objects(doc: JsonObject, key: str) -> list[JsonObject]:
    """The objects of an optional array field, ignoring non-object items."""
    value = doc.get(key)
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def text(doc: JsonObject, key: str) -> str | None:
    """Optional string field; numbers are turned into their text, other types are absent."""
    value = doc.get(key)
    if value is None or value.__class__ is str:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def required_text(doc: JsonObject, key: str, what: str = "") -> str:
    """A required non-empty string field, or raise ``RecordError('missing-id')``-style errors."""
    value = text(doc, key)
    if value is None or not value.strip():
        raise RecordError(f"missing-{key.lower()}", f"{what or 'record'} has no usable {key!r}")
    return value.strip()


def texts(doc: JsonObject, key: str) -> tuple[str, ...]:
    """The string items of an optional array field (a lone string counts as one item)."""
    value = doc.get(key)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def number(doc: JsonObject, key: str) -> float | None:
    """Optional number field (numeric strings accepted)."""
    value = doc.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def flag(doc: JsonObject, key: str, default: bool = False) -> bool:
    """Optional boolean field."""
    value = doc.get(key)
    return value if isinstance(value, bool) else default


def timestamp(value: object, field: str, notes: list[str]) -> datetime | None:
    """Parse an RFC 3339 / ISO 8601 timestamp; naive ones are taken as UTC.

    Unparseable values are noted in ``notes`` and give ``None``.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            notes.append(f"{field}: unparseable timestamp {value!r}")
            return None
    else:
        notes.append(f"{field}: timestamp of type {type(value).__name__}")
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def day(value: object, field: str, notes: list[str]) -> date | None:
    """Parse a calendar date (``YYYY-MM-DD``); full timestamps give their date."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            notes.append(f"{field}: unparseable date {value!r}")
            return None
    moment = timestamp(value, field, notes)
    return moment.date() if moment else None


def canonical_json(value: object) -> str | None:
    """Canonical JSON text (sorted keys) of an optional value; ``None`` when empty."""
    if value in (None, {}, []):
        return None
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        return None


def cwe_ids(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The well-formed ``CWE-<n>`` identifiers among ``values``, deduplicated and sorted."""
    found = {value.strip().upper() for value in values if _CWE.match(value.strip().upper())}
    return tuple(sorted(found, key=lambda cwe: int(cwe[4:])))


def unique(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Drop empty and repeated values, keeping first-seen order."""
    return tuple(dict.fromkeys(value for value in values if value))


def english(holder: JsonObject, key: str) -> str:
    """The English entry of a ``[{lang, value}]`` list (else the first entry, else empty)."""
    entries = list(objects(holder, key))
    for entry in entries:
        if (text(entry, "lang") or "").lower().startswith("en"):
            return text(entry, "value") or ""
    return (text(entries[0], "value") or "") if entries else ""
