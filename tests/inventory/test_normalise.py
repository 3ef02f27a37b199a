from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.domain.asset import AssetStatus, Criticality
from medtrust.inventory.normalise import (
    gtin_check_digit_ok,
    identifier_key,
    is_formula_like,
    is_placeholder,
    neutralise_cell,
    normalise_hostname,
    normalise_ip,
    normalise_mac,
    normalise_udi_di,
    normalise_vlan,
    parse_criticality,
    parse_status,
)

MAC_BYTES = st.lists(st.integers(0, 255), min_size=6, max_size=6).filter(
    lambda b: b not in ([0] * 6, [255] * 6)
)


@pytest.mark.parametrize(
    "text",
    [
        "00-1A-2B-3C-4D-5E",
        "00:1a:2b:3c:4d:5e",
        "001A.2B3C.4D5E",
        "001A2B3C4D5E",
        " 00:1A:2B:3C:4D:5E ",
        "0:1a:2b:3c:4d:5e",
    ],
)
def test_mac_spellings_become_lower_case_colon_form(text: str) -> None:
    assert normalise_mac(text) == "00:1a:2b:3c:4d:5e"


@given(MAC_BYTES, st.sampled_from([":", "-", "", "."]), st.booleans())
def test_mac_every_spelling_normalises_to_the_same_canonical_form(
    data: list[int], separator: str, upper: bool
) -> None:
    hex_text = "".join(f"{b:02x}" for b in data)
    if separator == ".":
        text = ".".join(hex_text[i : i + 4] for i in range(0, 12, 4))
    else:
        text = separator.join(hex_text[i : i + 2] for i in range(0, 12, 2))
    text = text.upper() if upper else text
    canonical = normalise_mac(text)
    assert canonical == ":".join(f"{b:02x}" for b in data)
    assert normalise_mac(canonical) == canonical  # idempotent


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("zz", "not a MAC"),
        ("00:1a:2b:3c:4d", "not a MAC"),
        ("00:00:00:00:00:00", "placeholder"),
        ("FF-FF-FF-FF-FF-FF", "placeholder"),
        ("00:1a-2b:3c:4d:5e", "not a MAC"),
    ],
)
def test_bad_macs_say_why(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        normalise_mac(text)


def test_ip_addresses() -> None:
    assert normalise_ip(" 10.1.2.3 ") == "10.1.2.3"
    assert normalise_ip("10.1.2.3/24") == "10.1.2.3"
    assert normalise_ip("FE80::1%eth0") == "fe80::1"
    assert normalise_ip("DHCP") is None
    for bad, why in (
        ("10.1.2", "not an IPv4"),
        ("010.1.2.3", "not an IPv4"),
        ("0.0.0.0", "unspecified"),
        ("300.1.1.1", "not an IPv4"),
    ):
        with pytest.raises(ValueError, match=why):
            normalise_ip(bad)


@given(st.ip_addresses())
def test_every_ip_address_round_trips(address: object) -> None:
    text = str(address)
    if text in ("0.0.0.0", "::"):
        return
    assert normalise_ip(text) == text


def test_vocabularies_in_three_languages() -> None:
    assert parse_criticality("Life Support") is Criticality.LIFE_SUSTAINING
    assert parse_criticality("lebenserhaltend") is Criticality.LIFE_SUSTAINING
    assert parse_criticality("Thérapeutique") is Criticality.THERAPEUTIC
    assert parse_criticality("non-clinical") is Criticality.NON_CLINICAL
    assert parse_status("In Betrieb") is AssetStatus.IN_USE
    assert parse_status("hors service") is AssetStatus.RETIRED
    assert parse_status("Spare") is AssetStatus.STORED
    with pytest.raises(ValueError, match="add a value map"):
        parse_criticality("High")
    assert parse_criticality("High", {"high": "life-sustaining"}) is Criticality.LIFE_SUSTAINING
    with pytest.raises(ValueError, match="not a criticality"):
        parse_criticality("High", {"high": "urgent"})


def test_placeholders_and_identifier_keys() -> None:
    for text in ("", "  ", "-", "n/a", "N.A.", "unknown", "?", "TBD", "k.A."):
        assert is_placeholder(text), text
    assert is_placeholder("0", identifier=True)
    assert not is_placeholder("0")
    assert not is_placeholder("SN-1")
    assert identifier_key("sn 12-34.5") == identifier_key("SN1234 5") == "sn12345"


def test_formula_cells_are_recognised_and_neutralised() -> None:
    for text in ("=cmd|' /C calc'!A0", "+SUM(A1)", "-2+3", "@foo", "\tx"):
        assert is_formula_like(text)
        assert neutralise_cell(text) == "'" + text
    assert neutralise_cell("MT-0001") == "MT-0001"


@given(st.text())
def test_neutralised_cells_never_start_like_a_formula(text: str) -> None:
    assert not is_formula_like(neutralise_cell(text))


def test_hostname_vlan_udi() -> None:
    assert normalise_hostname("PUMP-01.Example.org.") == ("pump-01.example.org", True)
    assert normalise_hostname("bad host!")[1] is False
    assert normalise_vlan("VLAN 310") == "310"
    assert normalise_vlan("vlan-0") == "vlan-0"  # 0 is not a VLAN id: kept as written
    assert normalise_vlan("Clinical") == "Clinical"
    assert normalise_udi_di("(01)09506000134352(17)251231") == (
        "09506000134352",
        True,
    )  # GS1 example
    assert normalise_udi_di("09506000134353")[1] is False
    assert normalise_udi_di("+H123PROD1")[1] is None


def test_gtin_check_digit_known_values() -> None:
    # GS1 examples: 4006381333931 (EAN-13) and 036000291452 (UPC-A) are valid
    assert gtin_check_digit_ok("4006381333931")
    assert gtin_check_digit_ok("036000291452")
    assert not gtin_check_digit_ok("4006381333932")
