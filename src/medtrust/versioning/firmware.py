"""Vendor firmware and device software versions (``V11.2.0``, ``r0.13c``, ``2.0.9-hotfix.7``).

Rules (ours, chosen to be predictable and to refuse what they cannot order):

1. Lower-case; drop surrounding space; drop a prefix ``version``, ``ver``, ``rel``,
   ``release``, ``firmware``, ``fw``, ``v`` or ``r`` (optionally followed by ``.``, ``_``,
   ``-`` or a space) when a digit follows: ``V11.2.0`` = ``11.2.0``, ``r0.13`` = ``0.13``,
   ``Ver. 2.1`` = ``2.1``.
2. The core is dot-separated numbers; trailing zeros are ignored (``2.0`` == ``2``).
3. One or two letters glued to the core, not followed by a digit and not a qualifier word
   below, are a *letter suffix* sorting after the bare core, FatFs/OpenSSL style: ``0.13`` <
   ``0.13a`` < ``0.13c``.
4. Then any number of qualifiers ``word[number]`` or a bare ``number``, separated by ``.``,
   ``-``, ``_``, ``+`` or spaces (or glued). Pre-release words sort before the release and
   post-release words after it:

   ``dev`` < ``alpha`` < ``beta`` < ``pre``/``preview`` < ``rc`` < *release* < bare number or
   ``build``/``bld`` < ``rev`` < ``p``/``patch``/``pl`` < ``hotfix``/``hf``/``fix`` <
   ``sp`` < ``update``.

   A missing qualifier number is 0; qualifiers compare pairwise, a shorter list padded with
   the release position. ``2.0.9`` < ``2.0.9_build12`` < ``2.0.9p1`` < ``2.0.9-hotfix.7`` <
   ``2.0.10-beta``.
5. Any other word is refused (:class:`VersionError`): a vendor code such as ``R4.1L1`` or
   ``U61`` needs a person, not a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medtrust.versioning.base import CachedScheme, VersionError, encode_digits, encode_text

_PREFIX_RE = re.compile(r"^(?:version|ver|release|rel|firmware|fw|v|r)[\s._-]*(?=\d)")
_CORE_RE = re.compile(r"^(\d+(?:\.\d+)*)(?:([a-z]{1,2})(?![a-z0-9]))?", re.ASCII)
_QUALIFIER_RE = re.compile(r"[\s._+-]*(?:([a-z]+)[\s._-]*(\d*)|(\d+))", re.ASCII)
QUALIFIER_RANK = {
    "dev": 0,
    "alpha": 1,
    "beta": 2,
    "pre": 3,
    "preview": 3,
    "rc": 4,
    "build": 6,
    "bld": 6,
    "rev": 7,
    "p": 8,
    "patch": 8,
    "pl": 8,
    "hotfix": 9,
    "hf": 9,
    "fix": 9,
    "sp": 10,
    "update": 11,
}
RELEASE_RANK = 5
_BARE_NUMBER_RANK = 6

Qualifier = tuple[int, int]  # (rank, number)


@dataclass(frozen=True, slots=True)
class FirmwareVersion:
    """A parsed firmware version."""

    numbers: tuple[int, ...]
    letters: str
    qualifiers: tuple[Qualifier, ...]


def parse_firmware(version: str) -> FirmwareVersion:
    """Apply the module rules or raise :class:`VersionError`."""
    text = _PREFIX_RE.sub("", version.strip().lower(), count=1)
    core = _CORE_RE.match(text)
    if core is None:
        raise VersionError(f"firmware: {version!r} does not start with a version number")
    numbers = [int(n) for n in core.group(1).split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    letters = core.group(2) or ""
    pos = core.end()
    if letters in QUALIFIER_RANK:
        letters, pos = "", core.end(1)
    qualifiers: list[Qualifier] = []
    while pos < len(text):
        match = _QUALIFIER_RE.match(text, pos)
        if match is None or match.end() == pos:
            if text[pos:].strip(" ._+-"):
                raise VersionError(f"firmware: cannot read {text[pos:]!r} in {version!r}")
            break
        word, word_number, bare = match.groups()
        if bare is not None:
            qualifiers.append((_BARE_NUMBER_RANK, int(bare)))
        else:
            if word not in QUALIFIER_RANK:
                raise VersionError(f"firmware: unknown qualifier {word!r} in {version!r}")
            qualifiers.append((QUALIFIER_RANK[word], int(word_number) if word_number else 0))
        pos = match.end()
    return FirmwareVersion(tuple(numbers), letters, tuple(qualifiers))


def _compare_qualifiers(a: tuple[Qualifier, ...], b: tuple[Qualifier, ...]) -> int:
    pad: Qualifier = (RELEASE_RANK, 0)
    for index in range(max(len(a), len(b))):
        x = a[index] if index < len(a) else pad
        y = b[index] if index < len(b) else pad
        if x != y:
            return -1 if x < y else 1
    return 0


class FirmwareScheme(CachedScheme[FirmwareVersion]):
    """Vendor firmware strings: prefixes stripped, letter suffixes, known qualifiers only."""

    name = "firmware"

    def _parse(self, version: str) -> FirmwareVersion:
        return parse_firmware(version)

    def _compare(self, a: FirmwareVersion, b: FirmwareVersion) -> int:
        left, right = (a.numbers, a.letters), (b.numbers, b.letters)
        if left != right:
            return -1 if left < right else 1
        return _compare_qualifiers(a.qualifiers, b.qualifiers)

    def _encode(self, parsed: FirmwareVersion) -> bytes:
        parts = [b"\x02" + encode_digits(str(n)) for n in parsed.numbers]
        parts.append(b"\x01")
        parts.append(encode_text(parsed.letters))
        for rank, number in parsed.qualifiers:
            parts.append(bytes((0x01 if rank < RELEASE_RANK else 0x03, rank + 1)))
            parts.append(encode_digits(str(number)))
        parts.append(b"\x02")
        return b"".join(parts)
