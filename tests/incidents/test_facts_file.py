"""Bad and inconsistent facts are refused with one-line messages naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.errors import InputError
from medtrust.incidents import IncidentFactsError, parse_facts, read_facts
from tests.incidents.helpers import HOSPITAL_DE, MANUFACTURER_DE, plan_of

INCIDENT = "incident: {aware_at: 2026-03-02T09:30:00+01:00, significant: true}\n"


def _error(text: str) -> str:
    with pytest.raises(IncidentFactsError) as info:
        plan_of(text)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_error_family() -> None:
    assert issubclass(IncidentFactsError, InputError)


def test_time_without_zone_is_refused() -> None:
    message = _error(HOSPITAL_DE + "incident: {aware_at: 2026-03-02T09:30:00, significant: true}\n")
    assert "incident.aware_at" in message and "time zone" in message


def test_date_without_time_is_refused() -> None:
    message = _error(HOSPITAL_DE + "incident: {aware_at: 2026-03-02, significant: true}\n")
    assert "incident.aware_at" in message


def test_unknown_country() -> None:
    message = _error("organisation: {role: healthcare_provider, country: PL, nis2: essential}\n")
    assert message.startswith("organisation.country: 'PL' is not in the authority directory")


def test_malformed_country_code() -> None:
    assert "organisation.country" in _error(
        "organisation: {role: manufacturer, country: Germany, nis2: none}\n"
    )


def test_submission_before_awareness() -> None:
    message = _error(
        HOSPITAL_DE
        + INCIDENT
        + "submissions: [{regime: NIS2, stage: early_warning, at: 2026-03-01T09:30:00+01:00}]\n"
    )
    assert message.startswith("submissions[0].at:") and "incident.aware_at" in message


def test_device_under_both_mdr_and_cra() -> None:
    message = _error(
        MANUFACTURER_DE
        + "devices: [{name: Pump, regulation: MDR, aware_at: 2026-10-02T09:30:00+02:00,"
        + " serious_incident: true}]\n"
        + "cra_products: [{name: pump, severe_incident: {aware_at: 2026-10-02T09:30:00+02:00}}]\n"
    )
    assert message.startswith("cra_products[0].name:") and "Art. 2(2)" in message


def test_contradictory_device_flags() -> None:
    message = _error(
        MANUFACTURER_DE
        + "devices: [{name: Pump, regulation: MDR, aware_at: 2026-10-02T09:30:00+02:00,"
        + " serious_incident: false, death_or_serious_deterioration: true}]\n"
    )
    assert message.startswith("devices[0].serious_incident")


def test_ongoing_incident_with_handling_end() -> None:
    message = _error(
        HOSPITAL_DE
        + "incident: {aware_at: 2026-03-02T09:30:00+01:00, significant: true, ongoing: true,"
        + " handled_at: 2026-03-09T09:30:00+01:00}\n"
    )
    assert message.startswith("incident.handled_at")


def test_unknown_regime_and_stage_in_submissions() -> None:
    assert "submissions[0].regime" in _error(
        HOSPITAL_DE
        + INCIDENT
        + "submissions: [{regime: NIS3, stage: final, at: 2026-03-03T09:30:00+01:00}]\n"
    )
    assert "submissions[0].stage: GDPR has no stage 'early_warning'" in _error(
        HOSPITAL_DE
        + INCIDENT
        + "submissions: [{regime: GDPR, stage: early_warning, at: 2026-03-03T09:30:00+01:00}]\n"
    )


def test_ambiguous_submission_asks_for_the_subject() -> None:
    devices = "".join(
        f"  - {{name: {n}, regulation: MDR, aware_at: 2026-03-02T09:30:00+01:00,"
        " serious_incident: true}\n"
        for n in ("Pump", "Monitor")
    )
    message = _error(
        MANUFACTURER_DE
        + "devices:\n"
        + devices
        + "submissions: [{regime: MDR, stage: serious_incident_report,"
        + " at: 2026-03-03T09:30:00+01:00}]\n"
    )
    assert message.startswith("submissions[0]: matches several") and "subject" in message
    plan = plan_of(
        MANUFACTURER_DE
        + "devices:\n"
        + devices
        + "submissions: [{regime: MDR, stage: serious_incident_report, subject: pump,"
        + " at: 2026-03-03T09:30:00+01:00}]\n"
    )
    submitted = {
        o.subject: o.submitted_at
        for o in plan.obligations
        if o.stage.value == "serious_incident_report"
    }
    assert submitted["Pump"] is not None and submitted["Monitor"] is None


def test_unmatched_submission_is_noted() -> None:
    plan = plan_of(
        "organisation: {role: healthcare_provider, country: DE, nis2: none}\n"
        + INCIDENT
        + "submissions: [{regime: NIS2, stage: early_warning, at: 2026-03-03T09:30:00+01:00}]\n"
    )
    assert any(
        n.startswith("submissions[0] (NIS2 early_warning) matches no obligation")
        for n in plan.notes
    )


def test_unknown_fields_and_timezones() -> None:
    assert "incident.severity" in _error(
        HOSPITAL_DE
        + "incident: {aware_at: 2026-03-02T09:30:00+01:00, significant: true, severity: 3}\n"
    )
    assert "organisation.timezone" in _error(
        "organisation: {role: manufacturer, country: DE, nis2: none, timezone: Mars/Olympus}\n"
    )


def test_cra_product_needs_a_track() -> None:
    assert _error(MANUFACTURER_DE + "cra_products: [{name: X}]\n").startswith("cra_products[0]")


def test_json_facts_file(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text(
        json.dumps(
            {
                "organisation": {
                    "role": "healthcare_provider",
                    "country": "DE",
                    "nis2": "essential",
                },
                "incident": {"aware_at": "2026-03-02T09:30:00Z", "significant": True},
            }
        ),
        encoding="utf-8",
    )
    facts = read_facts(path)
    assert facts.incident is not None and facts.incident.aware_at.utcoffset() is not None


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(IncidentFactsError, match="cannot read"):
        read_facts(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisation: [unclosed\n", encoding="utf-8")
    with pytest.raises(IncidentFactsError, match="not valid YAML"):
        read_facts(bad)
    listy = tmp_path / "list.yaml"
    listy.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(IncidentFactsError, match="mapping"):
        read_facts(listy)


@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        parse_facts(text)
    except IncidentFactsError as exc:
        assert "\n" not in str(exc)
