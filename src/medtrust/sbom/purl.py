"""Package URLs: canonicalise and check, on top of packageurl-python.

packageurl-python parses and normalises per type (lower-case type; lower-cased namespace/name
for the types whose purl type definition says they are case-insensitive, such as ``pypi``,
``npm`` or ``github``; ``_`` to ``-`` in PyPI names; qualifiers sorted by key). It follows the
purl specification's lenient parsing rules, which silently drop empty path segments
(``pkg:deb//libjpeg`` or ``pkg:deb/vendor/@1.0``) and an empty version (``name@``). Those shapes
are nearly always generator bugs, so :func:`canonicalise` reports them as warnings alongside the
library's own type-rule messages (for example a ``maven`` purl without a namespace).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from packageurl import PackageURL


class PurlError(ValueError):
    """A string is not a usable Package URL; the message says why."""


@dataclass(frozen=True, slots=True)
class CanonicalPurl:
    """A canonical purl string with its parts and any warnings about the input."""

    purl: str
    type: str
    namespace: str | None
    name: str
    version: str | None
    warnings: tuple[str, ...] = ()


def _path_warnings(text: str) -> list[str]:
    warnings: list[str] = []
    body = text.split("#", 1)[0].split("?", 1)[0]
    at = body.rfind("@")
    path = body[:at] if at > body.rfind("/") else body
    if at > body.rfind("/") and at == len(body) - 1:
        warnings.append("empty version after '@'")
    segments = path.split(":", 1)[-1].lstrip("/").split("/")
    if any(seg == "" for seg in segments[1:]):
        warnings.append("empty path segment ('//' or '/@'): a namespace or name part is missing")
    return warnings


@lru_cache(maxsize=16384)
def canonicalise(text: str) -> CanonicalPurl:
    """Parse ``text`` and return its canonical form; raise :class:`PurlError` if unusable."""
    stripped = text.strip()
    try:
        parsed = PackageURL.from_string(stripped)
    except ValueError as exc:
        raise PurlError(str(exc).rstrip(".")) from None
    if not parsed.name:
        raise PurlError("purl has no name")
    warnings = _path_warnings(stripped)
    try:
        # strict mode skips a second normalisation of the already normalised purl; its extra
        # checks are about qualifier keys, which real SBOMs use freely, so those are dropped
        messages = [m for m in parsed.validate(strict=True) if "ualifier" not in m.message]
    except Exception as exc:  # third-party validator: never let it crash a read
        messages = []
        warnings.append(f"type rules could not be checked: {exc}")
    for message in messages:
        text_msg = str(message.message)
        if text_msg.startswith("Unexpected purl type"):
            text_msg = f"unknown purl type {parsed.type!r}"
        warnings.append(text_msg)
    return CanonicalPurl(
        purl=parsed.to_string(),
        type=parsed.type,
        namespace=parsed.namespace or None,
        name=parsed.name,
        version=parsed.version or None,
        warnings=tuple(warnings),
    )
