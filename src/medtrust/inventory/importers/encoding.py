"""Decoding CSV exports: BOMs, UTF-16 without BOM, UTF-8, cp1252, and files that mix them."""

from __future__ import annotations

from dataclasses import dataclass

from medtrust.inventory.errors import InventoryInputError
from medtrust.mds2.readers.encoding import detect_encoding, looks_binary

_MAX_LISTED_LINES = 10


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the encoding used, and notes on lines decoded differently."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def _decode_lines(body: bytes) -> Decoded:
    """UTF-8 line by line, cp1252 for the lines that are not UTF-8 (spreadsheet edits)."""
    parts = []
    fallback: list[int] = []
    utf8_non_ascii = False
    for number, line in enumerate(body.split(b"\n"), start=1):
        try:
            parts.append(line.decode("utf-8"))
            utf8_non_ascii = utf8_non_ascii or not line.isascii()
        except UnicodeDecodeError:
            parts.append(line.decode("cp1252", errors="replace"))
            fallback.append(number)
    if not utf8_non_ascii:  # no line needs UTF-8: a cp1252 file
        return Decoded(body.decode("cp1252", errors="replace"), "cp1252")
    listed = ", ".join(str(n) for n in fallback[:_MAX_LISTED_LINES])
    more = f" and {len(fallback) - _MAX_LISTED_LINES} more" if len(fallback) > 10 else ""
    note = f"mixed encodings: line(s) {listed}{more} are not UTF-8 and were read as cp1252"
    return Decoded("\n".join(parts), "utf-8+cp1252", (note,))


def decode_export(data: bytes, *, name: str) -> Decoded:
    """Decode a text export; raise :class:`InventoryInputError` for binary data."""
    encoding, skip = detect_encoding(data)
    body = data[skip:]
    if encoding == "utf-8" and skip == 0 and b"\x00" in body[:65536]:
        raise InventoryInputError(f"{name}: not a text file (binary data)")
    if encoding.startswith(("utf-16", "utf-32")):
        try:
            decoded = Decoded(body.decode(encoding), encoding)
        except UnicodeDecodeError as exc:
            raise InventoryInputError(f"{name}: broken {encoding} text ({exc.reason})") from exc
    else:
        try:
            decoded = Decoded(body.decode("utf-8"), "utf-8-sig" if skip else "utf-8")
        except UnicodeDecodeError:
            decoded = _decode_lines(body)
    if looks_binary(decoded.text):
        raise InventoryInputError(f"{name}: not a text file (binary data)")
    return decoded
