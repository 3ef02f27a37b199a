"""RPM package versions: ``[epoch:]version[-release]`` compared with ``rpmvercmp``.

Port of rpm's ``rpmvercmp`` (rpm ``rpmio/rpmvercmp.c``, rpm ≥ 4.15 with ``^``): characters
other than ASCII letters, digits, ``~`` and ``^`` only separate segments; ``~`` sorts before
everything, even the end of the string; ``^`` sorts after the end of the string but before any
further segment; numeric segments beat alphabetic ones; numbers compare numerically, letters in
ASCII order. The EVR order (as ``rpmverCmp``/``labelCompare``): epoch (missing = 0), version,
release.

Deviation, chosen so the order is total: rpm skips the release when only one side has one
(``1.0`` equals both ``1.0-1`` and ``1.0-2``). Here a missing release is the empty string, so
``1.0`` sorts before ``1.0-1``. Ranges from OSV and vendor feeds always carry a release.

Key: a token list — ``~`` 0x01, end 0x02, ``^`` 0x03, letters 0x04 + text + 0x00, numbers
0x05 + number — mirroring the order above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medtrust.versioning.base import CachedScheme, VersionError, encode_digits

_TOKEN_RE = re.compile(r"[0-9]+|[A-Za-z]+|~|\^")
_EPOCH_RE = re.compile(r"^[0-9]+$")


@dataclass(frozen=True, slots=True)
class RpmVersion:
    """A parsed RPM EVR (missing epoch 0, missing release ``""``)."""

    epoch: int
    version: str
    release: str


def _isdigit(c: str) -> bool:
    return "0" <= c <= "9"


def _isalpha(c: str) -> bool:
    return ("a" <= c <= "z") or ("A" <= c <= "Z")


def rpmvercmp(a: str, b: str) -> int:
    """Port of rpm's ``rpmvercmp``: -1, 0 or 1."""
    if a == b:
        return 0
    i = j = 0
    la, lb = len(a), len(b)
    while i < la or j < lb:
        while i < la and not (_isdigit(a[i]) or _isalpha(a[i]) or a[i] in "~^"):
            i += 1
        while j < lb and not (_isdigit(b[j]) or _isalpha(b[j]) or b[j] in "~^"):
            j += 1
        ca = a[i] if i < la else ""
        cb = b[j] if j < lb else ""
        if ca == "~" or cb == "~":
            if ca != "~":
                return 1
            if cb != "~":
                return -1
            i += 1
            j += 1
            continue
        if ca == "^" or cb == "^":
            if not ca:
                return -1
            if not cb:
                return 1
            if ca != "^":
                return 1
            if cb != "^":
                return -1
            i += 1
            j += 1
            continue
        if not (ca and cb):
            break
        si, sj = i, j
        isnum = _isdigit(ca)
        test = _isdigit if isnum else _isalpha
        while i < la and test(a[i]):
            i += 1
        while j < lb and test(b[j]):
            j += 1
        if j == sj:
            return 1 if isnum else -1
        seg_a, seg_b = a[si:i], b[sj:j]
        if isnum:
            seg_a, seg_b = seg_a.lstrip("0"), seg_b.lstrip("0")
            if len(seg_a) != len(seg_b):
                return 1 if len(seg_a) > len(seg_b) else -1
        if seg_a != seg_b:
            return 1 if seg_a > seg_b else -1
    if i >= la and j >= lb:
        return 0
    return 1 if i < la else -1


def encode_rpmver(text: str) -> bytes:
    """Order-preserving key of one version or release string."""
    parts: list[bytes] = []
    for token in _TOKEN_RE.findall(text):
        first = token[0]
        if first == "~":
            parts.append(b"\x01")
        elif first == "^":
            parts.append(b"\x03")
        elif _isdigit(first):
            parts.append(b"\x05" + encode_digits(token))
        else:
            parts.append(b"\x04" + token.encode("ascii") + b"\x00")
    parts.append(b"\x02")
    return b"".join(parts)


def parse_rpm(version: str, scheme: str = "rpm") -> RpmVersion:
    """Split ``[epoch:]version[-release]`` (release after the last hyphen)."""
    text = version.strip()
    epoch = 0
    if ":" in text:
        epoch_text, text = text.split(":", 1)
        if not _EPOCH_RE.match(epoch_text):
            raise VersionError(f"{scheme}: epoch in {version!r} is not a number")
        epoch = int(epoch_text)
    ver, sep, release = text.rpartition("-")
    if not sep:
        ver, release = text, ""
    if not ver or (sep and not release):
        raise VersionError(f"{scheme}: {version!r} has an empty version or release")
    if any(c.isspace() for c in text):
        raise VersionError(f"{scheme}: {version!r} contains whitespace")
    return RpmVersion(epoch, ver, release)


class RpmScheme(CachedScheme[RpmVersion]):
    """RPM (Red Hat, AlmaLinux, Rocky, SUSE, Fedora …) EVR ordering."""

    name = "rpm"

    def _parse(self, version: str) -> RpmVersion:
        return parse_rpm(version, self.name)

    def _compare(self, a: RpmVersion, b: RpmVersion) -> int:
        if a.epoch != b.epoch:
            return -1 if a.epoch < b.epoch else 1
        return rpmvercmp(a.version, b.version) or rpmvercmp(a.release, b.release)

    def _encode(self, parsed: RpmVersion) -> bytes:
        return (
            encode_digits(str(parsed.epoch))
            + encode_rpmver(parsed.version)
            + encode_rpmver(parsed.release)
        )
