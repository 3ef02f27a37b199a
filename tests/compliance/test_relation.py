"""Relation inverse and composition: hand-checked table plus algebraic properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medtrust.compliance.relation import (
    HOP_WEIGHT,
    Relation,
    compose,
    compose_all,
    path_confidence,
)

EQ, SUB, SUP, INT = Relation.EQUAL, Relation.SUBSET, Relation.SUPERSET, Relation.INTERSECT
relations = st.sampled_from(list(Relation))


def test_inverse_table() -> None:
    assert SUB.inverse() is SUP
    assert SUP.inverse() is SUB
    assert EQ.inverse() is EQ
    assert INT.inverse() is INT


def test_composition_table() -> None:
    # written out by hand from the set algebra (brief: equal∘x = x; sub∘sub = sub;
    # sup∘sup = sup; anything else -> intersect)
    expected = {
        (EQ, EQ): EQ,
        (EQ, SUB): SUB,
        (EQ, SUP): SUP,
        (EQ, INT): INT,
        (SUB, EQ): SUB,
        (SUB, SUB): SUB,
        (SUB, SUP): INT,
        (SUB, INT): INT,
        (SUP, EQ): SUP,
        (SUP, SUB): INT,
        (SUP, SUP): SUP,
        (SUP, INT): INT,
        (INT, EQ): INT,
        (INT, SUB): INT,
        (INT, SUP): INT,
        (INT, INT): INT,
    }
    for (first, second), result in expected.items():
        assert compose(first, second) is result, (first, second)


def test_unknown_value_is_rejected() -> None:
    values = {r.value for r in Relation}
    assert values == {"equal", "subset", "superset", "intersect"}


@given(relations)
def test_inverse_is_an_involution(relation: Relation) -> None:
    assert relation.inverse().inverse() is relation


@given(relations)
def test_equal_is_identity(relation: Relation) -> None:
    assert compose(EQ, relation) is relation
    assert compose(relation, EQ) is relation


@given(relations, relations, relations)
def test_composition_is_associative(a: Relation, b: Relation, c: Relation) -> None:
    assert compose(compose(a, b), c) is compose(a, compose(b, c))


@given(relations, relations)
def test_inverse_of_composition_reverses_the_path(a: Relation, b: Relation) -> None:
    assert compose(a, b).inverse() is compose(b.inverse(), a.inverse())


@given(st.lists(relations, max_size=6))
def test_fold_reads_a_path_backwards_consistently(path: list[Relation]) -> None:
    forward = compose_all(path)
    backward = compose_all(r.inverse() for r in reversed(path))
    assert backward is forward.inverse()


@given(st.lists(relations, max_size=6))
def test_fold_result_matches_its_characterisation(path: list[Relation]) -> None:
    non_equal = {r for r in path if r is not EQ}
    result = compose_all(path)
    if not non_equal:
        assert result is EQ
    elif non_equal == {SUB}:
        assert result is SUB
    elif non_equal == {SUP}:
        assert result is SUP
    else:
        assert result is INT


@given(st.lists(relations, max_size=6), relations)
def test_confidence_never_grows_with_a_hop(path: list[Relation], extra: Relation) -> None:
    before = path_confidence(path)
    after = path_confidence([*path, extra])
    assert after <= before
    assert (after == before) == (extra is EQ)


@given(st.lists(relations, max_size=6))
def test_confidence_is_one_only_for_equal_paths(path: list[Relation]) -> None:
    assert (path_confidence(path) == 1.0) == all(r is EQ for r in path)


def test_confidence_examples() -> None:
    assert HOP_WEIGHT[EQ] == 1.0
    assert path_confidence([]) == 1.0
    assert path_confidence([SUB, EQ, INT]) == 0.4
    assert path_confidence([SUP, SUB, INT]) == 0.32
