"""Vector files (tests/versioning/vectors/<scheme>.txt) checked against compare and key.

Each line is ``<a> <op> <b>`` (op one of ``<``, ``=``, ``>``) or ``! <version>`` for a version the
scheme must refuse; ``#`` starts a comment line. The expectations come from the specifications
and the reference tools named at the top of each file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medtrust.versioning.base import VersionError
from medtrust.versioning.registry import get_scheme

VECTOR_DIR = Path(__file__).parent / "vectors"
FILES = {
    "alpine.txt": "apk",
    "debian.txt": "deb",
    "firmware.txt": "firmware",
    "generic.txt": "generic",
    "maven.txt": "maven",
    "npm.txt": "npm",
    "nuget.txt": "nuget",
    "openssl.txt": "openssl",
    "pep440.txt": "pep440",
    "rpm.txt": "rpm",
    "semver.txt": "semver",
    "windows.txt": "windows",
}
_LINE = re.compile(r"^(.*?)\s+([<=>])\s+(.*?)\s*$")
_EXPECTED = {"<": -1, "=": 0, ">": 1}


def _load(filename: str) -> tuple[list[tuple[str, int, str]], list[str]]:
    pairs: list[tuple[str, int, str]] = []
    invalid: list[str] = []
    for number, raw in enumerate((VECTOR_DIR / filename).read_text("utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("! "):
            invalid.append(raw[2:])
            continue
        match = _LINE.match(raw)
        assert match, f"{filename}:{number}: unreadable vector {raw!r}"
        pairs.append((match.group(1), _EXPECTED[match.group(2)], match.group(3)))
    return pairs, invalid


def test_every_scheme_has_a_vector_file() -> None:
    from medtrust.versioning.registry import scheme_names

    assert sorted(FILES.values()) == scheme_names()
    assert sorted(p.name for p in VECTOR_DIR.glob("*.txt")) == sorted(FILES)


@pytest.mark.parametrize("filename", sorted(FILES))
def test_vectors_compare(filename: str) -> None:
    scheme = get_scheme(FILES[filename])
    pairs, _ = _load(filename)
    assert len(pairs) >= 7
    failures = []
    for a, expected, b in pairs:
        got = scheme.compare(a, b)
        key_order = (scheme.key(a) > scheme.key(b)) - (scheme.key(a) < scheme.key(b))
        if got != expected or key_order != expected or scheme.compare(b, a) != -expected:
            failures.append(f"{a!r} vs {b!r}: expected {expected}, compare {got}, key {key_order}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("filename", sorted(FILES))
def test_vectors_invalid(filename: str) -> None:
    scheme = get_scheme(FILES[filename])
    _, invalid = _load(filename)
    for version in invalid:
        assert not scheme.is_valid(version), version
        with pytest.raises(VersionError):
            scheme.key(version)
