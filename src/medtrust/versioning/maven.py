"""Maven versions: ``ComparableVersion`` semantics (maven-artifact 3.8.x).

Parsing is a port of ``ComparableVersion.parseVersion`` (Maven 3.8.7): the lower-cased version is
split at ``.``, ``-`` and digit/letter transitions into integers, qualifiers and nested lists
(a ``-`` or a transition opens a sub-list; a final ``.qualifier`` is treated as ``-qualifier``);
``a1``/``b1``/``m1`` mean alpha/beta/milestone; ``ga``, ``final`` and ``release`` are the empty
qualifier and ``cr`` is ``rc``; trailing "null" items (0, empty qualifier, empty list) are
dropped in every list. See also https://maven.apache.org/pom.html#Version_Order_Specification.

Ordering at one position, lowest first::

    alpha < beta < milestone < rc=cr < snapshot     (qualifiers before a release)
    < sub-list that sorts before the end of a list   (e.g. "-alpha-1")
    < end of list (padding)
    < "" (ga/final/release, when not trailing)
    < sp < other qualifiers (alphabetical)
    < sub-list that sorts after the end of a list    (e.g. "-1", "-sp")
    < integers (numeric order)

This is Maven's order for every version shape seen in practice (checked against
maven-artifact 3.8.7 during development). Maven's own comparison is not transitive for a few
odd shapes, which a sortable key cannot reproduce; there this order differs from Maven in two
ways: (1) an integer 0 or an empty qualifier that is *not* trailing sorts just above the end of
a list (Maven treats it as equal to the end), and (2) a sub-list is placed against a qualifier
by its own first item (Maven always puts the list above the qualifier). Example: Maven orders
``1.0.alpha.1`` < ``1`` < ``1-sp`` < ``1.0.alpha.1`` in a cycle; here ``1`` < ``1-sp`` <
``1.0.alpha.1``.
"""

from __future__ import annotations

from dataclasses import dataclass

from medtrust.versioning.base import CachedScheme, VersionError, encode_digits, encode_text

_QUALIFIER_RANK = {"alpha": 0, "beta": 1, "milestone": 2, "rc": 3, "snapshot": 4, "": 5, "sp": 6}
_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc"}
_SHORT = {"a": "alpha", "b": "beta", "m": "milestone"}
_RELEASE_RANK = 5
_UNKNOWN_RANK = 7

# position classes (also the key's class bytes)
_C_PRE = 1
_C_LIST_LOW = 2
_C_END = 3
_C_EMPTY = 4
_C_POST = 5
_C_LIST_HIGH = 6
_C_INT = 7

Item = int | str | tuple["Item", ...]


@dataclass(frozen=True, slots=True)
class MavenVersion:
    """A parsed Maven version: the normalised item tree (ints, qualifiers, nested tuples)."""

    text: str
    items: tuple[Item, ...]


def _string_item(text: str, followed_by_digit: bool) -> str:
    if followed_by_digit and len(text) == 1:
        text = _SHORT.get(text, text)
    return _ALIASES.get(text, text)


def _parse_item(is_digit: bool, text: str) -> Item:
    return int(text) if is_digit else _string_item(text, False)


def _is_null(item: Item) -> bool:
    if isinstance(item, int):
        return item == 0
    if isinstance(item, str):
        return item == ""
    return not item


def _normalize(items: list[Item]) -> None:
    """Drop trailing null items, looking through non-null sub-lists (Maven's ``normalize``)."""
    i = len(items) - 1
    while i >= 0:
        item = items[i]
        if _is_null(item):
            del items[i]
        elif not isinstance(item, list):
            break
        i -= 1


def _freeze(items: list[object]) -> tuple[Item, ...]:
    return tuple(_freeze(x) if isinstance(x, list) else x for x in items)  # type: ignore[misc]


def parse_maven(version: str) -> tuple[Item, ...]:
    """Port of ``ComparableVersion.parseVersion`` returning the normalised item tree."""
    text = version.lower()
    root: list[object] = []
    current = root
    stack = [root]
    is_digit = False
    start = 0

    def open_list() -> None:
        nonlocal current
        new: list[object] = []
        current.append(new)
        current = new
        stack.append(new)

    for i, c in enumerate(text):
        if c in ".-":
            if i == start:
                current.append(0)
            else:
                current.append(_parse_item(is_digit, text[start:i]))
            start = i + 1
            if c == "-":
                open_list()
        elif "0" <= c <= "9":
            if not is_digit and i > start:
                if current:
                    open_list()
                current.append(_string_item(text[start:i], True))
                start = i
                open_list()
            is_digit = True
        else:
            if is_digit and i > start:
                current.append(_parse_item(True, text[start:i]))
                start = i
                open_list()
            is_digit = False
    if len(text) > start:
        if not is_digit and current:
            open_list()
        current.append(_parse_item(is_digit, text[start:]))
    for lst in reversed(stack):
        _normalize(lst)  # type: ignore[arg-type]
    return _freeze(root)


def _rank(qualifier: str) -> int:
    return _QUALIFIER_RANK.get(qualifier, _UNKNOWN_RANK)


def _class(item: Item | None) -> int:
    if item is None:
        return _C_END
    if isinstance(item, int):
        return _C_INT
    if isinstance(item, str):
        rank = _rank(item)
        if rank < _RELEASE_RANK:
            return _C_PRE
        return _C_EMPTY if rank == _RELEASE_RANK else _C_POST
    first = _class(item[0]) if item else _C_END
    return _C_LIST_LOW if first < _C_END else _C_LIST_HIGH


def _compare_items(x: Item | None, y: Item | None) -> int:
    cx, cy = _class(x), _class(y)
    if cx != cy:
        return -1 if cx < cy else 1
    if isinstance(x, int) and isinstance(y, int):
        return (x > y) - (x < y)
    if isinstance(x, str) and isinstance(y, str):
        kx, ky = (_rank(x), x), (_rank(y), y)
        return (kx > ky) - (kx < ky)
    if isinstance(x, tuple) and isinstance(y, tuple):
        return compare_lists(x, y)
    return 0


def compare_lists(a: tuple[Item, ...], b: tuple[Item, ...]) -> int:
    """Compare two item lists position by position, padding the shorter with end-of-list."""
    for index in range(max(len(a), len(b))):
        result = _compare_items(
            a[index] if index < len(a) else None, b[index] if index < len(b) else None
        )
        if result:
            return result
    return 0


def encode_items(items: tuple[Item, ...]) -> bytes:
    """Key bytes of an item list: class byte + payload per item, then the end byte 0x03."""
    parts: list[bytes] = []
    for item in items:
        cls = _class(item)
        if isinstance(item, int):
            parts.append(b"\x07" + encode_digits(str(item)))
        elif isinstance(item, str):
            rank = _rank(item)
            if cls == _C_PRE:
                parts.append(bytes((cls, rank + 1)))
            elif cls == _C_EMPTY:
                parts.append(b"\x04")
            elif rank == _UNKNOWN_RANK:
                parts.append(b"\x05\x02" + encode_text(item))
            else:
                parts.append(b"\x05\x01")
        else:
            parts.append(bytes((cls,)) + encode_items(item))
    parts.append(b"\x03")
    return b"".join(parts)


class MavenScheme(CachedScheme[MavenVersion]):
    """Maven ``ComparableVersion`` ordering (made total, see the module docstring)."""

    name = "maven"

    def _parse(self, version: str) -> MavenVersion:
        text = version.strip()
        if not text or any(c.isspace() for c in text):
            raise VersionError(f"maven: {version!r} is empty or contains whitespace")
        return MavenVersion(text, parse_maven(text))

    def _compare(self, a: MavenVersion, b: MavenVersion) -> int:
        return compare_lists(a.items, b.items)

    def _encode(self, parsed: MavenVersion) -> bytes:
        return encode_items(parsed.items)
