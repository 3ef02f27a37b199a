"""Rule-by-rule behaviour of the obligations engine."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from medtrust.incidents import (
    IncidentFactsError,
    load_directory,
    load_regimes,
    parse_facts,
    plan_obligations,
)
from medtrust.incidents.obligation import State
from tests.incidents.helpers import HOSPITAL_DE, MANUFACTURER_DE, find, one, plan_of, reasons

INCIDENT = "incident: {aware_at: 2026-03-02T09:30:00+01:00, significant: true}\n"


# --- NIS2 -----------------------------------------------------------------------------------


def test_nis2_not_for_entities_outside_scope() -> None:
    plan = plan_of(
        "organisation: {role: healthcare_provider, country: DE, nis2: none}\n" + INCIDENT
    )
    assert not find(plan, "NIS2", "early_warning")
    assert ("NIS2", "Art. 3; Art. 23(1)") in reasons(plan)


def test_nis2_not_for_insignificant_incidents() -> None:
    plan = plan_of(
        HOSPITAL_DE + "incident: {aware_at: 2026-03-02T09:30:00+01:00, significant: false}\n"
    )
    assert not find(plan, "NIS2", "notification")
    assert ("NIS2", "Art. 23(3)") in reasons(plan)


def test_nis2_final_waits_for_the_notification_submission() -> None:
    plan = plan_of(HOSPITAL_DE + INCIDENT)
    final = one(plan, "NIS2", "final")
    assert final.due is None
    assert final.anchor.at is None
    assert "submission of the incident notification" in final.anchor.event
    # projected: notification due 5 Mar 09:30 -> one month later, 5 Apr
    assert final.projected_due is not None
    assert final.projected_due.day == date(2026, 4, 5)


def test_nis2_final_is_dated_from_the_actual_submission() -> None:
    plan = plan_of(
        HOSPITAL_DE
        + "incident: {aware_at: 2026-01-29T09:00:00+01:00, significant: true}\n"
        + "submissions: [{regime: NIS2, stage: notification, at: 2026-01-31T08:00:00+01:00}]\n"
    )
    final = one(plan, "NIS2", "final")
    assert final.due is not None
    assert final.due.day == date(2026, 2, 28)  # 31 Jan + 1 month, clamped
    assert final.anchor.at == datetime(2026, 1, 31, 7, 0, tzinfo=UTC)
    notification = one(plan, "NIS2", "notification")
    assert notification.submitted_at == datetime(2026, 1, 31, 7, 0, tzinfo=UTC)


def test_nis2_ongoing_incident_lists_progress_and_final_after_handling() -> None:
    plan = plan_of(
        HOSPITAL_DE
        + "incident: {aware_at: 2026-03-02T09:30:00+01:00, significant: true, ongoing: true}\n"
    )
    progress = one(plan, "NIS2", "progress")
    assert progress.condition is not None and "still ongoing" in progress.condition
    finals = find(plan, "NIS2", "final")
    assert {o.rule_id for o in finals} == {"nis2.final", "nis2.final_after_handling"}
    after = next(o for o in finals if o.rule_id == "nis2.final_after_handling")
    assert after.due is None and after.anchor.event == "the end of the handling of the incident"


def test_nis2_incident_outlasting_the_final_deadline() -> None:
    plan = plan_of(
        HOSPITAL_DE
        + "incident: {aware_at: 2026-03-02T09:30:00+01:00, significant: true, ongoing: false,"
        + " handled_at: 2026-05-20T12:00:00+02:00}\n"
        + "submissions: [{regime: NIS2, stage: notification, at: 2026-03-04T10:00:00+01:00}]\n"
    )
    progress = one(plan, "NIS2", "progress")
    assert progress.due is not None and progress.due.day == date(2026, 4, 4)
    assert progress.condition is None
    final = one(plan, "NIS2", "final")
    assert final.rule_id == "nis2.final_after_handling"
    assert final.due is not None and final.due.day == date(2026, 6, 20)
    assert ("NIS2", "Art. 23(4)(e)") in reasons(plan)


def test_nis2_early_warning_says_what_to_state() -> None:
    plan = plan_of(
        HOSPITAL_DE
        + "incident: {aware_at: 2026-03-02T09:30:00+01:00, significant: true,"
        + " suspected_malicious: true, cross_border: false}\n"
    )
    note = one(plan, "NIS2", "early_warning").notes[0]
    assert "malicious act: yes" in note and "cross-border impact: no" in note


def test_nis2_recipient_pending_designation_is_said() -> None:
    plan = plan_of(
        "organisation: {role: healthcare_provider, country: NL, nis2: essential}\n" + INCIDENT
    )
    recipient = one(plan, "NIS2", "notification").recipient
    assert recipient.startswith("NL nis2 csirt: designation pending")
    assert any("transposition pending" in n for n in plan.notes)


# --- GDPR -----------------------------------------------------------------------------------

BREACH = "personal_data_breach: {{aware_at: 2026-03-02T15:00:00+01:00, risk: {risk}{extra}}}\n"


def test_gdpr_72_hours_from_the_controllers_awareness() -> None:
    plan = plan_of(HOSPITAL_DE + BREACH.format(risk="risk", extra=""))
    notice = one(plan, "GDPR", "authority_notification")
    assert notice.due is not None
    assert notice.due.expires_at == datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
    assert notice.article == "Art. 33(1)"
    assert ("GDPR", "Art. 34(1)") in reasons(plan)  # not high risk
    assert one(plan, "GDPR", "phased_information").condition is not None


def test_gdpr_unlikely_risk_is_only_documented() -> None:
    plan = plan_of(HOSPITAL_DE + BREACH.format(risk="unlikely", extra=""))
    assert not find(plan, "GDPR", "authority_notification")
    assert one(plan, "GDPR", "documentation").article == "Art. 33(5)"
    assert ("GDPR", "Art. 33(1)") in reasons(plan)


def test_gdpr_high_risk_communication_without_undue_delay() -> None:
    plan = plan_of(HOSPITAL_DE + BREACH.format(risk="high", extra=""))
    message = one(plan, "GDPR", "data_subject_communication")
    assert message.due is None
    assert message.limit == "without undue delay"
    assert message.condition is not None and "high risk" in message.condition


@pytest.mark.parametrize(
    ("extra", "article"),
    [
        (", unintelligible_to_others: true", "Art. 34(3)(a)"),
        (", high_risk_no_longer_likely: true", "Art. 34(3)(b)"),
    ],
)
def test_gdpr_article_34_3_exceptions(extra: str, article: str) -> None:
    plan = plan_of(HOSPITAL_DE + BREACH.format(risk="high", extra=extra))
    assert not find(plan, "GDPR", "data_subject_communication")
    assert ("GDPR", article) in reasons(plan)


def test_gdpr_disproportionate_effort_means_public_communication() -> None:
    plan = plan_of(
        HOSPITAL_DE + BREACH.format(risk="high", extra=", disproportionate_effort: true")
    )
    public = one(plan, "GDPR", "data_subject_communication")
    assert public.article == "Art. 34(3)(c)"
    assert public.recipient.startswith("the public")


def test_gdpr_processor_informs_the_controller() -> None:
    plan = plan_of(HOSPITAL_DE + BREACH.format(risk="high", extra=", role: processor"))
    assert one(plan, "GDPR", "notification").recipient == "the controller"
    assert not find(plan, "GDPR", "authority_notification")
    assert ("GDPR", "Art. 33(2)") in reasons(plan)


def test_omnibus_proposal_is_off_by_default_and_changes_gdpr_when_on() -> None:
    facts = HOSPITAL_DE + BREACH.format(risk="high", extra="")
    default = one(plan_of(facts), "GDPR", "authority_notification")
    assert not default.proposal and default.limit == "72 h"
    proposed = one(plan_of(facts, proposals=("OMNIBUS-GDPR",)), "GDPR", "authority_notification")
    assert proposed.proposal and proposed.limit == "96 h"
    assert proposed.due is not None
    assert proposed.due.expires_at == datetime(2026, 3, 6, 14, 0, tzinfo=UTC)
    assert "single entry point" in proposed.recipient
    # under the proposal a breach with ordinary risk is not notified
    plan = plan_of(HOSPITAL_DE + BREACH.format(risk="risk", extra=""), proposals=("OMNIBUS-GDPR",))
    assert not find(plan, "GDPR", "authority_notification")
    assert any("COM(2025) 837" in n.article for n in plan.not_applicable)


# --- MDR / IVDR and national duties -------------------------------------------------------

DEVICE = (
    "devices:\n  - {{name: Pump, regulation: {reg}, aware_at: 2026-03-02T09:30:00+01:00,"
    " serious_incident: {serious}{extra}}}\n"
)


@pytest.mark.parametrize(
    ("extra", "days", "article"),
    [
        ("", 15, "Art. 87(3)"),
        (", death_or_serious_deterioration: true", 10, "Art. 87(5)"),
        (", serious_public_health_threat: true", 2, "Art. 87(4)"),
        (
            ", death_or_serious_deterioration: true, serious_public_health_threat: true",
            2,
            "Art. 87(4)",
        ),
    ],
)
def test_mdr_limits_in_calendar_days_from_awareness(extra: str, days: int, article: str) -> None:
    plan = plan_of(MANUFACTURER_DE + DEVICE.format(reg="MDR", serious="true", extra=extra))
    report = one(plan, "MDR", "serious_incident_report")
    assert report.article == article
    assert report.due is not None and report.due.day == date(2026, 3, 2 + days)
    assert report.actor == "manufacturer"
    assert report.recipient.endswith("(BfArM)")


def test_ivdr_mirrors_mdr() -> None:
    plan = plan_of(
        MANUFACTURER_DE
        + DEVICE.format(reg="IVDR", serious="true", extra=", serious_public_health_threat: true")
    )
    report = one(plan, "IVDR", "serious_incident_report")
    assert report.article == "Art. 82(4)"
    assert report.due is not None and report.due.day == date(2026, 3, 4)


def test_fsca_is_reported_before_it_starts() -> None:
    plan = plan_of(
        MANUFACTURER_DE
        + DEVICE.format(
            reg="MDR", serious="true", extra=", fsca_planned_at: 2026-03-10T08:00:00+01:00"
        )
    )
    fsca = one(plan, "MDR", "fsca_report")
    assert fsca.due is not None and fsca.due.expires_at == datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    unplanned = one(
        plan_of(MANUFACTURER_DE + DEVICE.format(reg="MDR", serious="true", extra="")),
        "MDR",
        "fsca_report",
    )
    assert unplanned.due is None and unplanned.condition is not None


def test_non_serious_incident_is_not_reported_under_mdr() -> None:
    plan = plan_of(MANUFACTURER_DE + DEVICE.format(reg="MDR", serious="false", extra=""))
    assert not find(plan, "MDR", "serious_incident_report")
    assert ("MDR", "Art. 87(1)(a); Art. 2(65)") in reasons(plan)


@pytest.mark.parametrize(
    ("country", "reg", "regime", "recipient"),
    [
        ("DE", "MDR", "DE-MPAMIV", "(BfArM)"),
        ("FR", "MDR", "FR-CSP-L5212-2", "(ANSM)"),
        ("FR", "IVDR", "FR-CSP-L5222-3", "(ANSM)"),
        ("AT", "IVDR", "AT-MPG", "(BASG)"),
    ],
)
def test_hospitals_have_the_national_user_duty_not_the_mdr_one(
    country: str, reg: str, regime: str, recipient: str
) -> None:
    org = f"organisation: {{role: healthcare_provider, country: {country}, nis2: essential}}\n"
    plan = plan_of(org + DEVICE.format(reg=reg, serious="true", extra=""))
    report = one(plan, regime, "report")
    assert report.recipient.endswith(recipient)
    assert report.due is None
    assert not find(plan, reg, "serious_incident_report")
    assert any("inform the manufacturer" in n for n in plan.notes)


def test_no_national_duty_encoded_is_said_not_guessed() -> None:
    org = "organisation: {role: healthcare_provider, country: NL, nis2: essential}\n"
    plan = plan_of(org + DEVICE.format(reg="MDR", serious="true", extra=""))
    assert not [o for o in plan.obligations if o.stage.value == "report"]
    assert any("No national user-reporting duty" in n and "IGJ" in n for n in plan.notes)


def test_manufacturer_reports_where_the_incident_occurred() -> None:
    plan = plan_of(
        MANUFACTURER_DE + DEVICE.format(reg="MDR", serious="true", extra=", occurred_in: IT")
    )
    assert one(plan, "MDR", "serious_incident_report").recipient == "Ministero della Salute"


# --- CRA ------------------------------------------------------------------------------------

PRODUCT = "cra_products:\n  - name: Scheduler\n    {track}\n"


def test_cra_not_before_11_september_2026() -> None:
    plan = plan_of(
        MANUFACTURER_DE
        + PRODUCT.format(
            track="actively_exploited_vulnerability: {aware_at: 2026-09-10T23:59:00+02:00}"
        )
    )
    assert not find(plan, "CRA", "early_warning")
    assert ("CRA", "Art. 71(2)") in reasons(plan)
    plan = plan_of(
        MANUFACTURER_DE
        + PRODUCT.format(
            track="actively_exploited_vulnerability: {aware_at: 2026-09-11T00:00:00+02:00}"
        )
    )
    assert find(plan, "CRA", "early_warning")


def test_cra_vulnerability_final_14_days_after_the_fix() -> None:
    track = (
        "actively_exploited_vulnerability: {aware_at: 2026-10-01T10:00:00+02:00,"
        " fix_available_at: 2026-10-20T09:00:00+02:00}"
    )
    plan = plan_of(MANUFACTURER_DE + PRODUCT.format(track=track))
    final = one(plan, "CRA", "final")
    assert final.due is not None and final.due.day == date(2026, 11, 3)
    assert final.condition == "unless the relevant information has already been provided"
    assert one(plan, "CRA", "early_warning").recipient.endswith(
        "single reporting platform (Art. 16)"
    )


def test_cra_vulnerability_final_waits_for_a_fix() -> None:
    plan = plan_of(
        MANUFACTURER_DE
        + PRODUCT.format(
            track="actively_exploited_vulnerability: {aware_at: 2026-10-01T10:00:00+02:00}"
        )
    )
    final = one(plan, "CRA", "final")
    assert final.due is None and final.anchor.at is None
    assert final.projected_due is None


def test_cra_fix_before_awareness_counts_from_awareness() -> None:
    track = (
        "actively_exploited_vulnerability: {aware_at: 2026-10-01T10:00:00+02:00,"
        " fix_available_at: 2026-09-20T09:00:00+02:00}"
    )
    final = one(plan_of(MANUFACTURER_DE + PRODUCT.format(track=track)), "CRA", "final")
    assert final.due is not None and final.due.day == date(2026, 10, 15)
    assert final.notes


def test_cra_not_for_hospitals_and_not_for_medical_devices() -> None:
    plan = plan_of(
        HOSPITAL_DE + PRODUCT.format(track="severe_incident: {aware_at: 2026-10-01T10:00:00+02:00}")
    )
    assert not find(plan, "CRA", "early_warning")
    assert ("CRA", "Art. 14(1), (3)") in reasons(plan)
    plan = plan_of(MANUFACTURER_DE + DEVICE.format(reg="MDR", serious="true", extra=""))
    assert any(
        n.regime == "CRA" and n.article == "Art. 2(2)" and n.subject == "Pump"
        for n in plan.not_applicable
    )


# --- ordering, status, purity ---------------------------------------------------------------


def test_order_is_by_due_then_regime_then_stage() -> None:
    plan = plan_of(
        HOSPITAL_DE
        + INCIDENT
        + BREACH.format(risk="high", extra="")
        + DEVICE.format(reg="MDR", serious="true", extra="")
    )
    dated = [o for o in plan.obligations if o.due is not None]
    undated = [o for o in plan.obligations if o.due is None]
    assert plan.obligations == (*dated, *undated)
    assert [o.due.expires_at for o in dated if o.due] == sorted(
        o.due.expires_at for o in dated if o.due
    )
    keys = [(o.regime, o.stage.order, o.subject) for o in undated]
    assert keys == sorted(keys)


def test_now_adds_status() -> None:
    facts = parse_facts(
        HOSPITAL_DE
        + INCIDENT
        + "submissions: [{regime: NIS2, stage: early_warning, at: 2026-03-03T11:00:00+01:00}]\n"
    )
    plan = plan_obligations(
        facts,
        regimes=load_regimes(),
        directory=load_directory(),
        now=datetime(2026, 3, 4, 8, 30, tzinfo=UTC),
    )
    status = {o.stage.value: o.status for o in plan.obligations if o.regime == "NIS2"}
    assert (
        status["early_warning"] is not None
        and status["early_warning"].state is State.SUBMITTED_LATE
    )
    notification = status["notification"]
    assert notification is not None and notification.state is State.PENDING
    assert notification.describe() == "1 d 0 h 0 min left"
    final = status["final"]
    assert final is not None and final.state is State.AWAITING_ANCHOR
    late = plan_obligations(
        facts,
        regimes=load_regimes(),
        directory=load_directory(),
        now=datetime(2026, 3, 6, 8, 30, tzinfo=UTC),
    )
    notice = next(o for o in late.obligations if o.stage.value == "notification")
    assert notice.status is not None and notice.status.describe() == "overdue by 1 d 0 h 0 min"


def test_naive_now_is_refused() -> None:
    with pytest.raises(IncidentFactsError, match="now"):
        plan_obligations(
            parse_facts(HOSPITAL_DE + INCIDENT),
            regimes=load_regimes(),
            directory=load_directory(),
            now=datetime(2026, 3, 4, 9, 30),
        )


def test_planning_is_deterministic() -> None:
    text = HOSPITAL_DE + INCIDENT + BREACH.format(risk="high", extra="")
    assert plan_of(text) == plan_of(text)
