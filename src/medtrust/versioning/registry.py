"""Stable scheme names → factories, and ecosystem / purl type → scheme name.

Names are the keys CLI choices, API parameters and ``vers:`` ranges use. Unknown ecosystems
fall back to ``generic``; callers that need to flag the fallback can compare against
:func:`scheme_name_for_ecosystem` returning ``"generic"``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from medtrust.versioning.alpine import AlpineScheme
from medtrust.versioning.base import UnknownSchemeError, VersionScheme
from medtrust.versioning.debian import DebianScheme
from medtrust.versioning.firmware import FirmwareScheme
from medtrust.versioning.generic import GenericScheme
from medtrust.versioning.maven import MavenScheme
from medtrust.versioning.npm import NpmScheme
from medtrust.versioning.nuget import NugetScheme
from medtrust.versioning.openssl import OpensslScheme
from medtrust.versioning.pep440 import Pep440Scheme
from medtrust.versioning.rpm import RpmScheme
from medtrust.versioning.semver import SemverScheme
from medtrust.versioning.windows import WindowsScheme

SCHEMES: dict[str, Callable[[], VersionScheme]] = {
    "apk": AlpineScheme,
    "deb": DebianScheme,
    "firmware": FirmwareScheme,
    "generic": GenericScheme,
    "maven": MavenScheme,
    "npm": NpmScheme,
    "nuget": NugetScheme,
    "openssl": OpensslScheme,
    "pep440": Pep440Scheme,
    "rpm": RpmScheme,
    "semver": SemverScheme,
    "windows": WindowsScheme,
}

#: OSV ecosystem names (the part before any ``:``), lower-cased → scheme name.
#: Source: https://ossf.github.io/osv-schema/#defined-ecosystems
OSV_ECOSYSTEMS: dict[str, str] = {
    "almalinux": "rpm",
    "alpaquita": "apk",
    "alpine": "apk",
    "amazon linux": "rpm",
    "azure linux": "rpm",
    "bellsoft hardened containers": "apk",
    "bitnami": "semver",
    "chainguard": "apk",
    "crates.io": "semver",
    "debian": "deb",
    "echo": "deb",
    "go": "semver",
    "hex": "semver",
    "mageia": "rpm",
    "mariner": "rpm",
    "maven": "maven",
    "minimos": "apk",
    "npm": "npm",
    "nuget": "nuget",
    "openeuler": "rpm",
    "opensuse": "rpm",
    "oracle linux": "rpm",
    "packagist": "generic",
    "photon os": "rpm",
    "pub": "semver",
    "pypi": "pep440",
    "red hat": "rpm",
    "rocky linux": "rpm",
    "suse": "rpm",
    "swifturl": "semver",
    "ubuntu": "deb",
    "wolfi": "apk",
}

#: purl types (https://github.com/package-url/purl-spec, PURL-TYPES) and vers scheme names
#: → scheme name. Registry names map to themselves.
PURL_TYPES: dict[str, str] = {
    "alpine": "apk",
    "apk": "apk",
    "cargo": "semver",
    "composer": "generic",
    "deb": "deb",
    "gem": "generic",
    "generic": "generic",
    "golang": "semver",
    "hex": "semver",
    "maven": "maven",
    "npm": "npm",
    "nuget": "nuget",
    "pub": "semver",
    "pypi": "pep440",
    "rpm": "rpm",
    "swift": "semver",
}


@functools.cache
def get_scheme(name: str) -> VersionScheme:
    """Return the (shared, cached) scheme registered under ``name``."""
    try:
        factory = SCHEMES[name]
    except KeyError:
        known = ", ".join(sorted(SCHEMES))
        raise UnknownSchemeError(f"unknown version scheme {name!r} (known: {known})") from None
    return factory()


def scheme_names() -> list[str]:
    """All registered scheme names, sorted."""
    return sorted(SCHEMES)


def scheme_name_for_ecosystem(ecosystem: str) -> str:
    """Map an OSV ecosystem (``Debian:11``, ``PyPI``), a purl type or a scheme name to a name."""
    base = ecosystem.split(":", 1)[0].strip().lower()
    if base in SCHEMES:
        return base
    return OSV_ECOSYSTEMS.get(base) or PURL_TYPES.get(base) or "generic"


def scheme_for_ecosystem(ecosystem: str) -> VersionScheme:
    """The scheme for an OSV ecosystem or purl type; ``generic`` when none is known."""
    return get_scheme(scheme_name_for_ecosystem(ecosystem))
