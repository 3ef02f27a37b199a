from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.incidents.drafts import DraftError, clean_values, display, missing
from medtrust.incidents.records import ObligationState
from medtrust.incidents.report_document import report_for
from medtrust.incidents.report_templates import load_templates
from medtrust.incidents.workspace import notice_key
from tests.incidents.workspace.helpers import hospital_facts, later, opened_log, workspace_of

EW = "NIS2:early_warning:incident"


def _report(key: str, states: list[ObligationState] | None = None, **facts: Any) -> Any:
    doc = hospital_facts(**facts)
    ws = workspace_of(doc, now=later(1), states=states or [])
    return report_for(
        ws, key, templates=load_templates(), organisation_name="St. Elsewhere", log=opened_log(doc)
    )


def test_early_warning_is_prefilled_from_the_facts() -> None:
    report = _report(EW)
    assert report.template.id == "nis2-early-warning"
    assert report.values["entity"] == "St. Elsewhere"
    assert report.values["suspected_malicious"] == "yes"  # facts: suspected_malicious true
    assert report.values["cross_border"] == "no"
    # 09:30 UTC shown in the organisation's zone (Europe/Berlin, CET)
    assert report.values["aware_at"] == "2026-03-02T10:30:00+01:00"
    assert report.values["contact"] is None
    assert report.missing == ("contact",)
    assert not report.saved and report.status == "due"


def test_saved_values_win_including_a_cleared_field() -> None:
    state = ObligationState(EW, draft={"cross_border": "yes", "summary": None})
    report = _report(EW, [state])
    assert report.values["cross_border"] == "yes"
    assert report.values["summary"] is None  # cleared by the user, not pre-filled again
    assert report.status == "drafted"


def test_notification_repeats_the_early_warning_draft() -> None:
    states = [ObligationState(EW, draft={"suspected_malicious": "unknown", "contact": "soc@x"})]
    report = _report("NIS2:notification:incident", states)
    assert report.values["suspected_malicious"] == "unknown"
    assert report.values["contact"] == "soc@x"


def test_mdr_style_user_report_and_notice_are_prefilled_for_the_device() -> None:
    national = _report("DE-MPAMIV:report:Infusion pump")
    assert national.template.id == "vigilance-user-report"
    assert national.values["device"] == "Infusion pump"
    notice = _report(notice_key("Infusion pump"))
    assert notice.template.id == "manufacturer-notice"
    assert notice.values["serious_incident"] == "yes"
    assert notice.values["patient_consequences"] == "other_serious"


def test_clean_values_checks_kinds_and_refuses_unknown_fields() -> None:
    template = load_templates().get("mdr-serious-incident-report")
    cleaned = clean_values(
        template,
        {
            "report_type": "initial",
            "device_problem_codes": ["A110502", "A1105", "A1105"],
            "aware_at": "2026-03-02T09:30:00+01:00",
            "description": "  text\r\nmore  ",
        },
    )
    assert cleaned["device_problem_codes"] == ["A1105", "A110502"]
    assert cleaned["description"] == "text\nmore"
    for bad, message in (
        ({"report_type": "weekly"}, "report_type"),
        ({"device_problem_codes": ["Z9"]}, "unknown code"),
        ({"aware_at": "2026-03-02T09:30"}, "time zone"),
        ({"aware_at": "yesterday"}, "ISO 8601"),
        ({"nonsense": "x"}, "unknown field"),
        ({"description": 5}, "expected text"),
    ):
        with pytest.raises(DraftError, match=message):
            clean_values(template, bad)


@given(st.dictionaries(st.sampled_from(["entity", "summary", "contact"]), st.text(max_size=30)))
def test_cleaned_text_never_grows_and_missing_lists_only_required(values: dict[str, str]) -> None:
    template = load_templates().get("nis2-early-warning")
    cleaned = clean_values(template, values)
    for key, value in cleaned.items():
        assert value is None or (isinstance(value, str) and len(value) <= len(values[key]))
    required = {f.key for f in template.fields if f.required}
    assert set(missing(template, cleaned)) <= required


def test_display_uses_labels() -> None:
    template = load_templates().get("mdr-serious-incident-report")
    codes = template.field("device_problem_codes")
    assert codes is not None
    assert display(codes, ["A1105"]) == "A1105 Computer System Security Problem"
    yes_no = load_templates().get("nis2-early-warning").field("cross_border")
    assert yes_no is not None and display(yes_no, "no") == "No" and display(yes_no, None) == ""
