"""Product assessment on the NEMA example MDS2 form and a real medical-device SBOM."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from medtrust.compliance.assessment import Assessment, Status
from medtrust.compliance.data_files import product_evidence_rules
from medtrust.compliance.errors import UnknownFrameworkError
from medtrust.compliance.evidence import EvidenceKind, Signal
from medtrust.compliance.library import packaged_library
from medtrust.compliance.product import InputFile, assess_product_files, resolve_frameworks
from medtrust.compliance.user_input import UserFileError
from medtrust.sbom.quality import assess as sbom_quality
from medtrust.sbom.readers.registry import read_sbom
from tests.shared_data import shared_file

DAY = date(2026, 11, 21)
NEMA = "mds2/nema-example-mds2-2019.xlsx"
SBOM = "sbom/medical-device/narrow.sbom.json"
DECLARATIONS = b"""product: Example glucose monitor
processes:
  - id: coordinated-vulnerability-disclosure
    reference: https://example.com/security
  - id: secure-development-lifecycle
certificates:
  - standard: IEC 62443-4-1
    scope: development process
    valid_until: 2028-06-30
not_applicable:
  - requirement: urn:medtrust:req:mdr:annex-i:17.3
    reason: The product has no mobile computing platform.
"""


def _file(relative: str) -> InputFile:
    path = shared_file(relative)
    return InputFile(path.read_bytes(), path.name)


def _nema_answers() -> dict[str, str]:
    path = shared_file("mds2/reference-question-catalogue.csv")
    with path.open(encoding="utf-8") as handle:
        return {row["question_id"]: row["nema_example_answer"] for row in csv.DictReader(handle)}


def _nema(frameworks: list[str], **kwargs: InputFile | None) -> Assessment:
    return assess_product_files(
        mds2=_file(NEMA),
        sbom=kwargs.get("sbom"),
        declarations=kwargs.get("declarations"),
        frameworks=frameworks,
        as_of=DAY,
    )


@pytest.mark.shared_data
def test_nema_example_every_mdr_clause_is_explained() -> None:
    library = packaged_library()
    report = _nema(["urn:medtrust:framework:mdr"])
    answers = _nema_answers()
    assert report.frameworks == ("mdr",)
    assert len(report.results) == len(library.framework("mdr").assessable())
    for result in report.results:
        assert result.reason
        for contribution in result.contributions:
            evidence = contribution.evidence
            assert evidence.kind in (EvidenceKind.MDS2_ANSWER, EvidenceKind.SBOM)
            if evidence.kind is EvidenceKind.MDS2_ANSWER:
                qid = evidence.id.removeprefix("mds2:")
                # the evidence says what the form says (checked against the independent CSV)
                if evidence.signal is Signal.POSITIVE:
                    assert answers[qid] == "Yes"
                assert qid in evidence.statement
            # the path starts where the evidence is anchored and ends at the requirement
            assert contribution.mapping is not None
            assert contribution.mapping.path[0].source == evidence.start
            assert contribution.mapping.path[-1].target == result.requirement.urn
            assert "->" in contribution.mapping.explain()
        if result.status is Status.COVERED:
            assert result.with_signal(Signal.POSITIVE)
        if result.status in (Status.GAP, Status.PARTLY):
            assert result.closing, result.requirement.urn
            assert all(a.action for a in result.closing)
    # the example device answers "Yes" to the physical-lock questions: 18.8 has that support,
    # but also many "No" answers against it (no automatic logoff, no person authentication ...)
    access = next(r for r in report.results if r.requirement.ref_id == "18.8")
    assert access.status is Status.PARTLY
    supporting = {c.evidence.id for c in access.with_signal(Signal.POSITIVE)}
    assert {"mds2:PLOK-2", "mds2:PLOK-3"} <= supporting
    against = {c.evidence.id for c in access.with_signal(Signal.NEGATIVE)}
    assert "mds2:ALOF-1" in against and answers["ALOF-1"] == "No"
    # no SBOM was given: the SBOM evidence is a gap signal with its remedy
    sbom_items = [e for e in report.evidence if e.kind is EvidenceKind.SBOM]
    assert sbom_items and all(e.signal is Signal.NEGATIVE and e.remedy for e in sbom_items)


@pytest.mark.shared_data
def test_declarations_and_sbom_cover_requirements_with_their_paths() -> None:
    report = _nema(
        ["mdr", "cra"], sbom=_file(SBOM), declarations=InputFile(DECLARATIONS, "decl.yaml")
    )
    by_ref = {(r.requirement.framework, r.requirement.ref_id): r for r in report.results}
    cvd = by_ref[("cra", "Annex I, Part II (5)")]
    assert cvd.status is Status.COVERED
    direct = [c for c in cvd.contributions if c.mapping is None]
    assert direct and direct[0].evidence.kind is EvidenceKind.PROCESS
    assert "decl.yaml, processes[0]" in direct[0].evidence.source
    mobile = by_ref[("mdr", "17.3")]
    assert mobile.status is Status.NOT_APPLICABLE
    assert "no mobile computing platform" in mobile.reason
    score = sbom_quality(read_sbom(shared_file(SBOM))).score
    inventory = by_ref[("cra", "Annex I, Part II (1)")]
    sbom_direct = [
        c
        for c in inventory.contributions
        if c.evidence.kind is EvidenceKind.SBOM and c.mapping is None
    ]
    expected = (
        Signal.POSITIVE if score >= product_evidence_rules().sbom.min_score else Signal.REVIEW
    )
    assert sbom_direct[0].evidence.signal is expected
    assert f"{score}/100" in sbom_direct[0].evidence.statement
    # a held certificate is not offered again as a way to close a gap
    assert all(
        "Certificate IEC 62443-4-1" not in a.action for r in report.results for a in r.closing
    )
    covered = [r for r in report.results if r.status is Status.COVERED]
    assert covered
    for result in covered:
        assert any(
            c.confidence >= report.policy.covered_min_confidence
            for c in result.with_signal(Signal.POSITIVE)
        )


def test_sbom_only_assessment_of_cra_names_what_is_missing() -> None:
    report = assess_product_files(
        mds2=None, sbom=None, declarations=InputFile(b"{}", "d.yaml"), frameworks=["cra"], as_of=DAY
    )
    inventory = next(r for r in report.results if r.requirement.ref_id == "Annex I, Part II (1)")
    assert inventory.status is Status.GAP
    assert any("SBOM" in a.action for a in inventory.closing)
    assert report.notes and "MDS2" in report.notes[0]


def test_expired_certificate_needs_review() -> None:
    decl = b"certificates:\n  - standard: iec 62443-4-1\n    valid_until: 2020-01-01\n"
    report = assess_product_files(
        mds2=None,
        sbom=None,
        declarations=InputFile(decl, "d.yaml"),
        frameworks=["iec-62443-4-1"],
        as_of=DAY,
    )
    assert {r.status for r in report.results} == {Status.PARTLY}
    assert all("Renew" in r.closing[0].action for r in report.results)


@pytest.mark.parametrize(
    ("text", "element"),
    [
        (
            b"processes:\n  - id: telepathy\n",
            "d.yaml: processes[0].id: unknown process 'telepathy'",
        ),
        (
            b"certificates:\n  - standard: ISO 9001\n",
            "d.yaml: certificates[0].standard: unknown standard",
        ),
        (
            b"not_applicable:\n  - requirement: urn:medtrust:req:mdr:annex-i:99\n"
            b"    reason: x y z\n",
            "d.yaml: not_applicable[0].requirement: unknown requirement node",
        ),
        (
            b"processes: [{id: xy, colour: red}]\n",
            "d.yaml: processes[0].colour: Extra inputs are not permitted",
        ),
        (b"processes: [\n", "d.yaml: not valid YAML"),
    ],
)
def test_bad_declarations_give_one_line_naming_the_element(text: bytes, element: str) -> None:
    with pytest.raises(UserFileError) as info:
        assess_product_files(
            mds2=None,
            sbom=None,
            declarations=InputFile(text, "d.yaml"),
            frameworks=["mdr"],
            as_of=DAY,
        )
    assert str(info.value).startswith(element)
    assert "\n" not in str(info.value)
    assert info.value.exit_code == 2


def test_frameworks_resolve_by_id_or_urn_and_unknown_ones_fail() -> None:
    library = packaged_library()
    assert resolve_frameworks(["urn:medtrust:framework:cra", "mdr", "cra"], library) == (
        "cra",
        "mdr",
    )
    assert resolve_frameworks([], library) == ("mdr",)
    with pytest.raises(UnknownFrameworkError):
        resolve_frameworks(["mdd"], library)
