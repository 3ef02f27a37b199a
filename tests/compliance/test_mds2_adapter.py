"""The MDS2 questionnaire presented as a catalogue, and the form's own mapping column."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from medtrust.compliance import Relation, infer, packaged_library
from medtrust.compliance.mds2_adapter import mds2_form_mappings, mds2_framework, node_urn
from medtrust.domain.mds2 import AnswerKind, Polarity, Question, Section

TR = "iec-tr-80001-2-2-2012"


def _question(
    qid: str, order: int, section: str, parent: str | None, depth: int, cell: str | None
) -> Question:
    codes = (cell.split(", ")[1],) if cell else ()
    return Question(
        id=qid,
        order=order,
        section=section,
        parent=parent,
        depth=depth,
        description=f"our paraphrase of {qid}",
        kind=AnswerKind.CHOICE,
        polarity=Polarity.YES_PROTECTS,
        mappings={TR: codes, "nist-sp-800-53-r4": ()},
        mappings_raw={TR: cell, "nist-sp-800-53-r4": None},
    )


@dataclass(frozen=True)
class SmallCatalogue:
    """A hand-built questionnaire with the attributes the adapter needs."""

    questions: Sequence[Question]
    sections: Sequence[Section]


def _small() -> SmallCatalogue:
    return SmallCatalogue(
        sections=(
            Section(code="ALOF", title="AUTOMATIC LOGOFF (ALOF)", description="TODO", order=1),
            Section(
                code="CSUP",
                title="CYBER SECURITY PRODUCT UPGRADES (CSUP)",
                description="x" * 5,
                order=2,
            ),
        ),
        questions=(
            _question("ALOF-1", 1, "ALOF", None, 1, "Section 5.1, ALOF"),
            _question("ALOF-2", 2, "ALOF", None, 1, "Section 5.1, ALOF"),
            _question("CSUP-1", 3, "CSUP", None, 1, None),
            _question("CSUP-1.1", 4, "CSUP", "CSUP-1", 2, None),
        ),
    )


def test_sections_and_questions_become_nodes_with_parent_links() -> None:
    framework = mds2_framework(_small())
    assert [n.ref_id for n in framework.nodes] == [
        "ALOF",
        "CSUP",
        "ALOF-1",
        "ALOF-2",
        "CSUP-1",
        "CSUP-1.1",
    ]
    sub = framework.get("urn:medtrust:req:mds2-2019:CSUP-1.1")
    assert sub is not None
    assert sub.parent == "urn:medtrust:req:mds2-2019:CSUP-1"
    assert sub.depth == 3
    top = framework.get("urn:medtrust:req:mds2-2019:ALOF-1")
    assert top is not None and top.parent == "urn:medtrust:req:mds2-2019:ALOF"
    section = framework.get("urn:medtrust:req:mds2-2019:ALOF")
    assert section is not None and not section.assessable
    # placeholder descriptions are not passed off as content
    assert section.description == "MDS2 section ALOF"
    assert [n.ref_id for n in framework.assessable()] == ["ALOF-1", "ALOF-2", "CSUP-1", "CSUP-1.1"]


def test_form_column_gives_question_subsets_and_section_equal() -> None:
    capabilities = {"ALOF": "urn:x:ALOF", "CSUP": "urn:x:CSUP"}
    mapping_set = mds2_form_mappings(_small(), capabilities)
    pairs = [(m.source, m.target, m.relation) for m in mapping_set.mappings]
    assert pairs == [
        (node_urn("ALOF-1"), "urn:x:ALOF", Relation.SUBSET),
        (node_urn("ALOF-2"), "urn:x:ALOF", Relation.SUBSET),
        (node_urn("ALOF"), "urn:x:ALOF", Relation.EQUAL),
    ]
    assert "Section 5.1, ALOF" in mapping_set.mappings[0].rationale


@pytest.mark.skipif(
    importlib.util.find_spec("medtrust.catalog.mds2") is None,
    reason="medtrust.catalog.mds2 (the packaged MDS2 questionnaire loader) is not there yet",
)
def test_packaged_mds2_catalogue_is_presented() -> None:
    from medtrust.catalog.mds2 import load_mds2_catalogue

    catalogue = load_mds2_catalogue()
    library = packaged_library()
    framework = library.framework("mds2-2019")
    assert len(framework.assessable()) == len(catalogue.questions)
    assert [n.ref_id for n in framework.assessable()] == [q.id for q in catalogue.questions]
    for node in framework.nodes:
        assert node.parent is None or node.parent in framework
    # every capability section of the form is equal to its TR capability
    tr_codes = {n.ref_id for n in library.framework("iec-tr-80001-2-2").assessable()}
    section_codes = {s.code for s in catalogue.sections}
    for code in sorted(section_codes & tr_codes):
        edges = library.mappings_from(node_urn(code))
        to_tr = [e for e in edges if e.target == f"urn:medtrust:req:iec-tr-80001-2-2:{code}"]
        assert [e.relation for e in to_tr] == [Relation.EQUAL], code
    # sections the form's column leaves empty are completed by the packaged mapping file
    for code in ("CONN", "SBOM", "RMOT"):
        assert library.mappings_from(node_urn(code)), code


@pytest.mark.skipif(
    importlib.util.find_spec("medtrust.catalog.mds2") is None,
    reason="medtrust.catalog.mds2 (the packaged MDS2 questionnaire loader) is not there yet",
)
def test_mds2_question_reaches_mdr_through_tr() -> None:
    results = infer(node_urn("ALOF-1"), "mdr", max_hops=2)
    by_target = {r.target: r for r in results}
    hit = by_target["urn:medtrust:req:mdr:annex-i:18.8"]
    assert [m.target for m in hit.path] == [
        "urn:medtrust:req:iec-tr-80001-2-2:ALOF",
        "urn:medtrust:req:mdr:annex-i:18.8",
    ]
    assert hit.relation is Relation.SUBSET
    assert hit.confidence == pytest.approx(0.8 * 0.8)
