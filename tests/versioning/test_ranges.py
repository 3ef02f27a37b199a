"""OSV event ranges: compare-based and key-based containment."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtrust.versioning.base import VersionError
from medtrust.versioning.ranges import Interval, VersionRange
from medtrust.versioning.registry import get_scheme


def _both(r: VersionRange, version: str) -> bool:
    by_compare = r.contains(version)
    by_key = r.key_range().contains(get_scheme(r.scheme).key(version))
    assert by_compare is by_key
    return by_compare


def test_introduced_zero_means_from_the_first_version() -> None:
    r = VersionRange.from_osv_events("pep440", [{"introduced": "0"}, {"fixed": "1.2.0"}])
    assert r.intervals == (Interval(None, True, "1.2.0", False),)
    assert _both(r, "0")
    assert _both(r, "0.0.1.dev0")
    assert _both(r, "1.2.0rc1")
    assert not _both(r, "1.2.0")


def test_multiple_intervals_last_affected_and_unsorted_events() -> None:
    events = [
        {"fixed": "2.0.0"},
        {"introduced": "3.0.0"},
        {"introduced": "1.0.0"},
        {"last_affected": "3.1.0"},
    ]
    r = VersionRange.from_osv_events("semver", events)
    assert [str(i) for i in r.intervals] == [">=1.0.0, <2.0.0", ">=3.0.0, <=3.1.0"]
    assert not _both(r, "0.9.0")
    assert _both(r, "1.5.0")
    assert not _both(r, "2.0.0")
    assert _both(r, "3.1.0")
    assert not _both(r, "3.1.1")


def test_reintroduced_at_fixed_version() -> None:
    events = [{"introduced": "1.0"}, {"fixed": "2.0"}, {"introduced": "2.0"}, {"fixed": "3.0"}]
    r = VersionRange.from_osv_events("pep440", events)
    assert [str(i) for i in r.intervals] == [">=1.0, <2.0", ">=2.0, <3.0"]
    assert _both(r, "2.0")


def test_introduced_and_fixed_at_the_same_version_is_empty() -> None:
    """Bitnami BIT-jre-2021-2161 writes ``introduced: 1.8.0, fixed: 1.8.0`` for "none"."""
    events = [{"introduced": "0"}, {"fixed": "1.7.0"}, {"introduced": "1.8.0"}]
    events += [{"fixed": "1.8.0"}, {"introduced": "7.0.0"}, {"fixed": "7.0.301"}]
    r = VersionRange.from_osv_events("semver", events)
    assert [str(i) for i in r.intervals] == ["<1.7.0", ">=7.0.0, <7.0.301"]
    assert not _both(r, "1.8.0")
    assert not _both(r, "2.0.0")
    assert _both(r, "7.0.300")


def test_open_ended_and_limit() -> None:
    r = VersionRange.from_osv_events("semver", [{"introduced": "1.0.0"}])
    assert _both(r, "99.0.0")
    capped = VersionRange.from_osv_events(
        "semver", [{"introduced": "1.0.0"}, {"limit": "2.0.0"}, {"limit": "1.5.0"}]
    )
    assert _both(capped, "1.9.0")
    assert not _both(capped, "2.0.0")
    unlimited = VersionRange.from_osv_events("semver", [{"introduced": "0"}, {"limit": "*"}])
    assert _both(unlimited, "5.0.0")


def test_explicit_versions_and_rpm_epochs() -> None:
    r = VersionRange.from_osv_events(
        "rpm", [{"introduced": "0"}, {"fixed": "1:1.1.1k-15.el8_6"}], versions=["2:0.1-1"]
    )
    assert _both(r, "1:1.1.1k-14.el8")
    assert not _both(r, "1:1.1.1k-15.el8_6")
    assert _both(r, "1.1.1z-99.el8")  # epoch 0 sorts below epoch 1: affected
    assert _both(r, "2:0.1-1")


def test_bad_events_and_versions_raise() -> None:
    with pytest.raises(VersionError, match="unknown OSV event"):
        VersionRange.from_osv_events("semver", [{"introduce": "1.0.0"}])
    with pytest.raises(VersionError):
        VersionRange.from_osv_events("semver", [{"introduced": "1.0"}])
    with pytest.raises(VersionError):
        VersionRange.from_osv_events("semver", [{"introduced": "1.0.0", "fixed": "2.0.0"}])
    r = VersionRange.from_osv_events("semver", [{"introduced": "0"}])
    with pytest.raises(VersionError):
        r.contains("not-a-version")


_V = st.tuples(st.integers(0, 3), st.integers(0, 3)).map(lambda t: f"{t[0]}.{t[1]}")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["introduced", "fixed", "last_affected", "limit"]), _V),
        max_size=6,
    ),
    st.booleans(),
    _V,
)
def test_key_form_equals_compare_form(
    events: list[tuple[str, str]], zero: bool, version: str
) -> None:
    as_dicts = [{kind: value} for kind, value in events]
    if zero:
        as_dicts.insert(0, {"introduced": "0"})
    r = VersionRange.from_osv_events("pep440", as_dicts)
    _both(r, version)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["introduced", "fixed"]), _V), max_size=6),
    _V,
)
def test_matches_osv_reference_walk(events: list[tuple[str, str]], version: str) -> None:
    """Against the OSV evaluation pseudo-code on sorted events (introduced/fixed only)."""
    scheme = get_scheme("pep440")
    r = VersionRange.from_osv_events("pep440", [{k: v} for k, v in events])
    ordered = sorted(
        events,
        key=lambda e: scheme.key(e[1]),  # stable: ties keep input order
    )
    affected = False
    for kind, value in ordered:
        if kind == "introduced" and scheme.compare(version, value) >= 0:
            affected = True
        elif kind == "fixed" and scheme.compare(version, value) >= 0:
            affected = False
    assert r.contains(version) is affected
