"""Our PEP 440 compare and key agree with ``packaging.version`` (the reference implementation)."""

from __future__ import annotations

from hypothesis import given, settings
from packaging.version import Version

from medtrust.versioning.pep440 import Pep440Scheme
from tests.versioning.strategies import pep440_versions

SCHEME = Pep440Scheme()


def _ref(a: str, b: str) -> int:
    va, vb = Version(a), Version(b)
    return (va > vb) - (va < vb)


@settings(max_examples=400, deadline=None)
@given(pep440_versions(), pep440_versions())
def test_compare_and_key_agree_with_packaging(a: str, b: str) -> None:
    expected = _ref(a, b)
    assert SCHEME.compare(a, b) == expected
    assert ((SCHEME.key(a) > SCHEME.key(b)) - (SCHEME.key(a) < SCHEME.key(b))) == expected


def test_known_tricky_orderings() -> None:
    pairs = [
        ("1.0.dev0", "1.0a0"),
        ("1.0.post0.dev0", "1.0.post0"),
        ("1.0a1.post1", "1.0a2.dev0"),
        ("1.0+a", "1.0+0"),
        ("1.0", "1.0+local"),
        ("1.0rc1", "1.0"),  # DT#4087: a release candidate is below the release
    ]
    for low, high in pairs:
        assert _ref(low, high) == -1
        assert SCHEME.compare(low, high) == -1
        assert SCHEME.key(low) < SCHEME.key(high)
