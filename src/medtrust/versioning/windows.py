"""Windows build numbers: ``major.minor.build.revision`` (e.g. ``10.0.19044.1234``).

One to four dot-separated decimal numbers; missing parts are 0 (``10.0.19044`` equals
``10.0.19044.0``); compared numerically part by part. The fourth part is the update build
revision (UBR) that cumulative updates raise. Source: Microsoft's Windows release information
pages list builds in this form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medtrust.versioning.base import CachedScheme, VersionError, encode_digits

_WINDOWS_RE = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?$", re.ASCII)


@dataclass(frozen=True, slots=True)
class WindowsVersion:
    """A four-part Windows build number."""

    parts: tuple[int, int, int, int]


class WindowsScheme(CachedScheme[WindowsVersion]):
    """Windows ``major.minor.build.revision`` numbers."""

    name = "windows"

    def _parse(self, version: str) -> WindowsVersion:
        match = _WINDOWS_RE.match(version.strip())
        if match is None:
            raise VersionError(f"windows: {version!r} is not a build number like 10.0.19044.1234")
        a, b, c, d = (int(x) if x else 0 for x in match.groups())
        return WindowsVersion((a, b, c, d))

    def _compare(self, a: WindowsVersion, b: WindowsVersion) -> int:
        return (a.parts > b.parts) - (a.parts < b.parts)

    def _encode(self, parsed: WindowsVersion) -> bytes:
        return b"".join(encode_digits(str(n)) for n in parsed.parts)
