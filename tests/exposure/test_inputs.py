"""Decision inputs from facts: exploitation, automatable, exposure, impact, and the settings.

CVSS vectors are real or generated from the metric value sets of FIRST's specifications
(CVSS v2 Complete Guide, https://www.first.org/cvss/v2/guide; CVSS v3.1 Specification,
https://www.first.org/cvss/v3.1/specification-document; CVSS v4.0 Specification,
https://www.first.org/cvss/v4.0/specification-document) and parsed with the ``cvss`` package
as an independent check that they are valid.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

import cvss
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from medtrust.catalog.resources import read_packaged_yaml
from medtrust.domain.asset import Criticality
from medtrust.exposure.inputs import (
    Profile,
    VulnFacts,
    automatable,
    exploitation,
    exposure,
    impact,
)
from medtrust.exposure.model import Automatable, Exploitation, Exposure, Impact, rank
from medtrust.exposure.policy import POLICY_FILE, load_policy, policy_from_data
from medtrust.exposure.settings import DEFAULT_EPSS_POC, ExposureSettings

DEFAULTS = ExposureSettings()


def facts(
    vector: str | None = None,
    *,
    kev: bool = False,
    kev_date: str | None = None,
    epss: float | None = None,
) -> VulnFacts:
    return VulnFacts(kev, kev_date, epss, vector)


def profile(
    zone: str | None = "MED-INFUSION",
    *,
    criticality: str = "diagnostic",
    status: str = "in-use",
    vlan: str | None = None,
    answers: Mapping[str, str] | None = None,
) -> Profile:
    return Profile(criticality, zone, vlan, status, dict(answers or {}), None)


# --- generated CVSS vectors -------------------------------------------------------------------

V31_BASE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AV", ("N", "A", "L", "P")),
    ("AC", ("L", "H")),
    ("PR", ("N", "L", "H")),
    ("UI", ("N", "R")),
    ("S", ("U", "C")),
    ("C", ("H", "L", "N")),
    ("I", ("H", "L", "N")),
    ("A", ("H", "L", "N")),
)
V31_TEMPORAL: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("E", ("X", "U", "P", "F", "H")),
    ("RL", ("X", "O", "T", "W", "U")),
    ("RC", ("X", "U", "R", "C")),
)
V40_BASE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AV", ("N", "A", "L", "P")),
    ("AC", ("L", "H")),
    ("AT", ("N", "P")),
    ("PR", ("N", "L", "H")),
    ("UI", ("N", "P", "A")),
    ("VC", ("H", "L", "N")),
    ("VI", ("H", "L", "N")),
    ("VA", ("H", "L", "N")),
    ("SC", ("H", "L", "N")),
    ("SI", ("H", "L", "N")),
    ("SA", ("H", "L", "N")),
)
V40_THREAT = (("E", ("X", "A", "P", "U")),)
V2_BASE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AV", ("L", "A", "N")),
    ("AC", ("H", "M", "L")),
    ("Au", ("M", "S", "N")),
    ("C", ("N", "P", "C")),
    ("I", ("N", "P", "C")),
    ("A", ("N", "P", "C")),
)
V2_TEMPORAL: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("E", ("U", "POC", "F", "H", "ND")),
    ("RL", ("OF", "TF", "W", "U", "ND")),
    ("RC", ("UC", "UR", "C", "ND")),
)


@st.composite
def _metrics(
    draw: st.DrawFn,
    base: tuple[tuple[str, tuple[str, ...]], ...],
    optional: tuple[tuple[str, tuple[str, ...]], ...],
) -> list[str]:
    parts = [f"{name}:{draw(st.sampled_from(values))}" for name, values in base]
    if draw(st.booleans()):
        parts += [f"{name}:{draw(st.sampled_from(values))}" for name, values in optional]
    return parts


def v31_vectors() -> st.SearchStrategy[str]:
    return st.builds(
        lambda prefix, parts: "/".join([prefix, *parts]),
        st.sampled_from(["CVSS:3.1", "CVSS:3.0"]),
        _metrics(V31_BASE, V31_TEMPORAL),
    )


def v40_vectors() -> st.SearchStrategy[str]:
    return _metrics(V40_BASE, V40_THREAT).map(lambda parts: "/".join(["CVSS:4.0", *parts]))


def v2_vectors() -> st.SearchStrategy[str]:
    return _metrics(V2_BASE, V2_TEMPORAL).map("/".join)


# --- exploitation ------------------------------------------------------------------------------

V31_CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
V40_CRITICAL = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"


def test_kev_is_active_with_the_date_in_the_reason() -> None:
    found = exploitation(facts(V31_CRITICAL, kev=True, kev_date="2024-05-01", epss=0.0), DEFAULTS)
    assert found.name == "exploitation"
    assert found.value == Exploitation.ACTIVE
    assert any("KEV" in r and "2024-05-01" in r for r in found.reasons)


def test_kev_without_vector_or_epss_is_still_active() -> None:
    found = exploitation(facts(kev=True), DEFAULTS)
    assert found.value == Exploitation.ACTIVE
    assert any("KEV" in r for r in found.reasons)


def test_cvss4_attacked_is_active() -> None:
    vector = V40_CRITICAL + "/E:A"
    assert cvss.CVSS4(vector).metrics["E"] == "A"
    found = exploitation(facts(vector), DEFAULTS)
    assert found.value == Exploitation.ACTIVE
    assert any("E:A" in r for r in found.reasons)


@pytest.mark.parametrize(("maturity", "expected"), [("P", "poc"), ("U", "none"), ("X", "none")])
def test_cvss4_exploit_maturity(maturity: str, expected: str) -> None:
    vector = f"{V40_CRITICAL}/E:{maturity}"
    cvss.CVSS4(vector)
    assert exploitation(facts(vector), DEFAULTS).value == expected


@pytest.mark.parametrize("prefix", ["CVSS:3.0", "CVSS:3.1"])
@pytest.mark.parametrize(("maturity", "expected"), [*[(m, "poc") for m in "PFH"], ("U", "none")])
def test_cvss3_exploit_code_maturity(prefix: str, maturity: str, expected: str) -> None:
    vector = f"{prefix}/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:{maturity}/RL:O/RC:C"
    cvss.CVSS3(vector)
    found = exploitation(facts(vector), DEFAULTS)
    assert found.value == expected
    if expected == "poc":
        assert any(f"E:{maturity}" in r for r in found.reasons)


@pytest.mark.parametrize("maturity", ["POC", "F", "H"])
def test_cvss2_exploitability_proof_of_concept_or_better_is_poc(maturity: str) -> None:
    """CVSS v2 temporal Exploitability takes U, POC, F, H, ND (v2 guide, temporal metrics):
    proof of concept and above count as poc, as E:P/F/H do for v3."""
    vector = f"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:{maturity}/RL:OF/RC:C"
    assert cvss.CVSS2(vector).metrics["E"] == maturity
    assert exploitation(facts(vector), DEFAULTS).value == Exploitation.POC


@given(v31_vectors())
def test_generated_cvss3_maturity_decides_poc(vector: str) -> None:
    metrics = cvss.CVSS3(vector).metrics
    expected = Exploitation.POC if metrics.get("E") in {"P", "F", "H"} else Exploitation.NONE
    assert exploitation(facts(vector), DEFAULTS).value == expected


@given(v40_vectors())
def test_generated_cvss4_maturity(vector: str) -> None:
    e = cvss.CVSS4(vector).metrics.get("E")
    expected = {"A": Exploitation.ACTIVE, "P": Exploitation.POC}.get(e or "", Exploitation.NONE)
    assert exploitation(facts(vector), DEFAULTS).value == expected


@pytest.mark.parametrize(
    ("epss", "expected"), [(0.1, "poc"), (0.5, "poc"), (0.09, "none"), (0.0, "none")]
)
def test_epss_at_above_and_below_the_default_threshold(epss: float, expected: str) -> None:
    assert DEFAULT_EPSS_POC == 0.1
    found = exploitation(facts(epss=epss), DEFAULTS)
    assert found.value == expected
    assert any("EPSS" in r and "0.1" in r for r in found.reasons)


def test_no_epss_and_no_kev_is_none_with_reason() -> None:
    found = exploitation(facts(V31_CRITICAL), DEFAULTS)
    assert found.value == Exploitation.NONE
    assert any("KEV" in r for r in found.reasons)
    assert any("no EPSS" in r for r in found.reasons)


def _thresholds() -> st.SearchStrategy[float]:
    return st.integers(1, 100).map(lambda n: n / 100)


@given(_thresholds(), st.floats(0.0, 1.0))
def test_epss_threshold_decides_and_is_shown(threshold: float, epss: float) -> None:
    settings = ExposureSettings(epss_poc=threshold)
    found = exploitation(facts(epss=epss), settings)
    assert found.value == (Exploitation.POC if epss >= threshold else Exploitation.NONE)
    assert any(f"{threshold:g}" in r for r in found.reasons)


_EPSS_REASON = re.compile(r"EPSS (\d+(?:\.\d+)?) (>=|<) (\d+(?:\.\d+)?)")


@given(_thresholds(), st.integers(-30, 30))
def test_epss_reason_is_true_as_written(threshold: float, offset: int) -> None:
    """EPSS scores come with five decimals (FIRST's daily CSV, e.g. the shared sample
    epss/epss_scores-current_first50rows.csv); near the threshold the reason must still read
    true as written: never "EPSS 0.100 < 0.1"."""
    epss = min(1.0, max(0.0, round(threshold + offset / 100_000, 5)))
    found = exploitation(facts(epss=epss), ExposureSettings(epss_poc=threshold))
    shown = [m for r in found.reasons if (m := _EPSS_REASON.search(r))]
    assert len(shown) == 1, found.reasons
    value, operator, limit = shown[0].groups()
    holds = float(value) >= float(limit) if operator == ">=" else float(value) < float(limit)
    assert holds, (epss, threshold, found.reasons)


def test_epss_just_below_the_threshold_reads_true() -> None:
    found = exploitation(facts(epss=0.09996), DEFAULTS)
    assert found.value == Exploitation.NONE
    assert not any("0.100 < 0.1" in r for r in found.reasons), found.reasons


def test_epss_and_maturity_both_listed() -> None:
    vector = V31_CRITICAL + "/E:F"
    found = exploitation(facts(vector, epss=0.97), DEFAULTS)
    assert found.value == Exploitation.POC
    assert len(found.reasons) == 2


# --- automatable -------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", [V31_CRITICAL, "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:L/I:N/A:N"])
def test_network_no_privileges_no_user_is_automatable(vector: str) -> None:
    cvss.CVSS3(vector)
    found = automatable(facts(vector))
    assert found.value == Automatable.YES
    assert any("AV:N" in r for r in found.reasons)


def test_cvss4_network_no_privileges_no_user_is_automatable() -> None:
    cvss.CVSS4(V40_CRITICAL)
    assert automatable(facts(V40_CRITICAL)).value == Automatable.YES


@pytest.mark.parametrize(
    "change", ["AV:A", "AV:L", "AV:P", "PR:L", "PR:H", "UI:R"], ids=lambda c: c
)
def test_any_barrier_in_cvss3_is_not_automatable(change: str) -> None:
    name = change.split(":")[0]
    vector = re.sub(rf"/{name}:N", f"/{change}", V31_CRITICAL)
    assert cvss.CVSS3(vector).metrics[name] == change.split(":")[1]
    found = automatable(facts(vector))
    assert found.value == Automatable.NO
    assert any(change in r for r in found.reasons)


@pytest.mark.parametrize("change", ["AV:A", "AV:L", "AV:P", "PR:L", "PR:H", "UI:P", "UI:A"])
def test_any_barrier_in_cvss4_is_not_automatable(change: str) -> None:
    name = change.split(":")[0]
    vector = re.sub(rf"/{name}:N", f"/{change}", V40_CRITICAL)
    assert cvss.CVSS4(vector).metrics[name] == change.split(":")[1]
    assert automatable(facts(vector)).value == Automatable.NO


@pytest.mark.parametrize(
    ("vector", "expected"),
    [
        ("AV:N/AC:L/Au:N/C:P/I:P/A:P", "yes"),
        ("AV:N/AC:M/Au:S/C:P/I:P/A:P", "no"),
        ("AV:N/AC:L/Au:M/C:C/I:C/A:C", "no"),
        ("AV:A/AC:L/Au:N/C:P/I:P/A:P", "no"),
        ("AV:L/AC:L/Au:N/C:C/I:C/A:C", "no"),
    ],
)
def test_cvss2_access_vector_and_authentication(vector: str, expected: str) -> None:
    cvss.CVSS2(vector)
    assert automatable(facts(vector)).value == expected


@pytest.mark.parametrize("vector", [None, ""])
def test_no_vector_is_not_automatable_with_reason(vector: str | None) -> None:
    found = automatable(facts(vector))
    assert found.value == Automatable.NO
    assert found.reasons and all(r.strip() for r in found.reasons)
    assert "vector" in found.reasons[0]


@given(v31_vectors())
def test_generated_cvss3_automatable_iff_network_no_privileges_no_user(vector: str) -> None:
    metrics = cvss.CVSS3(vector).metrics  # independent parser: the vector is valid
    expected = metrics["AV"] == "N" and metrics["PR"] == "N" and metrics["UI"] == "N"
    found = automatable(facts(vector))
    assert found.value == (Automatable.YES if expected else Automatable.NO)
    for name in ("AV", "PR", "UI"):
        assert any(f"{name}:{metrics[name]}" in r for r in found.reasons)


@given(v40_vectors())
def test_generated_cvss4_automatable_iff_network_no_privileges_no_user(vector: str) -> None:
    metrics = cvss.CVSS4(vector).metrics
    expected = metrics["AV"] == "N" and metrics["PR"] == "N" and metrics["UI"] == "N"
    assert automatable(facts(vector)).value == (Automatable.YES if expected else Automatable.NO)


@given(v2_vectors())
def test_generated_cvss2_automatable_iff_network_no_authentication(vector: str) -> None:
    metrics = cvss.CVSS2(vector).metrics
    expected = metrics["AV"] == "N" and metrics["Au"] == "N"
    assert automatable(facts(vector)).value == (Automatable.YES if expected else Automatable.NO)


# --- exposure ----------------------------------------------------------------------------------


def test_stored_is_small_whatever_the_zone() -> None:
    found = exposure(profile("Corporate LAN", status="stored", answers={"CONN-6": "Yes"}), DEFAULTS)
    assert found.value == Exposure.SMALL
    assert any("stored" in r for r in found.reasons)


def test_no_means_of_connecting_is_small() -> None:
    found = exposure(profile("Corporate LAN", answers={"CONN-1": "No"}), DEFAULTS)
    assert found.value == Exposure.SMALL
    assert any("CONN-1" in r for r in found.reasons)


def test_isolated_zone_is_small_case_and_spacing_ignored() -> None:
    settings = ExposureSettings(isolated_zones=["Lab  Isolated"])
    found = exposure(profile(" lab ISOLATED "), settings)
    assert found.value == Exposure.SMALL
    assert any("isolated" in r for r in found.reasons)


def test_open_zone_is_open_although_segmented() -> None:
    zone = "DMZ-Imaging"
    assert exposure(profile(zone), DEFAULTS).value == Exposure.CONTROLLED
    found = exposure(profile(zone), ExposureSettings(open_zones=["dmz-imaging"]))
    assert found.value == Exposure.OPEN
    assert any("open" in r for r in found.reasons)


@pytest.mark.parametrize("zone", ["Corporate LAN", "flat", "General", "office lan", "LAN"])
def test_flat_zone_is_open(zone: str) -> None:
    found = exposure(profile(zone), DEFAULTS)
    assert found.value == Exposure.OPEN
    assert any(zone in r for r in found.reasons)


@pytest.mark.parametrize("zone", [None, "", "   "])
def test_unnamed_zone_is_open(zone: str | None) -> None:
    found = exposure(profile(zone), DEFAULTS)
    assert found.value == Exposure.OPEN
    assert any("no network zone" in r for r in found.reasons)


def test_segmented_zone_is_controlled_with_vlan() -> None:
    found = exposure(profile("MED-INFUSION", vlan="42"), DEFAULTS)
    assert found.value == Exposure.CONTROLLED
    assert any("MED-INFUSION" in r and "42" in r for r in found.reasons)


def test_internet_access_in_a_segmented_zone_is_open() -> None:
    found = exposure(profile("MED-INFUSION", answers={"CONN-6": "Yes"}), DEFAULTS)
    assert found.value == Exposure.OPEN
    assert any("CONN-6" in r for r in found.reasons)


@pytest.mark.parametrize(
    ("zone", "answers", "expected"),
    [
        ("MED-INFUSION", {}, Exposure.CONTROLLED),
        ("Corporate LAN", {}, Exposure.OPEN),
        ("MED-INFUSION", {"CONN-6": "Yes"}, Exposure.OPEN),
        ("dmz", {}, Exposure.OPEN),
    ],
)
def test_remote_service_is_noted(zone: str, answers: dict[str, str], expected: Exposure) -> None:
    settings = ExposureSettings(open_zones=["DMZ"])
    found = exposure(profile(zone, answers={**answers, "RMOT-1": "Yes"}), settings)
    assert found.value == expected
    assert any("RMOT-1" in r for r in found.reasons)
    without = exposure(profile(zone, answers=answers), settings)
    assert without.value == expected
    assert not any("RMOT-1" in r for r in without.reasons)


_ZONE_WORDS = st.sampled_from(["MED", "Infusion", "ICU", "Imaging", "Lab", "dmz", "Ward 3"])


@given(st.lists(_ZONE_WORDS, min_size=1, max_size=3), st.data())
def test_listed_zones_ignore_case_and_spacing(words: list[str], data: st.DataObject) -> None:
    listed = " ".join(words)
    variant = "  ".join(w.upper() if data.draw(st.booleans()) else w.lower() for w in words)
    isolated = ExposureSettings(isolated_zones=[listed])
    opened = ExposureSettings(open_zones=[listed])
    assert exposure(profile(f" {variant} "), isolated).value == Exposure.SMALL
    assert exposure(profile(f" {variant} "), opened).value == Exposure.OPEN


# --- impact ------------------------------------------------------------------------------------


@pytest.mark.parametrize("criticality", list(Criticality))
def test_impact_follows_the_policy_table(criticality: Criticality) -> None:
    policy = load_policy()
    found = impact(profile(criticality=criticality.value), policy)
    assert found.name == "impact"
    assert found.value == policy.impact[criticality].impact
    assert any(criticality.value in r for r in found.reasons)


def test_impact_follows_a_changed_table() -> None:
    data: dict[str, Any] = copy.deepcopy(read_packaged_yaml(POLICY_FILE))
    data["impact"]["diagnostic"]["impact"] = "very-high"
    data["patient_data_impact"] = "high"
    policy = policy_from_data(data, source="changed.yaml")
    assert impact(profile(criticality="diagnostic"), policy).value == Impact.VERY_HIGH
    raised = impact(profile(criticality="non-clinical", answers={"MPII-1": "Yes"}), policy)
    assert raised.value == Impact.HIGH


def test_unrecorded_criticality_counts_as_unknown() -> None:
    policy = load_policy()
    found = impact(profile(criticality="whatever"), policy)
    assert found.value == policy.impact[Criticality.UNKNOWN].impact


def test_personal_data_raises_low_to_medium() -> None:
    policy = load_policy()
    assert impact(profile(criticality="non-clinical"), policy).value == Impact.LOW
    found = impact(profile(criticality="non-clinical", answers={"MPII-1": "Yes"}), policy)
    assert found.value == Impact.MEDIUM
    assert any("MPII-1" in r for r in found.reasons)


@given(st.sampled_from(list(Criticality)), st.sampled_from(["Yes", "yes", "No", "N/A", ""]))
def test_personal_data_never_lowers(criticality: Criticality, answer: str) -> None:
    policy = load_policy()
    base = impact(profile(criticality=criticality.value), policy)
    found = impact(profile(criticality=criticality.value, answers={"MPII-1": answer}), policy)
    if answer.lower() == "yes":
        floor = policy.patient_data_impact
        expected = max(Impact(base.value), floor, key=rank)
    else:
        expected = Impact(base.value)
    assert found.value == expected
    assert rank(Impact(found.value)) >= rank(Impact(base.value))


# --- settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [-0.01, 1.01, -1.0, 2.0, float("nan"), float("inf")])
def test_epss_threshold_outside_unit_interval_is_refused(value: float) -> None:
    with pytest.raises(ValidationError):
        ExposureSettings(epss_poc=value)


@pytest.mark.parametrize("value", [0.0, 0.5, 1.0])
def test_epss_threshold_inside_unit_interval_is_kept(value: float) -> None:
    assert ExposureSettings(epss_poc=value).epss_poc == value


def test_zone_names_normalised_and_merged() -> None:
    settings = ExposureSettings(
        open_zones=["Guest  WiFi", "guest wifi", " DMZ ", "", "  "],
        isolated_zones=["Lab\tIsolated", "LAB ISOLATED"],
    )
    assert settings.open_zones == ["dmz", "guest wifi"]
    assert settings.isolated_zones == ["lab isolated"]
    assert settings.zone_listed("GUEST wifi") == "open"
    assert settings.zone_listed("lab   isolated") == "isolated"
    assert settings.zone_listed("ICU") is None
    assert settings.zone_listed(None) is None


@pytest.mark.parametrize("field", ["open_zones", "isolated_zones"])
def test_zone_names_longer_than_120_characters_are_refused(field: str) -> None:
    assert ExposureSettings.model_validate({field: ["z" * 120]}).model_dump()[field] == ["z" * 120]
    with pytest.raises(ValidationError):
        ExposureSettings.model_validate({field: ["z" * 121]})


def test_unknown_setting_is_refused() -> None:
    with pytest.raises(ValidationError):
        ExposureSettings.model_validate({"epss": 0.2})


@given(st.lists(st.text(alphabet="abC D\t", max_size=12), max_size=8))
def test_zone_normalisation_is_idempotent_and_sorted(zones: list[str]) -> None:
    once = ExposureSettings(open_zones=zones).open_zones
    assert once == sorted(set(once))
    assert ExposureSettings(open_zones=once).open_zones == once
    for zone in zones:
        if zone.strip():
            assert ExposureSettings(open_zones=zones).zone_listed(zone.upper()) == "open"


def test_contradictory_no_connectivity_is_not_trusted() -> None:
    """CONN-1 No beside RMOT-1 Yes (remote service) cannot both hold: the zone decides."""
    settings = ExposureSettings()
    contradicted = Profile(
        "diagnostic", "Corporate LAN", None, "in-use", {"CONN-1": "No", "RMOT-1": "Yes"}, None
    )
    found = exposure(contradicted, settings)
    assert found.value == Exposure.OPEN
    assert any("contradicted" in r for r in found.reasons)
    alone = Profile("diagnostic", "Corporate LAN", None, "in-use", {"CONN-1": "No"}, None)
    assert exposure(alone, settings).value == Exposure.SMALL
