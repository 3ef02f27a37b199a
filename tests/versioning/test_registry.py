"""Registry names and ecosystem mapping."""

from __future__ import annotations

import pytest

from medtrust.versioning.base import UnknownSchemeError
from medtrust.versioning.registry import (
    get_scheme,
    scheme_for_ecosystem,
    scheme_name_for_ecosystem,
    scheme_names,
)


def test_registry_names_are_stable() -> None:
    assert scheme_names() == [
        "apk",
        "deb",
        "firmware",
        "generic",
        "maven",
        "npm",
        "nuget",
        "openssl",
        "pep440",
        "rpm",
        "semver",
        "windows",
    ]
    assert get_scheme("deb") is get_scheme("deb")


def test_unknown_scheme_is_a_typed_error() -> None:
    with pytest.raises(UnknownSchemeError, match="unknown version scheme 'cobol'"):
        get_scheme("cobol")


@pytest.mark.parametrize(
    ("ecosystem", "scheme"),
    [
        ("PyPI", "pep440"),
        ("Maven", "maven"),
        ("npm", "npm"),
        ("NuGet", "nuget"),
        ("Debian:11", "deb"),
        ("Ubuntu:22.04:LTS", "deb"),
        ("AlmaLinux:9", "rpm"),
        ("Rocky Linux:8", "rpm"),
        ("Red Hat", "rpm"),
        ("Alpine:v3.18", "apk"),
        ("Go", "semver"),
        ("crates.io", "semver"),
        ("Bitnami", "semver"),
        ("Packagist", "generic"),
        ("RubyGems", "generic"),
        ("pypi", "pep440"),
        ("golang", "semver"),
        ("cargo", "semver"),
        ("deb", "deb"),
        ("apk", "apk"),
        ("generic", "generic"),
        ("openssl", "openssl"),
        ("", "generic"),
    ],
)
def test_ecosystem_mapping(ecosystem: str, scheme: str) -> None:
    assert scheme_name_for_ecosystem(ecosystem) == scheme
    assert scheme_for_ecosystem(ecosystem).name == scheme
