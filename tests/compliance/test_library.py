"""The query API and the library's refusal of duplicates and contradictions."""

from __future__ import annotations

import pytest

from medtrust.compliance import (
    ConflictingMappingError,
    DuplicateUrnError,
    Relation,
    UnknownFrameworkError,
    UnknownNodeError,
    build_library,
    get_framework,
    get_node,
    list_frameworks,
    mappings_from,
    mappings_to,
)
from medtrust.errors import NotFoundError
from tests.compliance.graph import diamond, framework, mapping_set


def test_query_api_on_packaged_data() -> None:
    ids = [f.id for f in list_frameworks()]
    assert ids == sorted(ids)
    assert get_framework("nis2").ref_id.startswith("Directive (EU) 2022/2555")
    node = get_node("urn:medtrust:req:mdr:annex-i:17.2")
    assert node.ref_id == "17.2"
    assert node.framework == "mdr"
    assert node.parent == "urn:medtrust:req:mdr:annex-i:17"
    leaving = mappings_from("urn:medtrust:req:nis2:21.2.h")
    crypto = [e for e in leaving if e.target == "urn:medtrust:req:iso-27001-2022:a.8.24"]
    assert [(e.relation, e.inverse) for e in crypto] == [(Relation.EQUAL, False)]
    arriving = mappings_to("urn:medtrust:req:iso-27001-2022:a.8.24")
    assert any(e.source == "urn:medtrust:req:nis2:21.2.h" for e in arriving)
    back = mappings_from("urn:medtrust:req:iso-27001-2022:a.5.24")
    assert [(e.target, e.relation, e.inverse) for e in back] == [
        ("urn:medtrust:req:nis2:21.2.b", Relation.SUBSET, True)
    ]


def test_unknown_lookups_raise_not_found() -> None:
    with pytest.raises(UnknownFrameworkError, match="no-such"):
        get_framework("no-such")
    with pytest.raises(UnknownNodeError, match="urn:medtrust:req:mdr:annex-i:99"):
        get_node("urn:medtrust:req:mdr:annex-i:99")
    with pytest.raises(NotFoundError):
        mappings_from("urn:medtrust:req:nope:1")
    with pytest.raises(NotFoundError):
        mappings_to("urn:medtrust:req:nope:1")


def test_inverse_edges_are_derived() -> None:
    library = diamond()
    edges = library.mappings_from("urn:medtrust:req:c:2")
    assert [(e.target, e.relation, e.inverse) for e in edges] == [
        ("urn:medtrust:req:b:2", Relation.SUBSET, True)
    ]
    assert "inverse of stated" in edges[0].explain()


def test_contradicting_mapping_sets_are_refused() -> None:
    fws = {f: framework(f, ["1"]) for f in ("a", "b")}
    forward = mapping_set("a-to-b", "a", "b", [("1", "subset", "1")], fws)
    backward = mapping_set("b-to-a", "b", "a", [("1", "subset", "1")], fws)
    with pytest.raises(ConflictingMappingError) as info:
        build_library(fws.values(), [forward, backward])
    assert "b-to-a.yaml" in str(info.value) or "a-to-b.yaml" in str(info.value)
    assert "urn:medtrust:req:a:1" in str(info.value)


def test_agreeing_statements_in_both_directions_are_merged() -> None:
    fws = {f: framework(f, ["1"]) for f in ("a", "b")}
    forward = mapping_set("a-to-b", "a", "b", [("1", "subset", "1")], fws)
    backward = mapping_set("b-to-a", "b", "a", [("1", "superset", "1")], fws)
    library = build_library(fws.values(), [forward, backward])
    edges = library.mappings_from("urn:medtrust:req:b:1")
    assert [(e.relation, e.inverse, e.mapping_set) for e in edges] == [
        (Relation.SUPERSET, False, "b-to-a")
    ]


def test_duplicate_framework_and_urn_across_frameworks() -> None:
    with pytest.raises(DuplicateUrnError, match="framework a"):
        build_library([framework("a", ["1"]), framework("a", ["2"])], [])
    clash = framework("b", ["1"], namespace="a")
    with pytest.raises(DuplicateUrnError, match="urn:medtrust:req:a:1"):
        build_library([framework("a", ["1"]), clash], [])
