"""The packaged HN 1-2019 questionnaire: counts, structure, rules, own wording, schema."""

from __future__ import annotations

import copy
import csv
import difflib
import importlib
import json
import re
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.catalog.mds2 import (
    CATALOGUE_FILE,
    Mds2Catalogue,
    load_mds2_catalogue,
    normalise_mapping_cell,
    parse_catalogue_data,
)
from medtrust.catalog.resources import read_packaged_yaml
from medtrust.catalog.schema_export import SCHEMAS, render_schema, schema_path
from medtrust.domain.mds2 import AnswerKind, AnswerValue, Polarity
from medtrust.errors import CatalogError
from tests.shared_data import shared_file

NIST = "nist-sp-800-53-r4"
ISO = "iso-27002-2013"
IEC = "iec-tr-80001-2-2-2012"

# (IDs, top-level IDs) per section, from shared/reference/mds2.md §2.2 (counted in the workbook)
SECTION_COUNTS = {
    "DOC": (15, 11),
    "MPII": (22, 3),
    "ALOF": (2, 2),
    "AUDT": (30, 8),
    "AUTH": (8, 5),
    "CSUP": (34, 11),
    "DIDT": (2, 1),
    "DTBK": (6, 6),
    "EMRG": (1, 1),
    "IGAU": (2, 2),
    "MLDP": (15, 5),
    "NAUT": (4, 3),
    "CONN": (19, 8),
    "PAUT": (16, 14),
    "PLOK": (4, 4),
    "RDMP": (4, 4),
    "SBOM": (8, 4),
    "SAHD": (22, 16),
    "SGUD": (5, 4),
    "STCF": (7, 4),
    "TXCF": (6, 5),
    "TXIG": (2, 2),
    "RMOT": (6, 3),
    "OTHR": (0, 0),
}


@pytest.fixture(scope="module")
def catalogue() -> Mds2Catalogue:
    return load_mds2_catalogue()


def _raw() -> dict[str, Any]:
    data = read_packaged_yaml(CATALOGUE_FILE)
    assert isinstance(data, dict)
    return copy.deepcopy(data)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


# --- counts and structure -----------------------------------------------------------------


def test_240_ids_15_doc_225_others(catalogue: Mds2Catalogue) -> None:
    ids = catalogue.ids
    assert len(ids) == 240
    assert len(set(ids)) == 240
    assert sum(1 for i in ids if i.startswith("DOC-")) == 15
    assert sum(1 for i in ids if not i.startswith("DOC-")) == 225


def test_sections_are_the_doc_block_plus_the_23_form_sections(catalogue: Mds2Catalogue) -> None:
    codes = [s.code for s in catalogue.sections]
    assert codes == list(SECTION_COUNTS)
    assert len([c for c in codes if c != "DOC"]) == 23
    assert [s.order for s in catalogue.sections] == list(range(1, 25))
    assert catalogue.section("DOC") is not None
    doc = catalogue.section("DOC")
    assert doc is not None and doc.title == ""
    othr = catalogue.section("OTHR")
    assert othr is not None and othr.title == "OTHER SECURITY CONSIDERATIONS (OTHR)"


@pytest.mark.parametrize(("code", "counts"), sorted(SECTION_COUNTS.items()))
def test_per_section_counts(catalogue: Mds2Catalogue, code: str, counts: tuple[int, int]) -> None:
    questions = catalogue.section_questions(code)
    assert (len(questions), sum(1 for q in questions if q.parent is None)) == counts


def test_questions_are_grouped_by_section_in_section_order(catalogue: Mds2Catalogue) -> None:
    order = {s.code: s.order for s in catalogue.sections}
    seen = [order[q.section] for q in catalogue.questions]
    assert seen == sorted(seen)
    assert [q.order for q in catalogue.questions] == list(range(1, 241))


def test_parents_resolve_within_their_section_and_match_the_numbering(
    catalogue: Mds2Catalogue,
) -> None:
    for q in catalogue.questions:
        dots = q.id.count(".")
        assert q.depth == dots + 1, q.id
        if q.parent is None:
            assert dots == 0, q.id
            continue
        parent = catalogue.get(q.parent)
        assert parent is not None, q.id
        assert parent.section == q.section, q.id
        assert parent.order < q.order, q.id
        assert q.parent == q.id.rsplit(".", 1)[0], q.id
        assert q in catalogue.children(q.parent)


def test_id_prefix_is_the_section_except_the_shad_15_typo(catalogue: Mds2Catalogue) -> None:
    odd = [q.id for q in catalogue.questions if q.id.split("-", 1)[0] != q.section]
    assert odd == ["SHAD-15"]
    shad = catalogue.get("SHAD-15")
    assert shad is not None and shad.section == "SAHD" and shad.aliases == ("SAHD-15",)
    assert catalogue.resolve_id(" sahd-15 ") == "SHAD-15"
    assert catalogue.resolve_id("AUDT-02.08.1") == "AUDT-2.8.1"
    assert catalogue.resolve_id("XXXX-1") is None


def test_answer_kinds(catalogue: Mds2Catalogue) -> None:
    kinds = {q.id: q.kind for q in catalogue.questions}
    assert [i for i, k in kinds.items() if k is AnswerKind.TEXT] == [
        f"DOC-{n}" for n in range(1, 7)
    ]
    assert [i for i, k in kinds.items() if k is AnswerKind.DATE] == ["DOC-7"]


def test_ids_parents_and_mapping_cells_match_the_reference_csv(
    catalogue: Mds2Catalogue,
) -> None:
    path = shared_file("mds2/reference-question-catalogue.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["question_id"] for r in rows] == list(catalogue.ids)
    columns = {IEC: "iec_tr_80001_2_2_2012", NIST: "nist_sp_800_53_rev4", ISO: "iso_27002_2013"}
    for row in rows:
        q = catalogue.get(row["question_id"])
        assert q is not None
        assert q.section == row["section"]
        assert (q.parent or "") == row["parent_id"]
        assert q.depth == int(row["depth"])
        for standard, column in columns.items():
            assert (q.mappings_raw[standard] or "") == row[column], (q.id, standard)


# --- descriptions: our own words -------------------------------------------------------------


def test_every_section_and_question_has_an_own_one_line_description(
    catalogue: Mds2Catalogue,
) -> None:
    texts = [s.description for s in catalogue.sections] + [
        q.description for q in catalogue.questions
    ]
    for text in texts:
        assert text.strip() == text and "\n" not in text and "TODO" not in text
        assert 10 <= len(text) <= 130, text
    assert len({q.description for q in catalogue.questions}) == 240


def _workbook_question_text(catalogue: Mds2Catalogue) -> dict[str, str]:
    path = shared_file("mds2/nema-example-mds2-2019.xlsx")
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        sheet = workbook["mds2-form"]
        found: dict[str, str] = {}
        for cell_a, cell_b in sheet.iter_rows(min_col=1, max_col=2, values_only=True):
            if isinstance(cell_a, str) and isinstance(cell_b, str):
                qid = catalogue.resolve_id(cell_a)
                if qid is not None:
                    found[qid] = cell_b
        return found
    finally:
        workbook.close()


def test_descriptions_are_neither_the_form_text_nor_the_reference_paraphrase(
    catalogue: Mds2Catalogue,
) -> None:
    path = shared_file("mds2/reference-question-catalogue.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        paraphrase = {r["question_id"]: r["paraphrase"] for r in csv.DictReader(handle)}
    form_text = _workbook_question_text(catalogue)
    assert len(form_text) == 240
    for q in catalogue.questions:
        mine = _norm(q.description)
        for other in (paraphrase[q.id], form_text[q.id]):
            assert mine != _norm(other), q.id
            ratio = difflib.SequenceMatcher(None, mine, _norm(other)).ratio()
            assert ratio < 0.8, (q.id, q.description, other)


# --- polarity ---------------------------------------------------------------------------------


def test_polarity_of_the_known_exceptions(catalogue: Mds2Catalogue) -> None:
    # shared/reference/mds2.md §2.8: "Yes" signals more exposure for these
    for qid in ("AUTH-3", "SAHD-12", "AUDT-1.2", "RMOT-1.3", "CONN-4", "CONN-6", "DTBK-1"):
        q = catalogue.get(qid)
        assert q is not None and q.polarity is Polarity.YES_EXPOSES, qid
    # the protective examples of the form's own security capabilities
    for qid in ("ALOF-1", "PAUT-8", "STCF-1", "TXCF-2", "MLDP-2", "SBOM-1", "DOC-8"):
        q = catalogue.get(qid)
        assert q is not None and q.polarity is Polarity.YES_PROTECTS, qid


def test_mpii_items_expose_except_the_safeguards(catalogue: Mds2Catalogue) -> None:
    protects = {
        q.id for q in catalogue.section_questions("MPII") if q.polarity is Polarity.YES_PROTECTS
    }
    assert protects == {"MPII-2.5", "MPII-2.8", "MPII-2.9"}
    assert all(
        q.polarity is Polarity.YES_EXPOSES
        for q in catalogue.section_questions("MPII")
        if q.id not in protects
    )


def test_descriptive_items_are_neutral_and_exceptions_are_explained(
    catalogue: Mds2Catalogue,
) -> None:
    for q in catalogue.questions:
        if q.kind is not AnswerKind.CHOICE:
            assert q.polarity is Polarity.NEUTRAL, q.id
    for qid in ("DOC-11", "CSUP-1", "CSUP-2", "PLOK-1"):
        gate = catalogue.get(qid)
        assert gate is not None and gate.polarity is Polarity.NEUTRAL, qid
    # every neutral yes/no item outside DOC, and the less obvious choices, say why
    for q in catalogue.questions:
        neutral_choice = q.kind is AnswerKind.CHOICE and q.polarity is Polarity.NEUTRAL
        if (neutral_choice and q.section != "DOC") or q.id in {
            "MPII-2.5",
            "MPII-2.8",
            "MPII-2.9",
            "AUTH-3",
            "CSUP-2.4",
            "EMRG-1",
        }:
            assert catalogue.polarity_note(q.id), q.id
    assert catalogue.polarity_note("ALOF-1") is None


# --- conditional rules ------------------------------------------------------------------------


def test_every_rule_resolves_and_never_targets_its_own_gate(catalogue: Mds2Catalogue) -> None:
    assert catalogue.rules
    assert len({r.id for r in catalogue.rules}) == len(catalogue.rules)
    for rule in catalogue.rules:
        gate = catalogue.get(rule.question)
        assert gate is not None and gate.kind is AnswerKind.CHOICE, rule.id
        assert rule.targets and rule.question not in rule.targets, rule.id
        assert len(set(rule.targets)) == len(rule.targets), rule.id
        for target in rule.targets:
            question = catalogue.get(target)
            assert question is not None, (rule.id, target)
            assert question.section == gate.section, (rule.id, target)
        assert rule.when_values and rule.explanation and rule.source
        assert rule.gate_values <= {AnswerValue.YES, AnswerValue.NO}


def _rule(catalogue: Mds2Catalogue, question: str, value: AnswerValue) -> tuple[str, ...]:
    targets: list[str] = []
    for rule in catalogue.rules:
        if rule.question == question and value in rule.when_values:
            targets.extend(rule.targets)
    return tuple(targets)


def test_the_rules_the_form_states(catalogue: Mds2Catalogue) -> None:
    csup = tuple(q.id for q in catalogue.section_questions("CSUP") if q.id != "CSUP-1")
    assert set(_rule(catalogue, "CSUP-1", AnswerValue.NO)) == set(csup)
    assert _rule(catalogue, "CSUP-1", AnswerValue.YES) == ()
    assert _rule(catalogue, "PLOK-1", AnswerValue.YES) == ("PLOK-2", "PLOK-3", "PLOK-4")
    assert _rule(catalogue, "MLDP-2", AnswerValue.YES) == ("MLDP-3",)
    assert "MLDP-3" not in _rule(catalogue, "MLDP-2", AnswerValue.NO)
    assert "MLDP-2.5" in _rule(catalogue, "MLDP-2", AnswerValue.NO)
    assert _rule(catalogue, "TXCF-2", AnswerValue.YES) == ("TXCF-2.1",)
    assert _rule(catalogue, "TXCF-2", AnswerValue.NO) == ()
    assert _rule(catalogue, "DOC-11", AnswerValue.NO) == tuple(f"DOC-11.{n}" for n in range(1, 5))
    for n in range(2, 7):
        kids = tuple(f"CSUP-{n}.{k}" for k in range(1, 5))
        assert _rule(catalogue, f"CSUP-{n}", AnswerValue.NO) == kids
        assert _rule(catalogue, f"CSUP-{n}", AnswerValue.NA) == kids
    assert "AUDT-2.8.1" in _rule(catalogue, "AUDT-2", AnswerValue.NO)
    sbom = _rule(catalogue, "SBOM-1", AnswerValue.NO)
    assert "SBOM-2.4" in sbom and "SBOM-4" in sbom and "SBOM-3" not in sbom
    assert _rule(catalogue, "MLDP-5", AnswerValue.NO) == ("MLDP-5.1",)
    gates = {r.question: r.gate_values for r in catalogue.rules if r.gate_values}
    assert gates == {q: {AnswerValue.YES, AnswerValue.NO} for q in ("DOC-11", "CSUP-1", "PLOK-1")}


# --- mapping cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("standard", "cell", "expected"),
    [
        (NIST, "AC-17(2)/IA-3", ("AC-17(2)", "IA-3")),
        (NIST, "AT-2/PL-2", ("AT-2", "PL-2")),
        (
            ISO,
            "A.6.2.1, A.6.2.2, A.13.1.1, A.13.2.1, A.14.1.2/None",
            ("A.6.2.1", "A.6.2.2", "A.13.1.1", "A.13.2.1", "A.14.1.2"),
        ),
        (ISO, "A.7.2.2, A.12.2.1/A.14.1.1", ("A.7.2.2", "A.12.2.1", "A.14.1.1")),
        (
            ISO,
            "A.9.1.2, A.9.2.3, A.9.4.4, A.9.4.5/A.9.2.1",
            ("A.9.1.2", "A.9.2.3", "A.9.4.4", "A.9.4.5", "A.9.2.1"),
        ),
        (NIST, "AC-6,IA-2", ("AC-6", "IA-2")),
        (
            ISO,
            "A.13.1.1, A.13.1.3, A.13.2.1,A.14.1.3",
            ("A.13.1.1", "A.13.1.3", "A.13.2.1", "A.14.1.3"),
        ),
        (NIST, "None", ()),
        (NIST, "", ()),
        (NIST, None, ()),
        (NIST, "PE- 3(4) ", ("PE-3(4)",)),
        (ISO, "A.12.5.1*", ("A.12.5.1",)),
        (ISO, "ISO 27038", ("ISO 27038",)),
        (IEC, "Section 5.1, ALOF", ("ALOF",)),
        (IEC, "Section 5.15, SAHD", ("SAHD",)),
    ],
)
def test_mapping_cell_examples(standard: str, cell: str | None, expected: tuple[str, ...]) -> None:
    assert normalise_mapping_cell(standard, cell) == expected


def test_catalogue_keeps_raw_and_normalised_cells(catalogue: Mds2Catalogue) -> None:
    plok = catalogue.get("PLOK-1")
    assert plok is not None
    assert plok.mappings_raw[NIST] == "PE- 3(4) "
    assert plok.mappings[NIST] == ("PE-3(4)",)
    assert plok.mappings[IEC] == ("PLOK",)
    alof = catalogue.get("ALOF-1")
    assert alof is not None and alof.mappings[ISO] == () and alof.mappings_raw[ISO] == "None"
    mapped = [q for q in catalogue.questions if any(q.mappings_raw.values())]
    assert len(mapped) == 112  # shared/reference/mds2.md §2.6


_CELL_PART = st.sampled_from([*"AC-.()0123456789 ,/*\t\u00a0", "None", "none", "A.12.5.1*"])
_CELL_TEXT = st.lists(_CELL_PART, max_size=12).map("".join)


@given(cell=_CELL_TEXT | st.text())
def test_mapping_normalisation_is_idempotent_and_clean(cell: str) -> None:
    for standard in (NIST, ISO):
        parts = normalise_mapping_cell(standard, cell)
        assert normalise_mapping_cell(standard, ", ".join(parts)) == parts
        assert normalise_mapping_cell(standard, "/".join(parts)) == parts
        for part in parts:
            assert part and part == part.strip()
            assert part.lower() != "none"
            assert not set(part) & {",", "/", "*"}
        assert len(set(parts)) == len(parts)


@given(cell=st.text())
def test_iec_cells_yield_only_capability_codes(cell: str) -> None:
    for code in normalise_mapping_cell(IEC, cell):
        assert re.fullmatch(r"[A-Z]{4}", code)


# --- JSON Schema ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_equals_generated(name: str) -> None:
    committed = schema_path(name).read_text(encoding="utf-8")
    assert committed == render_schema(name), (
        f"{schema_path(name).name} is stale: run python -m medtrust.catalog.schema_export"
    )


def test_packaged_file_validates_against_the_committed_schema() -> None:
    jsonschema = importlib.import_module("jsonschema")  # untyped: no stubs installed
    schema = json.loads(schema_path("mds2-catalogue").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(_raw())


# --- bad files --------------------------------------------------------------------------------


def _question(data: dict[str, Any], qid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(q for q in data["questions"] if q["id"] == qid)
    return found


def _fails(data: dict[str, Any], *fragments: str) -> None:
    with pytest.raises(CatalogError) as info:
        parse_catalogue_data(data)
    message = str(info.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_unmodified_copy_parses() -> None:
    assert len(parse_catalogue_data(_raw()).questions) == 240


def test_duplicate_id_is_rejected() -> None:
    data = _raw()
    data["questions"].append(copy.deepcopy(_question(data, "ALOF-2")))
    _fails(data, "duplicate question ID ALOF-2")


def test_dangling_parent_is_rejected() -> None:
    data = _raw()
    _question(data, "MPII-2.1")["parent"] = "MPII-9"
    _fails(data, "MPII-2.1", "MPII-9")


def test_parent_in_another_section_is_rejected() -> None:
    data = _raw()
    _question(data, "AUTH-1.1")["parent"] = "AUDT-1"
    _fails(data, "AUTH-1.1", "AUDT-1", "another section")


def test_unknown_section_is_rejected() -> None:
    data = _raw()
    _question(data, "EMRG-1")["section"] = "XXXX"
    _fails(data, "EMRG-1", "XXXX")


def test_id_prefix_not_matching_section_is_rejected() -> None:
    data = _raw()
    _question(data, "EMRG-1")["section"] = "IGAU"
    _fails(data, "EMRG-1", "IGAU")


def test_unknown_rule_target_is_rejected() -> None:
    data = _raw()
    data["rules"][0]["targets"].append("MLDP-9")
    _fails(data, data["rules"][0]["id"], "MLDP-9")


def test_rule_on_unknown_question_is_rejected() -> None:
    data = _raw()
    data["rules"][0]["when"]["question"] = "MLDP-9"
    _fails(data, data["rules"][0]["id"], "MLDP-9")


def test_rule_targeting_its_own_gate_is_rejected() -> None:
    data = _raw()
    rule = next(r for r in data["rules"] if r["when"]["question"] == "PAUT-14")
    rule["targets"].append("PAUT-14")
    _fails(data, rule["id"], "gating question")


def test_schema_violation_names_the_place() -> None:
    data = _raw()
    _question(data, "ALOF-1")["polarity"] = "maybe"
    index = next(i for i, q in enumerate(data["questions"]) if q["id"] == "ALOF-1")
    _fails(data, f"questions/{index}/polarity")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_committed_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    jsonschema = importlib.import_module("jsonschema")
    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"{name}.schema.json"
