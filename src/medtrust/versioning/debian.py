"""Debian package versions: ``[epoch:]upstream_version[-debian_revision]``.

Order as dpkg's ``verrevcmp`` (dpkg ``lib/dpkg/version.c``; Debian Policy §5.6.12): epochs
numerically, then upstream version, then revision, each compared as alternating runs of
non-digits and digits. In non-digit runs ``~`` sorts before everything, even the end of the run;
then the end of the run; then letters; then all other characters. Digit runs compare
numerically (an absent run is 0). A missing revision equals ``0`` (``1.0`` == ``1.0-0``), as in
dpkg.

Key: each part is a series of *pairs* (non-digit run, number). Characters map to one byte each
(``~`` 0x01, letters their ASCII code, other characters 0x80+code), the run ends with 0x03 and the
number follows; the part ends with 0x02, which sits exactly where the end of a string sorts:
above ``~`` and below any further pair. The first pair is always present, so the empty string
and ``0`` encode alike and equal what dpkg says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medtrust.versioning.base import CachedScheme, VersionError, encode_digits

_RUNS_RE = re.compile(r"([^0-9]*)([0-9]*)")
_UPSTREAM_OK = re.compile(r"^[A-Za-z0-9.+~:-]+$")
_REVISION_OK = re.compile(r"^[A-Za-z0-9.+~]+$")
_EPOCH_OK = re.compile(r"^[0-9]+$")

_WEIGHT = {c: (0x80 + c if c < 0x80 else c) for c in range(256)}
for _c in range(ord("A"), ord("Z") + 1):
    _WEIGHT[_c] = _c
for _c in range(ord("a"), ord("z") + 1):
    _WEIGHT[_c] = _c
_WEIGHT[ord("~")] = 0x01
_KEY_TABLE = bytes(_WEIGHT[c] for c in range(256))


@dataclass(frozen=True, slots=True)
class DebianVersion:
    """A parsed Debian version (missing epoch is 0, missing revision is ``""``)."""

    epoch: int
    upstream: str
    revision: str


def _order(c: str) -> int:
    """dpkg's ``order()``: digits/end 0, ``~`` -1, letters their code, others code+256."""
    if c.isalpha():
        return ord(c)
    if c == "~":
        return -1
    return ord(c) + 256


def verrevcmp(a: str, b: str) -> int:
    """Port of dpkg's ``verrevcmp`` (returns a value with the sign of the comparison)."""
    i = j = 0
    la, lb = len(a), len(b)
    while i < la or j < lb:
        first_diff = 0
        while (i < la and not a[i].isdigit()) or (j < lb and not b[j].isdigit()):
            ac = _order(a[i]) if i < la and not a[i].isdigit() else 0
            bc = _order(b[j]) if j < lb and not b[j].isdigit() else 0
            if ac != bc:
                return ac - bc
            i += 1
            j += 1
        while i < la and a[i] == "0":
            i += 1
        while j < lb and b[j] == "0":
            j += 1
        while i < la and a[i].isdigit() and j < lb and b[j].isdigit():
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < la and a[i].isdigit():
            return 1
        if j < lb and b[j].isdigit():
            return -1
        if first_diff:
            return first_diff
    return 0


def encode_verrev(text: str) -> bytes:
    """Order-preserving key of one upstream or revision string (see module docstring)."""
    parts: list[bytes] = []
    for index, match in enumerate(_RUNS_RE.finditer(text)):
        run, digits = match.group(1), match.group(2)
        if not run and not digits and index:
            break  # the final empty match of finditer
        parts.append(run.encode("latin-1").translate(_KEY_TABLE) + b"\x03")
        parts.append(encode_digits(digits))
    parts.append(b"\x02")
    return b"".join(parts)


def parse_debian(version: str, scheme: str = "deb") -> DebianVersion:
    """Split and validate ``[epoch:]upstream[-revision]`` like dpkg's ``parseversion``."""
    text = version.strip()
    epoch = 0
    if ":" in text:
        epoch_text, text = text.split(":", 1)
        if not _EPOCH_OK.match(epoch_text):
            raise VersionError(f"{scheme}: epoch in {version!r} is not a number")
        epoch = int(epoch_text)
    upstream, sep, revision = text.rpartition("-")
    if not sep:
        upstream, revision = text, ""
    elif not revision:
        raise VersionError(f"{scheme}: empty revision in {version!r}")
    if not upstream:
        raise VersionError(f"{scheme}: empty upstream version in {version!r}")
    if not _UPSTREAM_OK.match(upstream):
        raise VersionError(f"{scheme}: invalid character in upstream version of {version!r}")
    if revision and not _REVISION_OK.match(revision):
        raise VersionError(f"{scheme}: invalid character in revision of {version!r}")
    return DebianVersion(epoch, upstream, revision)


class DebianScheme(CachedScheme[DebianVersion]):
    """Debian/Ubuntu (dpkg) version ordering."""

    name = "deb"

    def _parse(self, version: str) -> DebianVersion:
        return parse_debian(version, self.name)

    def _compare(self, a: DebianVersion, b: DebianVersion) -> int:
        if a.epoch != b.epoch:
            return -1 if a.epoch < b.epoch else 1
        return verrevcmp(a.upstream, b.upstream) or verrevcmp(a.revision, b.revision)

    def _encode(self, parsed: DebianVersion) -> bytes:
        return (
            encode_digits(str(parsed.epoch))
            + encode_verrev(parsed.upstream)
            + encode_verrev(parsed.revision)
        )
