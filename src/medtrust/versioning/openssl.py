"""OpenSSL release versions, including the letter-suffixed 0.9.x–1.1.1 series.

Grammar (case-insensitive): ``N[.N[.N[.N]]]`` + optional letters (``1.0.1g``, ``1.0.2zh``) +
optional pre-release ``-alpha1``/``-beta2``/``-pre3``/``-rc1``/``-dev`` (hyphen optional) +
optional ``-fips`` (distribution marker, ignored) + optional ``+build`` (ignored).

Order: numbers (missing parts are 0); then the letter suffix, alphabetically with the empty
suffix first, which gives ``1.0.1`` < ``1.0.1a`` < … < ``1.0.1z`` < ``1.0.1za`` < ``1.0.1zb``
(OpenSSL's naming after ``z``); then the pre-release: ``dev`` < ``alpha`` < ``beta`` < ``pre`` <
``rc`` < none (``1.1.0-pre1`` < ``1.1.0``, ``3.0.0-alpha17`` < ``3.0.0-beta1`` < ``3.0.0``).
Source: https://openssl-library.org/policies/releasestrat/ and the release tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medtrust.versioning.base import CachedScheme, VersionError, encode_digits, encode_text

_OPENSSL_RE = re.compile(
    r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?([a-z]{0,3})"
    r"(?:-?(dev|alpha|beta|pre|rc)(\d*))?(?:-fips)?(?:\+[0-9a-z.-]*)?$",
    re.ASCII,
)
_PRE_RANK = {"dev": 0, "alpha": 1, "beta": 2, "pre": 3, "rc": 4}
_NO_PRE = 5


@dataclass(frozen=True, slots=True)
class OpensslVersion:
    """A parsed OpenSSL version."""

    numbers: tuple[int, ...]  # trailing zeros removed
    letters: str
    pre_rank: int
    pre_number: int


class OpensslScheme(CachedScheme[OpensslVersion]):
    """OpenSSL versions with letter suffixes (1.0.1g) and 3.x semantic-style versions."""

    name = "openssl"

    def _parse(self, version: str) -> OpensslVersion:
        match = _OPENSSL_RE.match(version.strip().lower())
        if match is None:
            raise VersionError(f"openssl: {version!r} is not an OpenSSL version")
        g = match.groups()
        numbers = [int(x) for x in g[:4] if x is not None]
        while len(numbers) > 1 and numbers[-1] == 0:
            numbers.pop()
        pre_rank = _PRE_RANK[g[5]] if g[5] else _NO_PRE
        return OpensslVersion(tuple(numbers), g[4], pre_rank, int(g[6]) if g[6] else 0)

    def _compare(self, a: OpensslVersion, b: OpensslVersion) -> int:
        left = (a.numbers, a.letters, a.pre_rank, a.pre_number)
        right = (b.numbers, b.letters, b.pre_rank, b.pre_number)
        return (left > right) - (left < right)

    def _encode(self, parsed: OpensslVersion) -> bytes:
        parts = [b"\x02" + encode_digits(str(n)) for n in parsed.numbers]
        parts.append(b"\x01")
        parts.append(encode_text(parsed.letters))
        parts.append(bytes((parsed.pre_rank + 1,)))
        if parsed.pre_rank != _NO_PRE:
            parts.append(encode_digits(str(parsed.pre_number)))
        return b"".join(parts)
