"""The shared order-preserving encodings and input checks."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.errors import InputError
from medtrust.versioning.base import (
    MAX_VERSION_LENGTH,
    VersionError,
    VersionScheme,
    encode_digits,
    encode_int,
    encode_text,
    invert,
)
from medtrust.versioning.registry import get_scheme, scheme_names


def _cmp(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


@given(st.integers(min_value=0), st.integers(min_value=0))
def test_encode_digits_preserves_integer_order(a: int, b: int) -> None:
    assert _cmp(encode_digits(str(a)), encode_digits(str(b))) == _cmp(a, b)


@given(st.integers(min_value=0, max_value=10**600), st.integers(min_value=0, max_value=10**600))
def test_encode_digits_handles_very_long_numbers(a: int, b: int) -> None:
    assert _cmp(encode_digits(str(a)), encode_digits(str(b))) == _cmp(a, b)


def test_encode_digits_ignores_leading_zeros_and_is_never_empty() -> None:
    assert encode_digits("007") == encode_digits("7")
    assert encode_digits("0") == encode_digits("") == b"\x01"
    long_a, long_b = "9" * 300, "1" + "0" * 300
    assert encode_digits(long_a) < encode_digits(long_b)


@given(st.integers(), st.integers())
def test_encode_int_preserves_signed_order(a: int, b: int) -> None:
    assert _cmp(encode_int(a), encode_int(b)) == _cmp(a, b)


@given(st.integers(min_value=0), st.integers(min_value=0))
def test_invert_reverses_order(a: int, b: int) -> None:
    assert _cmp(invert(encode_digits(str(a))), invert(encode_digits(str(b)))) == -_cmp(a, b)


@given(
    st.tuples(st.text(st.characters(blacklist_characters="\x00")), st.integers(min_value=0)),
    st.tuples(st.text(st.characters(blacklist_characters="\x00")), st.integers(min_value=0)),
)
def test_text_then_number_concatenation_is_lexicographic(
    a: tuple[str, int], b: tuple[str, int]
) -> None:
    """A terminated string followed by another component compares like the tuple."""
    ka = encode_text(a[0]) + encode_digits(str(a[1]))
    kb = encode_text(b[0]) + encode_digits(str(b[1]))
    expected = _cmp((a[0].encode(), a[1]), (b[0].encode(), b[1]))
    assert _cmp(ka, kb) == expected


def test_version_error_is_an_input_error() -> None:
    assert issubclass(VersionError, InputError)


@pytest.mark.parametrize("name", scheme_names())
def test_every_scheme_rejects_hostile_input(name: str) -> None:
    scheme = get_scheme(name)
    assert isinstance(scheme, VersionScheme)
    assert scheme.name == name
    for bad in ["", "1" * (MAX_VERSION_LENGTH + 1), "1.0\x00"]:
        assert not scheme.is_valid(bad)
        with pytest.raises(VersionError):
            scheme.key(bad)
    with pytest.raises(VersionError):
        scheme.parse(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", scheme_names())
def test_error_messages_are_one_line_and_name_the_scheme(name: str) -> None:
    scheme = get_scheme(name)
    with pytest.raises(VersionError) as info:
        scheme.compare("1", "??\n!!")
    assert "\n" not in str(info.value).replace("\\n", "")
    assert name in str(info.value)
