"""Multi-hop inference: hand-computed cases on a tiny graph and properties on packaged data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtrust.compliance import (
    Relation,
    UnknownFrameworkError,
    UnknownNodeError,
    compose_all,
    infer,
    packaged_library,
    path_confidence,
)
from tests.compliance.graph import diamond

A1 = "urn:medtrust:req:a:1"
C1, C2 = "urn:medtrust:req:c:1", "urn:medtrust:req:c:2"


def test_best_path_per_target_with_hand_computed_confidence() -> None:
    results = infer(A1, "c", max_hops=3, library=diamond())
    assert [(r.target, r.relation, r.confidence, r.hops) for r in results] == [
        # a:1 =equal=> b:1 =subset=> c:1 : 1.0 x 0.8 (beats intersect x equal = 0.5)
        (C1, Relation.SUBSET, 0.8, 2),
        # a:1 =intersect=> b:2 =superset=> c:2 : 0.5 x 0.8
        (C2, Relation.INTERSECT, 0.4, 2),
    ]
    first = results[0]
    assert [m.target for m in first.path] == ["urn:medtrust:req:b:1", C1]
    text = first.explain()
    assert "a-to-b" in text and "b-to-c" in text and "0.8000" in text


def test_longer_path_wins_when_it_is_more_confident() -> None:
    # with 4 hops: a:1 =eq=> b:1 =sub=> c:1 =eq(inverse)=> b:2 =sup=> c:2 : 0.8 x 0.8 = 0.64
    results = {r.target: r for r in infer(A1, "c", max_hops=4, library=diamond())}
    assert results[C2].confidence == 0.64
    assert results[C2].relation is Relation.INTERSECT
    assert results[C2].hops == 4
    assert results[C2].path[2].inverse


def test_max_hops_limits_the_search() -> None:
    assert infer(A1, "c", max_hops=1, library=diamond()) == ()
    assert [r.target for r in infer(A1, "b", max_hops=1, library=diamond())] == [
        "urn:medtrust:req:b:1",
        "urn:medtrust:req:b:2",
    ]
    with pytest.raises(ValueError, match="max_hops"):
        infer(A1, "c", max_hops=0, library=diamond())


def test_unknown_source_or_target() -> None:
    with pytest.raises(UnknownNodeError):
        infer("urn:medtrust:req:a:9", "c", library=diamond())
    with pytest.raises(UnknownFrameworkError):
        infer(A1, "zz", library=diamond())


def test_packaged_equal_mapping_keeps_full_confidence() -> None:
    results = infer("urn:medtrust:req:nis2:21.2.h", "iso-27001-2022")
    assert results[0].target == "urn:medtrust:req:iso-27001-2022:a.8.24"
    assert results[0].relation is Relation.EQUAL
    assert results[0].confidence == 1.0


def test_no_result_without_a_connecting_path() -> None:
    # MDR and NIS2 are not linked by any mapping set: there must be no result.
    assert infer("urn:medtrust:req:mdr:annex-i:18.8", "nis2") == ()


def _all_urns() -> list[str]:
    library = packaged_library()
    return sorted(n.urn for f in library.frameworks.values() for n in f.nodes)


@settings(max_examples=60, deadline=None)
@given(
    source=st.sampled_from(_all_urns()),
    target=st.sampled_from(sorted(packaged_library().frameworks)),
    max_hops=st.integers(min_value=1, max_value=3),
)
def test_every_inferred_result_explains_itself(source: str, target: str, max_hops: int) -> None:
    library = packaged_library()
    results = infer(source, target, max_hops)
    keys = [(-r.confidence, r.hops, r.target) for r in results]
    assert keys == sorted(keys)
    assert len({r.target for r in results}) == len(results)
    for result in results:
        assert 1 <= result.hops <= max_hops
        assert result.path[0].source == source
        assert result.path[-1].target == result.target
        visited = [source] + [m.target for m in result.path]
        assert len(set(visited)) == len(visited)
        for before, after in zip(result.path, result.path[1:], strict=False):
            assert before.target == after.source
        relations = [m.relation for m in result.path]
        assert result.relation is compose_all(relations)
        assert result.confidence == path_confidence(relations)
        assert library.node(result.target).framework == target
        for hop in result.path:
            assert hop in library.mappings_from(hop.source)
