"""NuGet versions (NuGet.Versioning ``NuGetVersion`` with ``VersionComparer.Default``).

Grammar: 1 to 4 dot-separated numbers (missing parts are 0, so ``1.0`` == ``1.0.0.0``), an
optional pre-release ``-label(.label)*`` and optional ``+metadata`` (ignored). Pre-release labels
compare one by one: both numeric → numerically; numeric < non-numeric; otherwise ordinal
case-insensitive (``OrdinalIgnoreCase``: upper-cased code units); more labels sort later; a
release sorts after its pre-releases. Reference: https://learn.microsoft.com/nuget/concepts/
package-versioning (“Normalized version numbers”, “Pre-release versions”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medtrust.versioning.base import CachedScheme, VersionError, encode_digits, encode_text

_LABEL = r"[0-9A-Za-z-]+"
_NUGET_RE = re.compile(
    rf"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-({_LABEL}(?:\.{_LABEL})*))?"
    rf"(?:\+({_LABEL}(?:\.{_LABEL})*))?$",
    re.ASCII,
)

Label = int | str


@dataclass(frozen=True, slots=True)
class NugetVersion:
    """A parsed NuGet version; text labels are kept upper-cased for comparison."""

    numbers: tuple[int, int, int, int]
    labels: tuple[Label, ...] = ()
    metadata: str = ""


def _compare_labels(a: Label, b: Label) -> int:
    if isinstance(a, int):
        if isinstance(b, int):
            return (a > b) - (a < b)
        return -1
    if isinstance(b, int):
        return 1
    return (a > b) - (a < b)


class NugetScheme(CachedScheme[NugetVersion]):
    """NuGet: four-part numbers, case-insensitive pre-release labels, metadata ignored."""

    name = "nuget"

    def _parse(self, version: str) -> NugetVersion:
        match = _NUGET_RE.match(version.strip())
        if match is None:
            raise VersionError(f"nuget: {version!r} is not a valid NuGet version")
        g = match.groups()
        numbers = (int(g[0]), int(g[1] or 0), int(g[2] or 0), int(g[3] or 0))
        labels: tuple[Label, ...] = ()
        if g[4]:
            labels = tuple(int(p) if p.isdigit() else p.upper() for p in g[4].split("."))
        return NugetVersion(numbers, labels, g[5] or "")

    def _compare(self, a: NugetVersion, b: NugetVersion) -> int:
        if a.numbers != b.numbers:
            return -1 if a.numbers < b.numbers else 1
        if not a.labels or not b.labels:
            return (not a.labels) - (not b.labels)
        for x, y in zip(a.labels, b.labels, strict=False):
            result = _compare_labels(x, y)
            if result:
                return result
        return (len(a.labels) > len(b.labels)) - (len(a.labels) < len(b.labels))

    def _encode(self, parsed: NugetVersion) -> bytes:
        parts = [encode_digits(str(n)) for n in parsed.numbers]
        if not parsed.labels:
            parts.append(b"\x02")
        else:
            parts.append(b"\x01")
            for label in parsed.labels:
                if isinstance(label, int):
                    parts.append(b"\x01" + encode_digits(str(label)))
                else:
                    parts.append(b"\x02" + encode_text(label))
            parts.append(b"\x00")
        return b"".join(parts)
