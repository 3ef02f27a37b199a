"""Checks that a downloaded body is the document it should be, before it enters the cache.

Each check raises :class:`ResponseRejectedError` with a one-line message naming the URL.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from pathlib import Path
from typing import Any

from medtrust.feeds.fetchers.errors import ResponseRejectedError

_STEP = 1024 * 1024


def parse_json(data: bytes, origin: str) -> Any:
    """Parse JSON or raise a one-line rejection (``origin`` names the URL)."""
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ResponseRejectedError(f"{origin}: invalid JSON ({detail})") from None


def json_object(data: bytes, origin: str, *, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A JSON object holding every key in ``required``, or a rejection saying what is wrong."""
    document = parse_json(data, origin)
    if not isinstance(document, dict):
        raise ResponseRejectedError(f"{origin}: expected a JSON object, got {_kind(document)}")
    missing = [key for key in required if key not in document]
    if missing:
        raise ResponseRejectedError(f"{origin}: not the expected document (no {missing[0]!r})")
    return document


def json_file(path: Path, origin: str, *, list_key: str) -> dict[str, Any]:
    """A JSON object file whose ``list_key`` member is an array."""
    document = json_object(path.read_bytes(), origin, required=(list_key,))
    if not isinstance(document[list_key], list):
        raise ResponseRejectedError(f"{origin}: {list_key!r} is not an array")
    return document


def gzip_text_head(path: Path, origin: str, *, limit: int) -> str:
    """Decompress a gzip file completely (bounded by ``limit``) and return its first 4 KiB.

    Refuses data that is not gzip, is truncated or corrupt, or decompresses beyond ``limit``.
    """
    with path.open("rb") as handle:
        if handle.read(2) != b"\x1f\x8b":
            raise ResponseRejectedError(f"{origin}: not a gzip file")
        handle.seek(0)
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        head = b""
        total = 0
        try:
            while chunk := handle.read(_STEP):
                data = inflater.decompress(chunk, _STEP)
                while True:
                    total += len(data)
                    if total > limit:
                        raise ResponseRejectedError(
                            f"{origin}: decompresses to more than {limit} bytes"
                        )
                    if len(head) < 4096:
                        head += data[: 4096 - len(head)]
                    if not inflater.unconsumed_tail:
                        break
                    data = inflater.decompress(inflater.unconsumed_tail, _STEP)
                if inflater.eof:
                    break
        except zlib.error as exc:
            raise ResponseRejectedError(f"{origin}: corrupt gzip data ({exc})") from None
    if not inflater.eof:
        raise ResponseRejectedError(f"{origin}: gzip data is truncated")
    return head.decode("utf-8", errors="replace")


def zip_archive(path: Path, origin: str) -> int:
    """Open a zip archive's directory (without extracting); the number of members."""
    try:
        with zipfile.ZipFile(path) as archive:
            return len(archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ResponseRejectedError(f"{origin}: not a valid zip archive ({exc})") from None


def _kind(value: object) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )
