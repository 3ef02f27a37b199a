from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from medtrust.incidents import load_directory, load_regimes, parse_facts, plan_obligations
from medtrust.incidents.obligation import State
from medtrust.incidents.records import ObligationState
from medtrust.incidents.workspace import WorkStatus, keyed_obligations, notice_key
from tests.incidents.test_scenarios import SCENARIOS
from tests.incidents.workspace.helpers import T0, hospital_facts, later, workspace_of


def test_keys_are_regime_stage_subject_and_unique_in_every_scenario() -> None:
    for path in sorted(SCENARIOS.glob("*.facts.yaml")):
        facts = parse_facts(path.read_text(encoding="utf-8"))
        plan = plan_obligations(facts, regimes=load_regimes(), directory=load_directory())
        keys = [k for k, _o in keyed_obligations(plan)]
        assert len(keys) == len(set(keys)), path.name
        for key, o in keyed_obligations(plan):
            assert key.startswith(f"{o.regime}:{o.stage.value}:{o.subject}")


def test_two_final_reports_of_an_ongoing_incident_get_distinct_keys() -> None:
    facts = parse_facts((SCENARIOS / "fr_hospital_ongoing.facts.yaml").read_text("utf-8"))
    plan = plan_obligations(facts, regimes=load_regimes(), directory=load_directory())
    finals = {k: o.rule_id for k, o in keyed_obligations(plan) if o.stage.value == "final"}
    assert finals == {
        "NIS2:final:incident": "nis2.final",
        "NIS2:final:incident#nis2.final_after_handling": "nis2.final_after_handling",
    }


def test_status_follows_draft_submission_acknowledgement_and_applicability() -> None:
    key = "NIS2:early_warning:incident"
    ws = workspace_of(hospital_facts(), now=later(1))
    assert ws.item(key) is not None and ws.item(key).status is WorkStatus.DUE  # type: ignore[union-attr]
    drafted = workspace_of(
        hospital_facts(), now=later(1), states=[ObligationState(key, draft={"contact": "x"})]
    )
    assert drafted.item(key).status is WorkStatus.DRAFTED  # type: ignore[union-attr]
    doc = hospital_facts()
    doc["submissions"] = [{"regime": "NIS2", "stage": "early_warning", "at": later(2).isoformat()}]
    sent = workspace_of(doc, now=later(3))
    assert sent.item(key).status is WorkStatus.SUBMITTED  # type: ignore[union-attr]
    assert sent.item(key).clock == "submitted"  # type: ignore[union-attr]
    acked = workspace_of(
        doc, now=later(3), states=[ObligationState(key, acknowledged_at=later(2.5))]
    )
    assert acked.item(key).status is WorkStatus.ACKNOWLEDGED  # type: ignore[union-attr]
    na = workspace_of(
        hospital_facts(),
        now=later(1),
        states=[ObligationState(key, not_applicable_grounds="CSIRT says not significant")],
    )
    item = na.item(key)
    assert item is not None and item.status is WorkStatus.NOT_APPLICABLE
    assert item.clock == "not applicable" and not item.overdue


def test_open_dated_reports_come_first_soonest_first_then_undated_then_done() -> None:
    doc = hospital_facts()
    doc["submissions"] = [{"regime": "NIS2", "stage": "early_warning", "at": later(2).isoformat()}]
    ws = workspace_of(doc, now=later(30))
    groups = [i.urgency_key()[0] for i in ws.items]
    assert groups == sorted(groups)
    dated = [i for i in ws.items if i.status.open and i.obligation.due is not None]
    expiries = [i.obligation.due.expires_at for i in dated]  # type: ignore[union-attr]
    assert expiries == sorted(expiries)
    assert ws.items[-1].key == "NIS2:early_warning:incident"
    # after 30 h the two 72-h reports are the most urgent; equal deadlines sort by regime
    assert [i.key for i in ws.items[:2]] == [
        "GDPR:authority_notification:personal data breach",
        "NIS2:notification:incident",
    ]


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=24 * 40))
def test_overdue_reports_precede_pending_ones_at_any_time(hours: int) -> None:
    ws = workspace_of(hospital_facts(), now=T0 + timedelta(hours=hours))
    states = [i.obligation.status.state for i in ws.items if i.obligation.status is not None]
    seen_pending = False
    for state in states:
        if state is State.PENDING:
            seen_pending = True
        assert not (seen_pending and state is State.OVERDUE)


def test_hospital_gets_a_manufacturer_notice_per_device_and_orphans_are_kept() -> None:
    key = notice_key("Infusion pump")
    orphan = ObligationState("NIS2:progress:incident", draft={"status_update": "x"})
    ws = workspace_of(hospital_facts(), now=later(1), states=[orphan])
    assert [n.key for n in ws.notices] == [key]
    assert ws.knows(key) and ws.notice(key) is not None
    assert ws.orphans == (orphan,)
    manufacturer = hospital_facts()
    manufacturer["organisation"]["role"] = "manufacturer"
    assert workspace_of(manufacturer, now=later(1)).notices == ()


def test_not_significant_incident_has_no_nis2_reports() -> None:
    ws = workspace_of(hospital_facts(significant=False, breach=None, device=False), now=T0)
    assert not [i for i in ws.items if i.obligation.regime == "NIS2"]
    assert any(n.regime == "NIS2" for n in ws.not_applicable)
