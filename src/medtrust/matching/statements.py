"""Free-text version statements of CSAF products (``<= 4.2``, ``all versions``, ``vers:all/*``).

CSAF 2.0 (section 3.1.2.3.2, ``product_version_range``) asks for a purl ``vers`` range but
allows free text, and CISA's medical advisories use both: ``vers:all/*``, ``<= 2.3.6``,
``>= 1.3.4 | < 1.5.3``, ``5.0|5.1``, ``12.2.x.x`` and phrases such as ``< august 28``.
:func:`parse_statement` turns what it can into a ``vers:generic`` range (so ``|``-separated
parts follow the vers pairing rules) and says plainly when it cannot: the matcher then reports a
*weak* match instead of guessing.

Understood forms (case-insensitive; a leading ``v``/``version`` before a number is ignored):

* ``vers:<scheme>/...`` as written; ``all``, ``all versions``, ``*`` → every version.
* ``<op> <version>`` with op one of ``< <= > >= = ==``; a bare ``<version>`` means ``=``.
* ``prior to X``, ``before X``, ``below X``, ``up to X`` (``<``, ``<``, ``<``, ``<=``);
  ``X and prior``/``earlier``/``older``/``before``/``below`` (``<=``); ``X and later``/
  ``after``/``above``/``newer``/``higher`` (``>=``); ``X through Y``, ``X to Y``.
* wildcards ``4.x``, ``12.2.x.x`` → ``>= 12.2 | < 12.3``.

A version must be one word (no spaces); anything else is not understood, and so are several
upper bounds without a lower bound (``<= U61 | <= L81``), which vers pairing would reduce to one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from medtrust.versioning.base import VersionError
from medtrust.versioning.ranges import Interval, VersionRange
from medtrust.versioning.vers import parse_vers

_ALL = frozenset({"all", "all versions", "*", "any", "all version", "vers:all/*"})
_OP = re.compile(r"^(<=|>=|==|<|>|=)\s*(\S+)$")
_PREFIX = re.compile(r"^(?:version|ver\.?|v)\s*(?=\d)")
_BEFORE = re.compile(r"^(prior to|before|below|earlier than|up to)\s+(\S+)$")
_AFTER = re.compile(
    r"^(\S+)\s+and\s+(prior|earlier|older|before|below|later|after|above|newer|higher)$"
)
_BETWEEN = re.compile(r"^(\S+)\s+(?:through|thru|to)\s+(\S+)$")
_WILDCARD = re.compile(r"^(\d+(?:\.\d+)*)(?:\.[x*])+$")
_SAFE_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+~-]*$")


@dataclass(frozen=True, slots=True)
class VersionStatement:
    """A parsed statement: the range it means (None when not understood) and the raw text."""

    text: str
    range: VersionRange | None

    @property
    def understood(self) -> bool:
        """Whether the statement could be turned into a range."""
        return self.range is not None

    @property
    def all_versions(self) -> bool:
        """Whether the statement covers every version."""
        return self.range is not None and is_all(self.range)


def is_all(version_range: VersionRange) -> bool:
    """Whether a range covers every version (one unbounded interval, nothing excluded)."""
    return not version_range.excluded and any(
        i.lower is None and i.upper is None for i in version_range.intervals
    )


def all_versions(scheme: str = "generic") -> VersionRange:
    """The range of every version."""
    return VersionRange(scheme, (Interval(),))


def _clean(version: str) -> str | None:
    version = _PREFIX.sub("", version.strip())
    return version if _SAFE_VERSION.match(version) else None


def _bump(prefix: str) -> str:
    numbers = prefix.split(".")
    numbers[-1] = str(int(numbers[-1]) + 1)
    return ".".join(numbers)


def _constraints(part: str) -> list[str] | None:
    part = part.strip()
    if not part:
        return []
    if part in _ALL:
        return ["*"]
    found = _phrase(part)
    if found is not None:
        return _checked(found)
    wildcard = _WILDCARD.match(part)
    if wildcard:
        return [">=" + wildcard[1], "<" + _bump(wildcard[1])]
    return _checked(["=" + part])


def _phrase(part: str) -> list[str] | None:
    """Constraints of an operator or phrase form, None when the part is neither."""
    match = _OP.match(part)
    if match:
        return [("=" if match[1] == "==" else match[1]) + match[2]]
    match = _BEFORE.match(part)
    if match:
        return [("<=" if match[1] == "up to" else "<") + match[2]]
    match = _AFTER.match(part)
    if match:
        later = match[2] in {"later", "after", "above", "newer", "higher"}
        return [(">=" if later else "<=") + match[1]]
    match = _BETWEEN.match(part)
    if match:
        return [">=" + match[1], "<=" + match[2]]
    return None


def _checked(constraints: list[str]) -> list[str] | None:
    out: list[str] = []
    for constraint in constraints:
        op = re.match(r"^(<=|>=|<|>|=)", constraint)
        operator = op[1] if op else "="
        version = _clean(constraint[len(operator) :])
        if version is None:
            return None
        wildcard = _WILDCARD.match(version)
        if wildcard and operator in ("<", "<="):
            version = wildcard[1] if operator == "<" else _bump(wildcard[1])
            operator = "<"
        elif wildcard:
            version = wildcard[1]
        out.append(operator + version)
    return out


@lru_cache(maxsize=16384)
def parse_statement(text: str | None) -> VersionStatement:
    """Parse a CSAF version statement (see the module docstring); never raises."""
    raw = (text or "").strip()
    lowered = " ".join(raw.lower().split())
    if not lowered:
        return VersionStatement(raw, None)
    if lowered in _ALL:
        return VersionStatement(raw, all_versions())
    try:
        if lowered.startswith("vers:"):
            return VersionStatement(raw, parse_vers(lowered).to_version_range())
        constraints: list[str] = []
        for part in lowered.split("|"):
            found = _constraints(part)
            if found is None:
                return VersionStatement(raw, None)
            constraints += found
        if not constraints:
            return VersionStatement(raw, None)
        if "*" in constraints:
            return VersionStatement(raw, all_versions())
        uppers = sum(c.startswith("<") for c in constraints)
        if uppers > 1 and not any(c.startswith(">") for c in constraints):
            return VersionStatement(raw, None)  # several upper bounds: vers would keep one
        vers = parse_vers("vers:generic/" + "|".join(constraints))
        return VersionStatement(raw, vers.to_version_range())
    except VersionError:
        return VersionStatement(raw, None)


def exact_statement(version: str) -> VersionStatement:
    """The statement of one exact version (a product's ``product_version`` branch)."""
    return parse_statement(version)
