from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medtrust.domain.asset import LinkState
from medtrust.domain.product import ProductVersionRef
from medtrust.inventory.linking import LinkRule, ProductLinker, company_key, model_key, version_key

VERSIONS = [
    ProductVersionRef(1, "Philips", "IntelliVue MX450", "M.00.03"),
    ProductVersionRef(2, "Philips", "IntelliVue MX450", "unspecified"),
    ProductVersionRef(3, "GE Healthcare", "CARESCAPE B650", "3.1"),
    ProductVersionRef(4, "B. Braun Melsungen AG", "Space Infusomat", "1.0"),
]


def test_company_spellings_share_one_key() -> None:
    spellings = ("Philips", "PHILIPS Medical Systems", "Philips Healthcare", "philips inc.")
    assert {company_key(n) for n in spellings} == {"philips"}
    assert company_key("Philips Medical Systems Nederland B.V.") == "philips nederland"
    assert company_key("PHILIPS Medical Systems") == company_key("Philips") == "philips"
    assert company_key("GE Healthcare") == "ge"
    assert company_key("Medical Systems") == "medical systems"  # all noise: keep the words
    assert model_key("IntelliVue MX-450") == model_key("intellivue mx450")
    assert version_key("V2.1") == version_key("version 2.1") == "2.1"


def test_philips_spellings_link_to_one_manufacturer() -> None:
    linker = ProductLinker(VERSIONS)
    exact = linker.link("PHILIPS Medical Systems", "IntelliVue MX-450", "M.00.03")
    assert exact.state is LinkState.LINKED and exact.product_version is not None
    assert exact.product_version.id == 1
    typo = linker.link("Phillips", "IntelliVue MX450", "M.00.03")
    assert typo.state is LinkState.SUGGESTED
    assert typo.product_version is not None and typo.product_version.id == 1
    assert "manufacturer" in typo.reason and "Philips" in typo.reason
    other_version = linker.link("Philips", "IntelliVue MX450", "M.00.09")
    assert other_version.product_version is not None
    assert other_version.product_version.id == 2  # the unspecified version, to confirm
    assert other_version.state is LinkState.SUGGESTED


def test_unknown_things_stay_unlinked_with_a_reason() -> None:
    linker = ProductLinker(VERSIONS)
    assert linker.link("Acme", "Pump", "1").reason == "no known manufacturer resembles 'acme'"
    none = linker.link(None, None, None)
    assert none.state is LinkState.UNLINKED and "no manufacturer" in none.reason
    hint = linker.link("GE", "Carescape B650", "4.0")
    assert hint.state is LinkState.UNLINKED and hint.product_hint is not None
    assert "not version '4.0'" in hint.reason


def test_confirmed_rules_win_over_fuzzy_matching() -> None:
    rule = LinkRule(company_key("Braun"), model_key("Infusomat"), "", 4)
    linker = ProductLinker(VERSIONS, [rule])
    decision = linker.link("BRAUN", "Infusomat", "7.7")
    assert decision.state is LinkState.LINKED and decision.product_version is not None
    assert decision.product_version.id == 4 and decision.reason.startswith("confirmed")


@given(st.text(max_size=40))
def test_linking_never_crashes_and_is_stable(text: str) -> None:
    linker = ProductLinker(VERSIONS)
    assert linker.link(text, text, text) == linker.link(text, text, text)
