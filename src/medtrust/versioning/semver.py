"""Semantic Versioning 2.0.0 (https://semver.org/spec/v2.0.0.html, section 11: precedence).

Strict grammar, with one tolerance: a leading ``v`` (Go module versions, git tags). Build
metadata (``+…``, including Go's ``+incompatible``) is parsed but ignored for precedence, so
``1.0.0+a`` and ``1.0.0+b`` compare (and key) equal. :mod:`medtrust.versioning.npm` reuses this
module with node-semver's loose grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medtrust.versioning.base import CachedScheme, VersionError, encode_digits, encode_text

_NUM = r"0|[1-9]\d*"
_ALNUM = r"\d*[a-zA-Z-][0-9a-zA-Z-]*"
_PRE_ID = rf"(?:{_NUM}|{_ALNUM})"
_BUILD = r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
STRICT_RE = re.compile(
    rf"^v?({_NUM})\.({_NUM})\.({_NUM})(?:-({_PRE_ID}(?:\.{_PRE_ID})*))?{_BUILD}$", re.ASCII
)
_LOOSE_PRE_ID = rf"(?:\d+|{_ALNUM})"
#: node-semver's LOOSE form: leading ``v``/``=``/spaces, leading zeros, ``-`` before the
#: pre-release optional (``1.2.3beta``)
LOOSE_RE = re.compile(
    rf"^[v=\s]*(\d+)\.(\d+)\.(\d+)(?:-?({_LOOSE_PRE_ID}(?:\.{_LOOSE_PRE_ID})*))?{_BUILD}$", re.ASCII
)

Identifier = int | str


@dataclass(frozen=True, slots=True)
class SemverVersion:
    """A parsed semantic version; ``prerelease`` holds ints for numeric identifiers."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[Identifier, ...] = ()
    build: tuple[str, ...] = ()


def parse_semver(text: str, *, loose: bool, scheme: str) -> SemverVersion:
    """Parse ``text`` with the strict or loose grammar."""
    match = (LOOSE_RE if loose else STRICT_RE).match(text.strip() if loose else text)
    if match is None:
        raise VersionError(f"{scheme}: {text!r} is not a valid semantic version")
    major, minor, patch, pre, build = match.groups()
    prerelease: tuple[Identifier, ...] = ()
    if pre:
        prerelease = tuple(int(p) if p.isdigit() else p for p in pre.split("."))
    return SemverVersion(
        int(major),
        int(minor),
        int(patch),
        prerelease,
        tuple(build.split(".")) if build else (),
    )


def _compare_identifiers(a: Identifier, b: Identifier) -> int:
    """Spec 11.4: numeric < alphanumeric; numbers numerically; text in ASCII order."""
    if isinstance(a, int):
        if isinstance(b, int):
            return (a > b) - (a < b)
        return -1
    if isinstance(b, int):
        return 1
    return (a > b) - (a < b)


def compare_semver(a: SemverVersion, b: SemverVersion) -> int:
    """Semver precedence (build metadata ignored)."""
    left = (a.major, a.minor, a.patch)
    right = (b.major, b.minor, b.patch)
    if left != right:
        return -1 if left < right else 1
    if not a.prerelease or not b.prerelease:
        # a release has higher precedence than any of its pre-releases
        return (not a.prerelease) - (not b.prerelease)
    for x, y in zip(a.prerelease, b.prerelease, strict=False):
        result = _compare_identifiers(x, y)
        if result:
            return result
    return (len(a.prerelease) > len(b.prerelease)) - (len(a.prerelease) < len(b.prerelease))


def encode_semver(v: SemverVersion) -> bytes:
    """Key: three numbers, then ``0x02`` for a release or ``0x01`` + identifiers + ``0x00``."""
    parts = [encode_digits(str(v.major)), encode_digits(str(v.minor)), encode_digits(str(v.patch))]
    if not v.prerelease:
        parts.append(b"\x02")
    else:
        parts.append(b"\x01")
        for ident in v.prerelease:
            if isinstance(ident, int):
                parts.append(b"\x01" + encode_digits(str(ident)))
            else:
                parts.append(b"\x02" + encode_text(ident))
        parts.append(b"\x00")
    return b"".join(parts)


class SemverScheme(CachedScheme[SemverVersion]):
    """Semantic Versioning 2.0.0 (optional leading ``v``)."""

    name = "semver"
    loose = False

    def _parse(self, version: str) -> SemverVersion:
        return parse_semver(version, loose=self.loose, scheme=self.name)

    def _compare(self, a: SemverVersion, b: SemverVersion) -> int:
        return compare_semver(a, b)

    def _encode(self, parsed: SemverVersion) -> bytes:
        return encode_semver(parsed)
