"""Property tests: for every scheme, key order equals compare order, and compare is a total order."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from medtrust.versioning.base import sign
from medtrust.versioning.registry import get_scheme, scheme_names
from tests.versioning.strategies import STRATEGIES

_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


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
def test_compare_is_transitive(name: str) -> None:
    scheme = get_scheme(name)

    @_SETTINGS
    @given(st.lists(STRATEGIES[name], min_size=3, max_size=3))
    def check(items: list[str]) -> None:
        assume(all(scheme.is_valid(v) for v in items))
        a, b, c = sorted(items, key=scheme.key)
        assert scheme.compare(a, b) <= 0
        assert scheme.compare(b, c) <= 0
        assert scheme.compare(a, c) <= 0
        if scheme.compare(a, b) == 0 and scheme.compare(b, c) == 0:
            assert scheme.compare(a, c) == 0

    check()


@pytest.mark.parametrize("name", scheme_names())
def test_sorting_by_key_equals_sorting_by_compare(name: str) -> None:
    import functools

    scheme = get_scheme(name)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
    @given(st.lists(STRATEGIES[name], min_size=2, max_size=12))
    def check(items: list[str]) -> None:
        valid = [v for v in items if scheme.is_valid(v)]
        by_key = sorted(valid, key=scheme.key)
        by_cmp = sorted(valid, key=functools.cmp_to_key(scheme.compare))
        assert [scheme.key(v) for v in by_key] == [scheme.key(v) for v in by_cmp]
        for left, right in zip(by_key, by_key[1:], strict=False):
            assert sign(scheme.compare(left, right)) <= 0

    check()
