"""Common Platform Enumeration (CPE) names: parse, validate and format.

References: NISTIR 7695 "CPE Naming Specification Version 2.3" (2011) — section 5 (well-formed
names, WFN), 6.1 (URI binding, the CPE 2.2 form ``cpe:/a:vendor:product:version``) and 6.2
(formatted string binding ``cpe:2.3:a:vendor:product:version:...``, ABNF in 6.2.2.1).

Values are held in WFN form: every character other than ``[a-z0-9_]`` is preceded by a
backslash, except the unquoted wildcards ``*`` and ``?`` that may stand at the start or end of
a value. The logical values are the one-character strings ``*`` (ANY) and ``-`` (NA); a literal
hyphen is ``\\-`` and so cannot be confused with NA. Everything is lower-cased: CPE matching is
case-insensitive (NISTIR 7696, section 6.1) and the NVD dictionary is lower-case.

The parser is strict: a name that does not follow the grammar raises :class:`CpeError` with the
reason. Only :func:`parse_any` with ``pad=True`` repairs one common defect (too few components
in a 2.3 string) and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ANY = "*"
NA = "-"
ATTRIBUTES = (
    "part",
    "vendor",
    "product",
    "version",
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
)
FS_PREFIX = "cpe:2.3:"
URI_PREFIX = "cpe:/"
_PARTS = frozenset({"a", "o", "h"})
_FS_PUNCT = frozenset("!\"#$%&'()+,/:;<=>@[]^`{|}~\\*?-.")
# quoted language tag (RFC 5646 subset used by CPE): ll or lll, optional -RR or -ddd
_LANG_RE = re.compile(r"^[a-z]{2,3}(\\-([a-z]{2}|[0-9]{3}))?$")


class CpeError(ValueError):
    """A string is not a valid CPE name; the message says why."""


def _is_plain(char: str) -> bool:
    return char == "_" or ("a" <= char <= "z") or ("0" <= char <= "9")


@dataclass(frozen=True, slots=True)
class Cpe:
    """A CPE name as eleven WFN attribute values (see the module docstring for the form)."""

    part: str = ANY
    vendor: str = ANY
    product: str = ANY
    version: str = ANY
    update: str = ANY
    edition: str = ANY
    language: str = ANY
    sw_edition: str = ANY
    target_sw: str = ANY
    target_hw: str = ANY
    other: str = ANY

    def __post_init__(self) -> None:
        for attr, value in zip(ATTRIBUTES, self.values(), strict=True):
            _check_wfn_value(attr, value)

    def values(self) -> tuple[str, ...]:
        """The eleven attribute values in specification order."""
        return (
            self.part,
            self.vendor,
            self.product,
            self.version,
            self.update,
            self.edition,
            self.language,
            self.sw_edition,
            self.target_sw,
            self.target_hw,
            self.other,
        )

    def literal(self, attr: str) -> str | None:
        """The unquoted text of an attribute, or None for ANY and NA."""
        value = getattr(self, attr)
        if not isinstance(value, str) or value in (ANY, NA):
            return None
        return _unquote(value)

    def format(self) -> str:
        """The CPE 2.3 formatted string (NISTIR 7695, 6.2.2)."""
        return FS_PREFIX + ":".join(_bind_fs_value(v) for v in self.values())

    def __str__(self) -> str:
        return self.format()


def quote_literal(text: str) -> str:
    """Quote a literal value for WFN: backslash before every character but ``[a-z0-9_]``."""
    if not text:
        raise CpeError("empty value")
    out = []
    for char in text.lower():
        if not (" " < char <= "~"):
            raise CpeError(f"character {char!r} is not printable ASCII")
        out.append(char if _is_plain(char) else "\\" + char)
    return "".join(out)


def _unquote(value: str) -> str:
    out = []
    escaped = False
    for char in value:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    return "".join(out)


_PLAIN_WFN_RE = re.compile(r"^(?:[a-z0-9_]|\\[.\-])+$")
_PLAIN_FS_RE = re.compile(r"^[a-z0-9_.\-]+$")


def _check_wfn_value(attr: str, value: str) -> None:
    if value in (ANY, NA):
        return
    if attr not in ("part", "language") and _PLAIN_WFN_RE.match(value):
        return  # fast path: letters, digits, '_' and quoted '.' or '-'
    if attr == "part":
        if value not in _PARTS:
            raise CpeError(f"part must be a, o or h, not {value!r}")
        return
    if not value:
        raise CpeError(f"{attr}: empty value")
    i = 0
    last = len(value) - 1
    while i <= last:
        char = value[i]
        if char == "\\":
            if i == last:
                raise CpeError(f"{attr}: value ends with a lone backslash")
            nxt = value[i + 1]
            if nxt not in _FS_PUNCT:
                raise CpeError(f"{attr}: {nxt!r} must not be quoted")
            i += 2
            continue
        if char == "*":
            if (i not in (0, last)) or value == "**":
                raise CpeError(f"{attr}: unquoted '*' only allowed at the start or end")
        elif char == "?":
            if value[:i].strip("?") and value[i:].strip("?"):
                raise CpeError(f"{attr}: unquoted '?' only allowed at the start or end")
        elif not _is_plain(char):
            raise CpeError(f"{attr}: character {char!r} must be quoted")
        i += 1
    if attr == "language" and not _LANG_RE.match(value):
        raise CpeError(f"language: {_unquote(value)!r} is not a language tag")


def _bind_fs_value(value: str) -> str:
    if value in (ANY, NA):
        return value
    if value == "\\-":  # a literal hyphen alone must stay quoted or it would read as NA
        return value
    if "\\" not in value:
        return value
    if _PLAIN_WFN_RE.match(value):
        return value.replace("\\", "")
    out = []
    i = 0
    while i < len(value):
        char = value[i]
        if char == "\\":
            nxt = value[i + 1]
            out.append(nxt if nxt in ".-" else "\\" + nxt)
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _split_fs(text: str) -> list[str]:
    """Split on ':' not preceded by a quoting backslash."""
    if "\\" not in text:
        return text.split(":")
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if char == ":":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def _unbind_fs_value(attr: str, text: str) -> str:
    if text == "":
        raise CpeError(f"{attr}: empty component (use * for ANY)")
    if text in (ANY, NA):
        return text
    if _PLAIN_FS_RE.match(text):
        return text.replace(".", "\\.").replace("-", "\\-")
    out = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            if i + 1 >= len(text):
                raise CpeError(f"{attr}: value ends with a lone backslash")
            nxt = text[i + 1]
            if nxt == "_":
                out.append("_")
            elif nxt in _FS_PUNCT:
                out.append("\\" + nxt)
            else:
                raise CpeError(f"{attr}: {nxt!r} must not be quoted")
            i += 2
            continue
        if char in ".-":
            out.append("\\" + char)
        elif _is_plain(char) or char in "*?":
            out.append(char)
        elif " " < char <= "~":
            raise CpeError(f"{attr}: character {char!r} must be quoted with a backslash")
        else:
            raise CpeError(f"{attr}: character {char!r} is not printable ASCII")
        i += 1
    return "".join(out)


def parse(text: str, *, pad: bool = False) -> Cpe:
    """Parse a CPE 2.3 formatted string strictly.

    With ``pad=True`` a string with fewer than eleven attributes (but at least part, vendor and
    product) is accepted and the missing trailing attributes are taken as ANY.
    """
    if not text.lower().startswith(FS_PREFIX):
        raise CpeError("does not start with 'cpe:2.3:'")
    fields = _split_fs(text[len(FS_PREFIX) :].lower())
    if len(fields) > len(ATTRIBUTES):
        raise CpeError(f"has {len(fields)} attributes, expected 11")
    if len(fields) < len(ATTRIBUTES):
        if not pad or len(fields) < 3:
            raise CpeError(f"has {len(fields)} attributes, expected 11")
        fields += [ANY] * (len(ATTRIBUTES) - len(fields))
    values = [_unbind_fs_value(attr, f) for attr, f in zip(ATTRIBUTES, fields, strict=True)]
    return Cpe(*values)


def _decode_uri_value(attr: str, text: str) -> str:
    if text == "":
        return ANY
    if text == "-":
        return NA
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%":
            code = text[i + 1 : i + 3]
            if len(code) != 2 or not all(c in "0123456789abcdef" for c in code):
                raise CpeError(f"{attr}: bad percent-encoding {text[i : i + 3]!r}")
            decoded = chr(int(code, 16))
            if decoded == "\x01":
                out.append("?")
            elif decoded == "\x02":
                out.append("*")
            elif " " < decoded <= "~":
                out.append(decoded if _is_plain(decoded) else "\\" + decoded)
            else:
                raise CpeError(f"{attr}: %{code} is not printable ASCII")
            i += 3
            continue
        if _is_plain(char):
            out.append(char)
        elif char in ".-~":
            out.append("\\" + char)
        else:
            raise CpeError(f"{attr}: character {char!r} must be percent-encoded in a CPE 2.2 URI")
        i += 1
    return "".join(out)


def parse_uri(text: str) -> Cpe:
    """Parse a CPE 2.2 URI (``cpe:/a:vendor:product:version...``) into a 2.3 name."""
    if not text.lower().startswith(URI_PREFIX):
        raise CpeError("does not start with 'cpe:/'")
    fields = text[len(URI_PREFIX) :].lower().split(":")
    if len(fields) > 7:
        raise CpeError(f"has {len(fields)} components, a CPE 2.2 URI has at most 7")
    fields += [""] * (7 - len(fields))
    part, vendor, product, version, update, edition, language = fields
    if part not in _PARTS and part != "":
        raise CpeError(f"part must be a, o or h, not {part!r}")
    values = {
        "part": part or ANY,
        "vendor": _decode_uri_value("vendor", vendor),
        "product": _decode_uri_value("product", product),
        "version": _decode_uri_value("version", version),
        "update": _decode_uri_value("update", update),
        "language": _decode_uri_value("language", language),
    }
    if edition.startswith("~"):
        packed = edition.split("~")
        if len(packed) != 6:
            raise CpeError("packed edition must have 5 '~'-separated fields")
        for attr, piece in zip(
            ("edition", "sw_edition", "target_sw", "target_hw", "other"), packed[1:], strict=True
        ):
            values[attr] = _decode_uri_value(attr, piece)
    else:
        values["edition"] = _decode_uri_value("edition", edition)
    return Cpe(**values)


def parse_any(text: str, *, pad: bool = False) -> tuple[Cpe, bool]:
    """Parse a 2.3 formatted string or a 2.2 URI; the flag is True when it was a 2.2 URI."""
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered.startswith(FS_PREFIX):
        return parse(stripped, pad=pad), False
    if lowered.startswith(URI_PREFIX):
        return parse_uri(stripped), True
    raise CpeError("is neither a CPE 2.3 formatted string ('cpe:2.3:') nor a CPE 2.2 URI ('cpe:/')")
