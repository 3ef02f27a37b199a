"""Set-theory relations between requirements, their inverse, composition and hop weights.

A mapping ``A --r--> B`` states how the scope of requirement A relates to the scope of B
(NIST OLIR / OSCAL vocabulary, as used by CISO Assistant):

* ``equal``: A and B ask for the same thing;
* ``subset``: everything A asks for is also asked by B (A is narrower);
* ``superset``: A asks for everything B asks, and more (A is broader);
* ``intersect``: they overlap without either containing the other.

Composition follows the set algebra where it is sound and falls back to ``intersect`` (which then
only means "may overlap") everywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from functools import reduce


class Relation(StrEnum):
    """How the source requirement's scope relates to the target's."""

    EQUAL = "equal"
    SUBSET = "subset"
    SUPERSET = "superset"
    INTERSECT = "intersect"

    def inverse(self) -> Relation:
        """The relation read from target to source (subset <-> superset; others symmetric)."""
        if self is Relation.SUBSET:
            return Relation.SUPERSET
        if self is Relation.SUPERSET:
            return Relation.SUBSET
        return self


#: Confidence factor of one hop. The confidence of a path is the product of its hops' factors:
#: equal keeps it, a one-sided containment costs 20 %, a mere overlap halves it.
HOP_WEIGHT: dict[Relation, float] = {
    Relation.EQUAL: 1.0,
    Relation.SUBSET: 0.8,
    Relation.SUPERSET: 0.8,
    Relation.INTERSECT: 0.5,
}


def compose(first: Relation, second: Relation) -> Relation:
    """Relation of A to C given ``A first B`` and ``B second C``.

    ``equal`` is the identity; subset∘subset = subset; superset∘superset = superset; any other
    combination gives ``intersect``.
    """
    if first is Relation.EQUAL:
        return second
    if second is Relation.EQUAL:
        return first
    if first is second and first in (Relation.SUBSET, Relation.SUPERSET):
        return first
    return Relation.INTERSECT


def compose_all(relations: Iterable[Relation]) -> Relation:
    """Fold :func:`compose` over a path (an empty path is ``equal``)."""
    return reduce(compose, relations, Relation.EQUAL)


def path_confidence(relations: Iterable[Relation]) -> float:
    """Product of :data:`HOP_WEIGHT` over the hops of a path, rounded to 4 decimals."""
    value = 1.0
    for relation in relations:
        value *= HOP_WEIGHT[relation]
    return round(value, 4)
