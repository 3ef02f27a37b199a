"""Contract tests on the packaged catalogues and mapping sets."""

from __future__ import annotations

import importlib
import json
import re
from importlib import resources

import pytest
import yaml

from medtrust.catalog.schema_export import SCHEMA_DIR
from medtrust.compliance import (
    Framework,
    Relation,
    get_framework,
    list_frameworks,
    packaged_library,
)

FILE_FRAMEWORKS = {
    "bsi-cs-132",
    "cra",
    "gdpr",
    "iec-62443-4-1",
    "iec-62443-4-2",
    "iec-81001-5-1",
    "iec-tr-80001-2-2",
    "iso-27001-2022",
    "ivdr",
    "mdcg-2019-16",
    "mdr",
    "nis2",
}

# imported by name: the package ships no type stubs (types-jsonschema is not a dependency)
jsonschema = importlib.import_module("jsonschema")


def _children_refs(framework: Framework, parent_suffix: str) -> list[str]:
    parent = f"urn:medtrust:req:{framework.id}:{parent_suffix}"
    return [n.ref_id for n in framework.children(parent)]


def _packaged_files(directory: str) -> list[tuple[str, object]]:
    root = resources.files("medtrust.catalog").joinpath("data", directory)
    return [
        (entry.name, yaml.safe_load(entry.read_text(encoding="utf-8")))
        for entry in sorted(root.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    ]


@pytest.mark.parametrize(
    ("directory", "schema"),
    [("frameworks", "framework.schema.json"), ("mappings", "mapping.schema.json")],
)
def test_packaged_files_validate_against_committed_schema(directory: str, schema: str) -> None:
    validator = jsonschema.Draft202012Validator(
        json.loads((SCHEMA_DIR / schema).read_text(encoding="utf-8"))
    )
    files = _packaged_files(directory)
    assert files
    for name, data in files:
        as_json = json.loads(json.dumps(data, default=str))
        errors = sorted(validator.iter_errors(as_json), key=lambda e: list(e.path))
        assert not errors, f"{name}: {errors[0].message}"


def test_every_file_framework_is_packaged() -> None:
    ids = {f.id for f in list_frameworks()}
    assert ids >= FILE_FRAMEWORKS
    assert [f.id for f in list_frameworks()] == sorted(ids)


def test_every_framework_has_provenance() -> None:
    for framework in list_frameworks():
        assert framework.version
        assert framework.licence
        assert framework.source
        if framework.id in FILE_FRAMEWORKS:
            assert framework.publication_date is not None
            assert framework.origin == f"catalog/data/frameworks/{framework.id}.yaml"


def test_every_node_is_well_formed_and_its_parent_resolves() -> None:
    for framework in list_frameworks():
        prefix = f"urn:medtrust:req:{framework.id}:"
        urns = {n.urn for n in framework.nodes}
        assert len(urns) == len(framework.nodes)
        for node in framework.nodes:
            assert node.urn.startswith(prefix), node.urn
            assert node.framework == framework.id
            assert node.ref_id.strip() == node.ref_id and node.ref_id
            assert len(node.description) >= 3, node.urn
            assert node.source
            if node.parent is None:
                assert node.depth == 1
            else:
                parent = framework.get(node.parent)
                assert parent is not None, node.urn
                assert node.depth == parent.depth + 1
                assert parent.order < node.order, f"{node.urn} listed before its parent"


def test_unverified_nodes_explain_themselves() -> None:
    for framework in list_frameworks():
        for node in framework.nodes:
            if not node.verified:
                assert node.note or framework.note, node.urn


def test_iso_27001_annex_a_has_93_controls_in_four_themes() -> None:
    iso = get_framework("iso-27001-2022")
    assert len(iso.assessable()) == 93
    counts = {theme: len(_children_refs(iso, f"a.{theme}")) for theme in "5678"}
    assert counts == {"5": 37, "6": 8, "7": 14, "8": 34}
    for theme, count in counts.items():
        expected = [f"A.{theme}.{i}" for i in range(1, count + 1)]
        assert _children_refs(iso, f"a.{theme}") == expected
    crypto = iso.get("urn:medtrust:req:iso-27001-2022:a.8.24")
    assert crypto is not None and crypto.name == "Use of cryptography"


def test_nis2_article_21_2_has_items_a_to_j() -> None:
    nis2 = get_framework("nis2")
    assert _children_refs(nis2, "21.2") == [f"Art. 21(2)({c})" for c in "abcdefghij"]


def test_tr_80001_2_2_has_the_19_capability_codes() -> None:
    tr = get_framework("iec-tr-80001-2-2")
    codes = [n.ref_id for n in tr.assessable()]
    assert codes == [
        "ALOF",
        "AUDT",
        "AUTH",
        "CNFS",
        "CSUP",
        "DIDT",
        "DTBK",
        "EMRG",
        "IGAU",
        "MLDP",
        "NAUT",
        "PAUT",
        "PLOK",
        "RDMP",
        "SAHD",
        "SGUD",
        "STCF",
        "TXCF",
        "TXIG",
    ]
    assert [n.source for n in tr.assessable()][:2] == [
        "IEC TR 80001-2-2:2012, 5.1",
        "IEC TR 80001-2-2:2012, 5.2",
    ]


def test_iec_62443_4_1_has_47_requirements_in_8_practices() -> None:
    fw = get_framework("iec-62443-4-1")
    sizes = {"SM": 13, "SR": 5, "SD": 4, "SI": 2, "SVV": 5, "DM": 6, "SUM": 5, "SG": 7}
    for practice, size in sizes.items():
        assert _children_refs(fw, practice) == [f"{practice}-{i}" for i in range(1, size + 1)]
    assert len(fw.assessable()) == 47


def test_iec_62443_4_2_component_requirements_per_fr() -> None:
    fw = get_framework("iec-62443-4-2")
    sizes = {1: 14, 2: 13, 3: 14, 4: 3, 5: 4, 6: 2, 7: 8}
    for fr, size in sizes.items():
        assert _children_refs(fw, f"FR{fr}") == [f"CR {fr}.{i}" for i in range(1, size + 1)]
    assert _children_refs(fw, "CCSC") == ["CCSC 1", "CCSC 2", "CCSC 3", "CCSC 4"]


def test_cra_annex_i_parts() -> None:
    cra = get_framework("cra")
    letters = _children_refs(cra, "annex-i:part-i:2")
    assert letters == [f"Annex I, Part I (2)({c})" for c in "abcdefghijklm"]
    part2 = _children_refs(cra, "annex-i:part-ii")
    assert part2 == [f"Annex I, Part II ({i})" for i in range(1, 9)]


def test_gdpr_article_32() -> None:
    gdpr = get_framework("gdpr")
    assert _children_refs(gdpr, "32.1") == [f"Art. 32(1)({c})" for c in "abcd"]
    assert {"Art. 32(2)", "Art. 32(4)"} <= set(_children_refs(gdpr, "art-32"))


def test_mdr_and_ivdr_it_security_clauses_are_present() -> None:
    mdr = get_framework("mdr")
    refs = {n.ref_id for n in mdr.assessable()}
    assert {"14.2(d)", "17.1", "17.2", "17.4", "18.8", "23.4(ab)"} <= refs
    ivdr = get_framework("ivdr")
    ivdr_refs = {n.ref_id for n in ivdr.assessable()}
    assert {"13.2(d)", "16.1", "16.2", "16.4"} <= ivdr_refs
    assert not any(ref.startswith("18") for ref in ivdr_refs), "IVDR has no 18.8 counterpart"
    uncertain = ivdr.get("urn:medtrust:req:ivdr:annex-i:20.4.1.ah")
    assert uncertain is not None and not uncertain.verified and uncertain.note


def test_mdcg_operator_annex_has_the_eleven_nis_domains() -> None:
    mdcg = get_framework("mdcg-2019-16")
    domains = [
        n.ref_id
        for n in mdcg.assessable()
        if n.urn.startswith("urn:medtrust:req:mdcg-2019-16:annex-i:")
    ]
    expected = ["1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "4.1", "4.2"]
    assert domains == [f"Annex I, {d}" for d in expected]


def test_every_mapping_endpoint_exists_in_its_declared_framework() -> None:
    library = packaged_library()
    assert library.mapping_sets
    for mapping_set in library.mapping_sets:
        assert mapping_set.mappings, mapping_set.id
        source = library.framework(mapping_set.source_framework)
        target = library.framework(mapping_set.target_framework)
        for mapping in mapping_set.mappings:
            assert mapping.source in source, mapping.explain()
            assert mapping.target in target, mapping.explain()
            assert not mapping.inverse
            assert len(mapping.rationale) > 10


def test_forward_and_inverse_edges_are_consistent() -> None:
    library = packaged_library()
    for mapping_set in library.mapping_sets:
        for stated in mapping_set.mappings:
            leaving = library.mappings_from(stated.source)
            assert any(
                e.target == stated.target and e.relation is stated.relation for e in leaving
            ), stated.explain()
            back = library.mappings_from(stated.target)
            inverse = [e for e in back if e.target == stated.source]
            assert len(inverse) == 1
            assert inverse[0].relation is stated.relation.inverse()
            arriving = library.mappings_to(stated.source)
            assert inverse[0] in arriving


def test_edge_index_is_symmetric_and_sorted() -> None:
    library = packaged_library()
    for framework in library.frameworks.values():
        for node in framework.nodes:
            leaving = library.mappings_from(node.urn)
            assert list(leaving) == sorted(leaving, key=lambda e: (e.source, e.target))
            for edge in leaving:
                assert edge.source == node.urn
                assert edge in library.mappings_to(edge.target)
                reverse = [e for e in library.mappings_from(edge.target) if e.target == node.urn]
                assert [e.relation for e in reverse] == [edge.relation.inverse()]


def test_mapping_relations_use_the_vocabulary() -> None:
    for mapping_set in packaged_library().mapping_sets:
        for mapping in mapping_set.mappings:
            assert isinstance(mapping.relation, Relation)


def test_packaged_text_is_not_copied_from_sources() -> None:
    # A coarse guard against pasting legal or standard text: our paraphrases stay short.
    long_sentence = re.compile(r"[^.;]{320,}")
    for framework in list_frameworks():
        for node in framework.nodes:
            assert not long_sentence.search(node.description), node.urn
