"""Property tests: per scheme, key order equals compare order and compare is a total order."""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from medtrust.versioning.registry import get_scheme, scheme_names
from tests.versioning.strategies import STRATEGIES

_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


def test_every_scheme_has_a_strategy() -> None:
    assert sorted(STRATEGIES) == scheme_names()


def _cmp_bytes(a: bytes, b: bytes) -> int:
    return (a > b) - (a < b)


@pytest.mark.parametrize("name", scheme_names())
def test_generated_versions_are_mostly_valid(name: str) -> None:
    scheme = get_scheme(name)
    examples: list[str] = []

    @settings(max_examples=100, deadline=None)
    @given(STRATEGIES[name])
    def collect(version: str) -> None:
        examples.append(version)

    collect()
    valid = [v for v in examples if scheme.is_valid(v)]
    assert len(valid) >= len(examples) // 2, f"{name}: strategy yields mostly invalid versions"


@pytest.mark.parametrize("name", scheme_names())
def test_key_order_equals_compare_order(name: str) -> None:
    scheme = get_scheme(name)

    @_SETTINGS
    @given(STRATEGIES[name], STRATEGIES[name])
    def check(a: str, b: str) -> None:
        assume(scheme.is_valid(a) and scheme.is_valid(b))
        expected = scheme.compare(a, b)
        assert expected in (-1, 0, 1)
        assert _cmp_bytes(scheme.key(a), scheme.key(b)) == expected, (a, b)
        assert scheme.compare(b, a) == -expected
        assert scheme.compare(a, a) == 0

    check()


@pytest.mark.parametrize("name", scheme_names())
def test_compare_is_a_total_order_matching_the_key(name: str) -> None:
    """Sort with ``compare`` alone; every later element must compare >= every earlier one
    (a non-transitive compare leaves an inverted pair), and the key sort must agree."""
    scheme = get_scheme(name)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
    @given(st.lists(STRATEGIES[name], min_size=3, max_size=8))
    def check(items: list[str]) -> None:
        valid = [v for v in items if scheme.is_valid(v)]
        by_cmp = sorted(valid, key=functools.cmp_to_key(scheme.compare))
        for i, left in enumerate(by_cmp):
            for right in by_cmp[i + 1 :]:
                assert scheme.compare(left, right) <= 0, (left, right)
        by_key = sorted(valid, key=scheme.key)
        assert [scheme.key(v) for v in by_key] == [scheme.key(v) for v in by_cmp]

    check()
