"""purl ``vers:`` version range specifiers.

Syntax (package-url/purl-spec, VERSION-RANGE-SPEC): ``vers:<scheme>/<constraints>`` where
constraints are separated by ``|``; each is an optional comparator (``=`` by default, ``!=``,
``<``, ``<=``, ``>``, ``>=``) and a percent-encoded version, or the lone ``*`` (every version).
Spaces are insignificant. The scheme is a purl type or one of our scheme names
(:mod:`medtrust.versioning.registry`); ``vers:all/*`` matches everything in any scheme.

Normalisation sorts constraints by version (the scheme's order) and drops duplicates.
Containment follows the spec's algorithm: an equal ``=`` version is in, an equal ``!=`` version
is out; then, over the sorted ``<``/``<=``/``>``/``>=`` constraints, a leading ``<``/``<=``
bounds from below-infinity, a trailing ``>``/``>=`` bounds to infinity, and each
``>``/``>=`` followed by ``<``/``<=`` forms an interval.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import quote, unquote

from medtrust.versioning.base import VersionError
from medtrust.versioning.ranges import Interval, VersionRange
from medtrust.versioning.registry import get_scheme, scheme_name_for_ecosystem

COMPARATORS = ("!=", "<=", ">=", "<", ">", "=")
_LOWER = frozenset({">", ">="})
_UPPER = frozenset({"<", "<="})


class VersRangeError(VersionError):
    """A ``vers:`` string cannot be parsed."""

    code = "invalid-vers"


@dataclass(frozen=True, slots=True)
class Constraint:
    """One ``<comparator><version>`` constraint."""

    comparator: str
    version: str

    def __str__(self) -> str:
        version = quote(self.version, safe="._-~+:^")
        return version if self.comparator == "=" else f"{self.comparator}{version}"


@dataclass(frozen=True, slots=True)
class VersRange:
    """A parsed, normalised ``vers`` range."""

    versioning: str  # the scheme as written in the vers string (lower-cased)
    scheme: str  # our registry name (``generic`` for ``all``)
    constraints: tuple[Constraint, ...]
    star: bool = False

    def __str__(self) -> str:
        body = "*" if self.star else "|".join(str(c) for c in self.constraints)
        return f"vers:{self.versioning}/{body}"

    def contains(self, version: str) -> bool:
        """Whether ``version`` is in the range (raises :class:`VersionError` if invalid)."""
        if self.star:
            if self.versioning != "all":
                get_scheme(self.scheme).parse(version)
            return True
        scheme = get_scheme(self.scheme)
        scheme.parse(version)
        for c in self.constraints:
            if c.comparator == "=" and scheme.compare(version, c.version) == 0:
                return True
        for c in self.constraints:
            if c.comparator == "!=" and scheme.compare(version, c.version) == 0:
                return False
        bounds = [c for c in self.constraints if c.comparator not in ("=", "!=")]
        for index, current in enumerate(bounds):
            cmp = scheme.compare(version, current.version)
            if index == 0 and current.comparator in _UPPER and _satisfies(cmp, current.comparator):
                return True
            last = index == len(bounds) - 1
            if last and current.comparator in _LOWER and _satisfies(cmp, current.comparator):
                return True
            if not last and current.comparator in _LOWER:
                following = bounds[index + 1]
                if following.comparator in _UPPER and _satisfies(cmp, current.comparator):
                    other = scheme.compare(version, following.version)
                    if _satisfies(other, following.comparator):
                        return True
        return False

    def to_version_range(self) -> VersionRange:
        """The equivalent :class:`VersionRange` (intervals, exact and excluded versions)."""
        if self.star:
            return VersionRange(self.scheme, (Interval(),))
        exact = tuple(c.version for c in self.constraints if c.comparator == "=")
        excluded = tuple(c.version for c in self.constraints if c.comparator == "!=")
        bounds = [c for c in self.constraints if c.comparator not in ("=", "!=")]
        intervals: list[Interval] = []
        for index, current in enumerate(bounds):
            last = index == len(bounds) - 1
            if index == 0 and current.comparator in _UPPER:
                intervals.append(Interval(None, True, current.version, current.comparator == "<="))
            if current.comparator in _LOWER:
                following = None if last else bounds[index + 1]
                if following is None:
                    intervals.append(Interval(current.version, current.comparator == ">="))
                elif following.comparator in _UPPER:
                    intervals.append(
                        Interval(
                            current.version,
                            current.comparator == ">=",
                            following.version,
                            following.comparator == "<=",
                        )
                    )
        return VersionRange(self.scheme, tuple(intervals), exact, excluded)


def _satisfies(cmp: int, comparator: str) -> bool:
    return {
        "<": cmp < 0,
        "<=": cmp <= 0,
        ">": cmp > 0,
        ">=": cmp >= 0,
        "=": cmp == 0,
        "!=": cmp != 0,
    }[comparator]


def _split_constraint(text: str) -> Constraint:
    for comparator in COMPARATORS:
        if text.startswith(comparator):
            version = unquote(text[len(comparator) :])
            break
    else:
        comparator, version = "=", unquote(text)
    if not version:
        raise VersRangeError(f"vers: constraint {text!r} has no version")
    return Constraint(comparator, version)


def parse_vers(text: str) -> VersRange:
    """Parse and normalise a ``vers:`` string; raise :class:`VersRangeError` when malformed.

    Every version is validated with the scheme, so an invalid one raises
    :class:`VersionError` naming it.
    """
    if not isinstance(text, str):
        raise VersRangeError("vers: range must be a string")
    compact = "".join(text.split())
    if not compact.lower().startswith("vers:"):
        raise VersRangeError(f"vers: {text!r} does not start with 'vers:'")
    versioning, sep, body = compact[5:].partition("/")
    versioning = versioning.lower()
    if not sep or not versioning:
        raise VersRangeError(f"vers: {text!r} needs '<scheme>/<constraints>'")
    body = body.strip("|")
    if not body:
        raise VersRangeError(f"vers: {text!r} has no constraints")
    scheme_name = "generic" if versioning == "all" else scheme_name_for_ecosystem(versioning)
    if body == "*":
        return VersRange(versioning, scheme_name, (), star=True)
    if versioning == "all":
        raise VersRangeError("vers: the 'all' scheme only allows '*'")
    parts = [p for p in body.split("|") if p]
    if "*" in parts:
        raise VersRangeError(f"vers: '*' must be the only constraint in {text!r}")
    scheme = get_scheme(scheme_name)
    constraints: dict[tuple[str, bytes], Constraint] = {}
    comparator_of: dict[bytes, str] = {}
    for part in parts:
        constraint = _split_constraint(part)
        key = scheme.key(constraint.version)
        # the spec requires each version to appear once; an exact repeat is harmless and merged
        if comparator_of.setdefault(key, constraint.comparator) != constraint.comparator:
            raise VersRangeError(
                f"vers: version {constraint.version!r} appears with two comparators in {text!r}"
            )
        constraints.setdefault((constraint.comparator, key), constraint)

    def order(a: Constraint, b: Constraint) -> int:
        return scheme.compare(a.version, b.version) or (
            COMPARATORS.index(a.comparator) - COMPARATORS.index(b.comparator)
        )

    ordered = sorted(constraints.values(), key=functools.cmp_to_key(order))
    return VersRange(versioning, scheme_name, tuple(ordered))


def contains(vers: str | VersRange, version: str) -> bool:
    """Whether ``version`` is in the ``vers`` range (a string or a parsed range)."""
    parsed = parse_vers(vers) if isinstance(vers, str) else vers
    return parsed.contains(version)
