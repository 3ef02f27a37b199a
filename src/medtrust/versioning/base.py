"""The version-scheme Protocol, its errors and shared order-preserving byte encodings.

Every scheme offers two views of one total order:

* ``compare(a, b)`` — a direct port of the ecosystem's comparison algorithm (the reference
  matcher's oracle), and
* ``key(s)`` — a byte string whose plain lexicographic order equals ``compare`` order, so a
  columnar engine can filter version ranges with byte comparisons.

The encodings here are the building blocks of every key. They are *self-delimiting*: no
encoding is a proper prefix of another one of the same kind, so keys built by concatenating
them compare component by component. Byte ``0x00`` is reserved as a string terminator.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from typing import ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from medtrust.errors import InputError

#: longest version string any scheme accepts (defence against hostile input)
MAX_VERSION_LENGTH = 1024
_CACHE_SIZE = 1 << 16
_INVERT = bytes(range(255, -1, -1))


class VersionError(InputError):
    """A version string is not valid in the scheme it was given to."""

    code = "invalid-version"


class UnknownSchemeError(InputError):
    """A version scheme name is not registered."""

    code = "unknown-version-scheme"


@runtime_checkable
class VersionScheme(Protocol):
    """A versioning scheme: parse, compare and encode versions into sortable keys."""

    @property
    def name(self) -> str:
        """The registry name of the scheme."""
        ...

    def parse(self, version: str) -> object:
        """Parse ``version`` into the scheme's structure or raise :class:`VersionError`."""
        ...

    def compare(self, a: str, b: str) -> int:
        """Return -1, 0 or 1 as ``a`` sorts before, equal to or after ``b``."""
        ...

    def key(self, version: str) -> bytes:
        """Return bytes whose lexicographic order equals :meth:`compare` order."""
        ...

    def is_valid(self, version: str) -> bool:
        """Tell whether ``version`` parses in this scheme."""
        ...


def sign(value: int) -> int:
    """Return -1, 0 or 1 with the sign of ``value``."""
    return (value > 0) - (value < 0)


def check_text(version: object, scheme: str) -> str:
    """Reject non-strings, empty, oversized or NUL-bearing input with a :class:`VersionError`."""
    if not isinstance(version, str):
        raise VersionError(f"{scheme}: version must be a string, got {type(version).__name__}")
    if not version:
        raise VersionError(f"{scheme}: empty version")
    if len(version) > MAX_VERSION_LENGTH:
        raise VersionError(f"{scheme}: version longer than {MAX_VERSION_LENGTH} characters")
    if "\x00" in version:
        raise VersionError(f"{scheme}: version contains a NUL character")
    return version


def encode_digits(digits: str) -> bytes:
    """Encode a non-negative decimal digit string of any length, order-preserving.

    Leading zeros are dropped; a length prefix (``1 + number of digits``, or ``0xFF`` followed by
    the recursively encoded length for 254 digits and more) precedes the ASCII digits. Longer
    numbers therefore sort after shorter ones, equal lengths compare digit by digit, and zero
    is ``b"\\x01"``. The first byte is never ``0x00``.
    """
    stripped = digits.lstrip("0")
    length = len(stripped)
    if length < 0xFE:
        return bytes((length + 1,)) + stripped.encode("ascii")
    return b"\xff" + encode_digits(str(length)) + stripped.encode("ascii")


def encode_uint(value: int) -> bytes:
    """Encode a non-negative integer like :func:`encode_digits`."""
    if value < 0:
        raise ValueError("encode_uint needs a non-negative integer")
    return encode_digits(str(value))


def encode_int(value: int) -> bytes:
    """Encode a signed integer: negatives first (larger magnitude lower), then non-negatives."""
    if value < 0:
        return b"\x01" + invert(encode_uint(-value))
    return b"\x02" + encode_uint(value)


def invert(encoded: bytes) -> bytes:
    """Reverse the order of a self-delimiting encoding (each byte becomes ``255 - byte``)."""
    return encoded.translate(_INVERT)


def encode_text(text: str) -> bytes:
    """Encode text as UTF-8 followed by a ``0x00`` terminator (shorter prefix sorts first)."""
    if "\x00" in text:
        raise VersionError("text component contains a NUL character")
    return text.encode("utf-8") + b"\x00"


V = TypeVar("V")


class CachedScheme(ABC, Generic[V]):
    """Common plumbing: input checks, parse/key caches, ``compare`` and ``is_valid``.

    A subclass supplies ``_parse`` (string to structure), ``_compare`` (the ecosystem's
    algorithm on two structures) and ``_encode`` (structure to key bytes). ``compare`` never
    uses the keys, so tests can check the two against each other.
    """

    name: ClassVar[str]

    def __init__(self) -> None:
        self._parse_cached = functools.lru_cache(maxsize=_CACHE_SIZE)(self._parse_checked)
        self._key_cached = functools.lru_cache(maxsize=_CACHE_SIZE)(self._key_uncached)

    def _parse_checked(self, version: str) -> V:
        return self._parse(check_text(version, self.name))

    def _key_uncached(self, version: str) -> bytes:
        return self._encode(self._parse_cached(version))

    @abstractmethod
    def _parse(self, version: str) -> V:
        """Parse a checked, non-empty string."""

    @abstractmethod
    def _compare(self, a: V, b: V) -> int:
        """Compare two parsed versions with the ecosystem's algorithm."""

    @abstractmethod
    def _encode(self, parsed: V) -> bytes:
        """Encode a parsed version as an order-preserving key."""

    def parse(self, version: str) -> V:
        """Parse ``version`` or raise :class:`VersionError`."""
        if not isinstance(version, str):
            check_text(version, self.name)
        return self._parse_cached(version)

    def compare(self, a: str, b: str) -> int:
        """Return -1, 0 or 1 as ``a`` sorts before, equal to or after ``b``."""
        return sign(self._compare(self.parse(a), self.parse(b)))

    def key(self, version: str) -> bytes:
        """Return the sortable byte key of ``version``."""
        if not isinstance(version, str):
            check_text(version, self.name)
        return self._key_cached(version)

    def is_valid(self, version: str) -> bool:
        """Tell whether ``version`` parses in this scheme."""
        try:
            self.parse(version)
        except VersionError:
            return False
        return True

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
