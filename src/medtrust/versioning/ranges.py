"""Version ranges for matching: intervals, exact and excluded versions, in two forms.

:class:`VersionRange` keeps version *strings* and answers :meth:`VersionRange.contains` with the
scheme's ``compare`` (the reference path). :meth:`VersionRange.key_range` turns it into a
:class:`KeyRange` of byte bounds, which a columnar engine evaluates with plain byte comparisons
(the fast path): ``lower <= key < upper`` and so on. Both forms agree because every scheme's key
order equals its compare order.

:meth:`VersionRange.from_osv_events` implements the OSV ``affected[].ranges[].events`` semantics
(https://ossf.github.io/osv-schema/#evaluation): events are sorted by version (``introduced:
"0"`` first; events of equal version keep their input order, so ``introduced: X, fixed: X`` is
empty while ``fixed: X, introduced: X`` re-opens at X, as feeds write them); ``introduced`` opens
an interval (``"0"`` means "from the very first version"); ``fixed`` closes it exclusively;
``last_affected`` closes it inclusively; versions at or above the greatest ``limit`` are out of
range.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from medtrust.versioning.base import VersionError, VersionScheme
from medtrust.versioning.registry import get_scheme

_OSV_EVENTS = ("introduced", "fixed", "last_affected", "limit")


@dataclass(frozen=True, slots=True)
class Interval:
    """A version interval; ``None`` bounds are unbounded."""

    lower: str | None = None
    lower_inclusive: bool = True
    upper: str | None = None
    upper_inclusive: bool = False

    def contains(self, scheme: VersionScheme, version: str) -> bool:
        """Test ``version`` against the bounds with ``scheme.compare``."""
        if self.lower is not None:
            c = scheme.compare(version, self.lower)
            if c < 0 or (c == 0 and not self.lower_inclusive):
                return False
        if self.upper is not None:
            c = scheme.compare(version, self.upper)
            if c > 0 or (c == 0 and not self.upper_inclusive):
                return False
        return True

    def __str__(self) -> str:
        parts = []
        if self.lower is not None:
            parts.append((">=" if self.lower_inclusive else ">") + self.lower)
        if self.upper is not None:
            parts.append(("<=" if self.upper_inclusive else "<") + self.upper)
        return ", ".join(parts) or "*"


@dataclass(frozen=True, slots=True)
class KeyInterval:
    """An interval over sortable keys; ``b""`` (inclusive) is unbounded below, ``None`` above."""

    lower: bytes = b""
    lower_inclusive: bool = True
    upper: bytes | None = None
    upper_inclusive: bool = False

    def contains(self, key: bytes) -> bool:
        """Byte-comparison membership test."""
        if key < self.lower or (key == self.lower and not self.lower_inclusive):
            return False
        if self.upper is None:
            return True
        return key < self.upper or (key == self.upper and self.upper_inclusive)


@dataclass(frozen=True, slots=True)
class KeyRange:
    """The byte-key form of a :class:`VersionRange` for bulk filtering."""

    scheme: str
    intervals: tuple[KeyInterval, ...]
    exact: tuple[bytes, ...] = ()
    excluded: tuple[bytes, ...] = ()

    def contains(self, key: bytes) -> bool:
        """Same answer as :meth:`VersionRange.contains`, from the version's key."""
        if key in self.excluded:
            return False
        return key in self.exact or any(i.contains(key) for i in self.intervals)


@dataclass(frozen=True, slots=True)
class VersionRange:
    """Affected versions in one scheme: intervals plus exact versions, minus excluded ones."""

    scheme: str
    intervals: tuple[Interval, ...] = ()
    exact: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    def contains(self, version: str) -> bool:
        """Reference membership test using the scheme's ``compare``.

        Raises :class:`VersionError` when ``version`` is not valid in the scheme.
        """
        scheme = get_scheme(self.scheme)
        scheme.parse(version)
        if any(scheme.compare(version, v) == 0 for v in self.excluded):
            return False
        if any(scheme.compare(version, v) == 0 for v in self.exact):
            return True
        return any(i.contains(scheme, version) for i in self.intervals)

    def key_range(self) -> KeyRange:
        """The byte-bound form of this range."""
        key = get_scheme(self.scheme).key
        intervals = tuple(
            KeyInterval(
                lower=b"" if i.lower is None else key(i.lower),
                lower_inclusive=True if i.lower is None else i.lower_inclusive,
                upper=None if i.upper is None else key(i.upper),
                upper_inclusive=i.upper_inclusive,
            )
            for i in self.intervals
        )
        return KeyRange(
            self.scheme,
            intervals,
            tuple(sorted({key(v) for v in self.exact})),
            tuple(sorted({key(v) for v in self.excluded})),
        )

    def __str__(self) -> str:
        parts = [str(i) for i in self.intervals]
        parts += [f"={v}" for v in self.exact]
        parts += [f"!={v}" for v in self.excluded]
        return f"{self.scheme}: " + (" | ".join(parts) or "(empty)")

    @classmethod
    def from_osv_events(
        cls,
        scheme_name: str,
        events: Iterable[Mapping[str, str]],
        versions: Iterable[str] = (),
    ) -> VersionRange:
        """Build a range from OSV ``events`` (and an optional explicit ``versions`` list).

        Raises :class:`VersionError` for an unknown event or an invalid version.
        """
        scheme = get_scheme(scheme_name)
        items: list[tuple[str, str | None]] = []
        for event in events:
            if len(event) != 1:
                raise VersionError(f"OSV event must have exactly one field, got {dict(event)}")
            ((kind, value),) = event.items()
            if kind not in _OSV_EVENTS:
                raise VersionError(f"unknown OSV event {kind!r}")
            if (kind == "introduced" and value == "0") or (kind == "limit" and value == "*"):
                items.append((kind, None))
                continue
            scheme.parse(value)
            items.append((kind, value))

        def edge(item: tuple[str, str | None]) -> int:
            if item[1] is not None:
                return 0
            return -1 if item[0] == "introduced" else 1  # "0" lowest, limit "*" highest

        def order(x: tuple[str, str | None], y: tuple[str, str | None]) -> int:
            if x[1] is None or y[1] is None:
                return (edge(x) > edge(y)) - (edge(x) < edge(y))
            return scheme.compare(x[1], y[1])  # ties keep their input order (stable sort)

        items.sort(key=functools.cmp_to_key(order))
        intervals: list[Interval] = []
        limits: list[str] = []
        opened = False
        start: str | None = None
        for kind, bound in items:
            if kind == "introduced":
                if not opened:
                    opened, start = True, bound
            elif bound is None:
                continue  # limit "*": no cap
            elif kind == "limit":
                limits.append(bound)
            elif opened:
                empty = kind == "fixed" and start is not None and scheme.compare(start, bound) >= 0
                if not empty:
                    intervals.append(Interval(start, True, bound, kind == "last_affected"))
                opened = False
        if opened:
            intervals.append(Interval(start, True, None, False))
        if limits:
            cap = max(limits, key=functools.cmp_to_key(scheme.compare))
            intervals = _cap(scheme, intervals, cap)
        exact = tuple(sorted(set(versions), key=functools.cmp_to_key(scheme.compare)))
        for v in exact:
            scheme.parse(v)
        return cls(scheme.name, tuple(intervals), exact)


def _cap(scheme: VersionScheme, intervals: list[Interval], cap: str) -> list[Interval]:
    capped: list[Interval] = []
    for i in intervals:
        if i.lower is not None and scheme.compare(i.lower, cap) >= 0:
            continue
        if i.upper is None or scheme.compare(i.upper, cap) >= 0:
            i = Interval(i.lower, i.lower_inclusive, cap, False)
        capped.append(i)
    return capped
