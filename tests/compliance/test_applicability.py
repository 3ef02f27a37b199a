from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.compliance.applicability import decide_applicability, parse_facts, read_facts
from medtrust.compliance.applicability_files import Verdict
from medtrust.compliance.user_input import UserFileError


def _verdicts(facts: dict[str, dict[str, object]]) -> dict[str, Verdict]:
    report = decide_applicability(parse_facts(facts, "facts.yaml"))
    return {r.framework: r.verdict for r in report.results}


def test_non_device_health_software_is_cra_not_mdr() -> None:
    report = decide_applicability(
        parse_facts(
            {"product": {"medical_device": False, "digital_elements": True, "eu_market": True}},
            "f.yaml",
        )
    )
    by = {r.framework: r for r in report.results}
    assert by["mdr"].verdict is Verdict.DOES_NOT_APPLY
    assert "MDR Art. 2(1)" in by["mdr"].cites
    assert by["cra"].verdict is Verdict.APPLIES
    assert "CRA Art. 2(1)" in by["cra"].cites
    assert any("Annex I" in o for o in by["cra"].obligations)
    assert report.applicable("product") == ("cra",)


def test_device_on_the_market_is_mdr_and_excluded_from_cra() -> None:
    verdicts = _verdicts(
        {"product": {"medical_device": True, "in_vitro_diagnostic": False, "eu_market": True}}
    )
    assert verdicts["mdr"] is Verdict.APPLIES
    assert verdicts["ivdr"] is Verdict.DOES_NOT_APPLY
    assert verdicts["cra"] is Verdict.DOES_NOT_APPLY
    assert verdicts["mdcg-2019-16"] is Verdict.RECOMMENDED
    assert verdicts["iec-tr-80001-2-2"] is Verdict.RECOMMENDED


def test_ivd_goes_to_ivdr() -> None:
    verdicts = _verdicts(
        {"product": {"medical_device": True, "in_vitro_diagnostic": True, "eu_market": True}}
    )
    assert (verdicts["mdr"], verdicts["ivdr"], verdicts["cra"]) == (
        Verdict.DOES_NOT_APPLY,
        Verdict.APPLIES,
        Verdict.DOES_NOT_APPLY,
    )


def test_missing_facts_are_named_not_guessed() -> None:
    report = decide_applicability(parse_facts({"product": {"medical_device": True}}, "f.yaml"))
    mdr = next(r for r in report.results if r.framework == "mdr")
    assert mdr.verdict is Verdict.UNDETERMINED
    assert mdr.missing == ("product.eu_market", "product.in_vitro_diagnostic")
    guidance = next(r for r in report.results if r.framework == "mdcg-2019-16")
    assert guidance.verdict is Verdict.UNDETERMINED
    assert "product.in_vitro_diagnostic" in guidance.missing


@pytest.mark.parametrize(
    ("organisation", "verdict", "role"),
    [
        ({"type": "healthcare-provider", "employees": 300}, Verdict.APPLIES, "essential entity"),
        (
            {"type": "healthcare-provider", "employees": 80, "turnover_eur_m": 20},
            Verdict.APPLIES,
            "important entity",
        ),
        (
            {"type": "healthcare-provider", "employees": 80},
            Verdict.APPLIES,
            "essential entity or important entity",
        ),
        (
            {
                "type": "healthcare-provider",
                "employees": 10,
                "turnover_eur_m": 60,
                "balance_sheet_eur_m": 50,
            },
            Verdict.APPLIES,
            "essential entity",
        ),
        (
            {"type": "healthcare-provider", "employees": 20, "turnover_eur_m": 5},
            Verdict.DOES_NOT_APPLY,
            None,
        ),
        ({"type": "device-manufacturer", "employees": 400}, Verdict.APPLIES, "important entity"),
        ({"type": "other", "employees": 400}, Verdict.DOES_NOT_APPLY, None),
        ({"type": "healthcare-provider"}, Verdict.UNDETERMINED, None),
    ],
)
def test_nis2_size_and_sector(
    organisation: dict[str, object], verdict: Verdict, role: str | None
) -> None:
    report = decide_applicability(parse_facts({"organisation": organisation}, "f.yaml"))
    nis2 = next(r for r in report.results if r.framework == "nis2")
    assert (nis2.verdict, nis2.role) == (verdict, role)


def test_gdpr_notes_health_data() -> None:
    report = decide_applicability(
        parse_facts(
            {"product": {"personal_data": True, "health_data": True, "eu_market": True}}, "f"
        )
    )
    gdpr = next(r for r in report.results if r.framework == "gdpr")
    assert gdpr.verdict is Verdict.APPLIES
    assert any("Art. 9(1)" in n for n in gdpr.notes)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"product:\n  medical_devic: true\n", "f.yaml: product.medical_devic: unknown fact"),
        (
            b"product:\n  medical_device: maybe\n",
            "f.yaml: product.medical_device: expected true or false",
        ),
        (
            b"organisation:\n  employees: -3\n",
            "f.yaml: organisation.employees: expected a non-negative",
        ),
        (b"organisation:\n  type: hospital\n", "f.yaml: organisation.type: expected one of"),
        (b"vendor: {}\n", "f.yaml: vendor: unknown section"),
        (b"- a list\n", "f.yaml: expected a mapping"),
        (b"product: [\n", "f.yaml: not valid YAML"),
        (b"\xff\xfe", "f.yaml: not UTF-8"),
    ],
)
def test_bad_facts_files_fail_with_one_line(text: bytes, message: str) -> None:
    with pytest.raises(UserFileError) as info:
        read_facts(text, "f.yaml")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


booleans = st.one_of(st.none(), st.booleans())


@given(booleans, booleans, booleans, booleans)
def test_mdr_and_cra_never_both_apply(
    device: bool | None, ivd: bool | None, digital: bool | None, market: bool | None
) -> None:
    product: dict[str, object] = {
        k: v
        for k, v in {
            "medical_device": device,
            "in_vitro_diagnostic": ivd,
            "digital_elements": digital,
            "eu_market": market,
        }.items()
        if v is not None
    }
    verdicts = _verdicts({"product": dict(product)})
    assert not (verdicts["mdr"] is Verdict.APPLIES and verdicts["cra"] is Verdict.APPLIES)
    assert not (verdicts["mdr"] is Verdict.APPLIES and verdicts["ivdr"] is Verdict.APPLIES)
    for verdict in verdicts.values():
        assert isinstance(verdict, Verdict)
