"""purl ``vers:`` parsing, normalisation and containment."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtrust.versioning.base import VersionError
from medtrust.versioning.registry import get_scheme
from medtrust.versioning.vers import Constraint, VersRangeError, contains, parse_vers


def test_parse_normalises_order_spaces_and_duplicates() -> None:
    parsed = parse_vers("vers:npm/ <5.0.0 | >=2.0.0 | 1.2.3 | >=2.0.0 ")
    assert parsed.scheme == "npm"
    assert parsed.constraints == (
        Constraint("=", "1.2.3"),
        Constraint(">=", "2.0.0"),
        Constraint("<", "5.0.0"),
    )
    assert str(parsed) == "vers:npm/1.2.3|>=2.0.0|<5.0.0"
    assert str(parse_vers(str(parsed))) == str(parsed)


def test_versions_are_percent_decoded() -> None:
    parsed = parse_vers("vers:maven/>=1.0.0-SNAPSHOT|<1.0.0%2Bbuild")
    assert parsed.constraints[1].version == "1.0.0+build"


@pytest.mark.parametrize(
    ("vers", "version", "expected"),
    [
        ("vers:npm/1.2.3|>=2.0.0|<5.0.0", "1.2.3", True),
        ("vers:npm/1.2.3|>=2.0.0|<5.0.0", "1.2.4", False),
        ("vers:npm/1.2.3|>=2.0.0|<5.0.0", "2.0.0", True),
        ("vers:npm/1.2.3|>=2.0.0|<5.0.0", "5.0.0", False),
        ("vers:pypi/<1.0|>=2.0|!=2.5", "0.9", True),
        ("vers:pypi/<1.0|>=2.0|!=2.5", "1.5", False),
        ("vers:pypi/<1.0|>=2.0|!=2.5", "2.5", False),
        ("vers:pypi/<1.0|>=2.0|!=2.5", "2.5.1", True),
        ("vers:pypi/<=1.0", "1.0.0", True),
        ("vers:pypi/>1.0", "1.0.0", False),
        ("vers:pypi/>1.0", "1.0.post1", True),
        # univers 32.0.1 answers True here with its coerced generic scheme (vulndata.md §6)
        ("vers:openssl/>=1.0.1|<1.0.1g", "1.0.2", False),
        ("vers:openssl/>=1.0.1|<1.0.1g", "1.0.1f", True),
        ("vers:deb/>=1:1.0|<1:2.0", "2.0", False),
        ("vers:deb/>=1:1.0|<1:2.0", "1:1.9~rc1", True),
        ("vers:all/*", "anything at all", True),
        ("vers:golang/>=v1.2.0|<v1.3.0", "v1.2.9", True),
        ("vers:firmware/<V11.2.0", "10.9p1", True),
    ],
)
def test_contains(vers: str, version: str, expected: bool) -> None:
    assert contains(vers, version) is expected
    parsed = parse_vers(vers)
    assert parsed.to_version_range().contains(version) is expected
    if parsed.versioning != "all":
        key_range = parsed.to_version_range().key_range()
        assert key_range.contains(get_scheme(parsed.scheme).key(version)) is expected


@pytest.mark.parametrize(
    "bad",
    [
        "npm/1.2.3",
        "vers:npm",
        "vers:/1.0",
        "vers:npm/",
        "vers:npm/*|1.0.0",
        "vers:all/1.0",
        "vers:npm/>=",
        "vers:unknownscheme-xyz/>=1.0",
    ],
)
def test_malformed_ranges_raise_typed_errors(bad: str) -> None:
    if bad.startswith("vers:unknownscheme"):
        # unknown schemes fall back to generic, which accepts this
        assert parse_vers(bad).scheme == "generic"
        return
    with pytest.raises(VersRangeError):
        parse_vers(bad)


def test_invalid_version_in_range_is_a_version_error() -> None:
    with pytest.raises(VersionError, match="semver"):
        parse_vers("vers:semver/>=1.2")


_SEMVER = st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 4)).map(
    lambda t: f"{t[0]}.{t[1]}.{t[2]}"
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["<", "<=", ">", ">=", "=", "!="]), _SEMVER),
        min_size=1,
        max_size=5,
    ),
    _SEMVER,
)
def test_spec_algorithm_equals_interval_form(
    constraints: list[tuple[str, str]], version: str
) -> None:
    """The spec's containment walk and the VersionRange/KeyRange forms always agree."""
    text = "vers:semver/" + "|".join(op + v for op, v in constraints)
    key = get_scheme("semver").key
    comparators: dict[bytes, set[str]] = {}
    for op, v in constraints:
        comparators.setdefault(key(v), set()).add(op)
    if any(len(ops) > 1 for ops in comparators.values()):
        with pytest.raises(VersRangeError, match="two comparators"):
            parse_vers(text)
        return
    parsed = parse_vers(text)
    version_range = parsed.to_version_range()
    expected = parsed.contains(version)
    assert version_range.contains(version) is expected
    assert version_range.key_range().contains(get_scheme("semver").key(version)) is expected
