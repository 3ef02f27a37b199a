from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.catalog.schema_export import SCHEMA_DIR
from medtrust.compliance.applicability import applicability_rules, check_rules
from medtrust.compliance.data_files import (
    mds2_evidence_rules,
    product_evidence_rules,
    validate_model,
)
from medtrust.compliance.errors import CatalogueSchemaError, DanglingReferenceError
from medtrust.compliance.evidence import Signal
from medtrust.compliance.evidence_files import Mds2EvidenceFile
from medtrust.compliance.library import packaged_library
from medtrust.compliance.mds2_evidence import anchor_of, question_evidence
from medtrust.domain.mds2 import AnswerKind, Polarity

DATA = Path(__file__).resolve().parents[2] / "src" / "medtrust" / "catalog" / "data"


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("evidence-mds2", "evidence/mds2-answers.yaml"),
        ("evidence-product", "evidence/product.yaml"),
        ("applicability", "applicability/eu.yaml"),
    ],
)
def test_packaged_files_validate_against_committed_schema(schema: str, path: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(
        json.loads((SCHEMA_DIR / f"{schema}.schema.json").read_text(encoding="utf-8"))
    )
    validator.validate(yaml.safe_load((DATA / path).read_text(encoding="utf-8")))


def test_every_reference_of_the_packaged_rules_resolves() -> None:
    library = packaged_library()
    rules = product_evidence_rules()
    urns = [r.urn for r in rules.sbom.requirements]
    urns += [r.urn for p in rules.processes for r in p.requirements]
    assert urns and all(library.has_node(u) for u in urns)
    assert all(c.framework in library.frameworks for c in rules.certificates)
    applicability = applicability_rules()
    assert all(f.framework in library.frameworks for f in applicability.frameworks)


def test_a_dangling_rule_reference_is_refused_with_file_and_element() -> None:
    rules = applicability_rules().model_dump(by_alias=True)
    rules["frameworks"][0]["rules"][0]["when"] = {"fact": "product.no_such_fact", "equals": True}
    from medtrust.compliance.applicability_files import ApplicabilityFile

    broken = ApplicabilityFile.model_validate(rules)
    with pytest.raises(DanglingReferenceError) as info:
        check_rules(broken, "eu.yaml", packaged_library().frameworks)
    assert str(info.value).startswith("eu.yaml: rule mdr-not-a-device: unknown fact")


def test_incomplete_signal_table_is_refused() -> None:
    data = mds2_evidence_rules().model_dump(mode="json")
    del data["signals"]["yes-protects"]["See Note"]
    with pytest.raises(CatalogueSchemaError) as info:
        validate_model(Mds2EvidenceFile, data, "mds2-answers.yaml")
    assert "See Note" in str(info.value)
    assert "\n" not in str(info.value)


def test_answer_signals_follow_polarity_for_every_choice_question() -> None:
    rules = mds2_evidence_rules()
    library = packaged_library()
    catalogue = load_mds2_catalogue()
    expected = {
        (Polarity.YES_PROTECTS, "Yes"): Signal.POSITIVE,
        (Polarity.YES_PROTECTS, "No"): Signal.NEGATIVE,
        (Polarity.YES_PROTECTS, "N/A"): Signal.NOT_APPLICABLE,
        (Polarity.YES_PROTECTS, "See Note"): Signal.REVIEW,
        (Polarity.YES_PROTECTS, None): Signal.NEGATIVE,
        (Polarity.YES_EXPOSES, "Yes"): Signal.CONTEXT,
        (Polarity.NEUTRAL, "No"): Signal.CONTEXT,
    }
    checked = 0
    for question in catalogue.questions:
        if question.kind is not AnswerKind.CHOICE:
            continue
        for (polarity, answer), signal in expected.items():
            if question.polarity is polarity:
                item = question_evidence(
                    question, answer, None, rules=rules, library=library, source="t"
                )
                assert item.signal is signal, (question.id, answer)
                assert question.id in item.statement
                assert (item.remedy == "") is (
                    signal in (Signal.POSITIVE, Signal.CONTEXT, Signal.NOT_APPLICABLE)
                )
                checked += 1
    assert checked > 500


def test_anchor_is_the_nearest_node_with_mappings() -> None:
    library = packaged_library()
    for node in library.framework("mds2-2019").nodes:
        anchor = anchor_of(node.urn, library)
        if library.mappings_from(node.urn):
            assert anchor == node.urn
        elif anchor != node.urn:
            assert library.mappings_from(anchor)
            walk, parent = [], node.parent
            while parent is not None:
                walk.append(parent)
                parent = library.node(parent).parent
            assert anchor in walk
            assert all(not library.mappings_from(p) for p in walk[: walk.index(anchor)])
