from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.incidents.chain import next_record
from medtrust.incidents.errors import IncidentFactsError
from medtrust.incidents.facts_doc import (
    decision_patch,
    merge_patch,
    normalise,
    patch_from_assignments,
    read_document,
    replay_facts,
    submission_entry,
    with_submission,
)
from medtrust.incidents.records import LogKind
from tests.incidents.helpers import one, plan_of
from tests.incidents.workspace.helpers import T0, hospital_facts, opened_log

json_values = st.recursive(
    st.one_of(st.booleans(), st.integers(), st.text(max_size=5)),
    lambda inner: st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8,
)
documents = st.dictionaries(st.text(max_size=3), json_values, max_size=4)


def test_merge_patch_sets_nested_values_and_null_removes() -> None:
    target = {"a": {"b": 1, "c": 2}, "d": [1, 2], "e": "x"}
    patched = merge_patch(target, {"a": {"b": 9, "c": None}, "d": [3], "f": {"g": True}})
    assert patched == {"a": {"b": 9}, "d": [3], "e": "x", "f": {"g": True}}
    assert target == {"a": {"b": 1, "c": 2}, "d": [1, 2], "e": "x"}  # untouched


@given(documents)
def test_merging_a_document_into_itself_changes_nothing(doc: dict[str, Any]) -> None:
    assert merge_patch(doc, doc) == doc


@given(documents, documents)
def test_merge_patch_is_idempotent(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    once = merge_patch(doc, patch)
    assert merge_patch(once, patch) == once


def test_assignments_become_a_patch_with_yaml_scalars() -> None:
    patch = patch_from_assignments(
        [
            "incident.significant=true",
            "incident.handled_at=2026-03-03T10:00:00+01:00",
            "personal_data_breach=",
        ]
    )
    assert patch == {
        "incident": {"significant": True, "handled_at": "2026-03-03T10:00:00+01:00"},
        "personal_data_breach": None,
    }
    with pytest.raises(IncidentFactsError, match=r"dotted\.path=value"):
        patch_from_assignments(["incident.significant"])
    with pytest.raises(IncidentFactsError, match="already a value"):
        patch_from_assignments(["a=1", "a.b=2"])


def test_normalise_refuses_invalid_facts_naming_the_field() -> None:
    doc = hospital_facts()
    doc["incident"]["aware_at"] = "2026-03-02T09:30:00"
    with pytest.raises(IncidentFactsError, match=r"incident\.aware_at.*time zone"):
        normalise(doc)
    with pytest.raises(IncidentFactsError, match="must be a mapping"):
        read_document("- a list")


def test_read_document_turns_yaml_timestamps_into_text() -> None:
    doc = read_document("incident: {aware_at: 2026-03-02T09:30:00+01:00}")
    assert doc == {"incident": {"aware_at": "2026-03-02T09:30:00+01:00"}}


def test_submission_entry_names_device_and_cra_track() -> None:
    plan = plan_of(
        "organisation: {role: manufacturer, country: NL, nis2: important}\n"
        "cra_products:\n"
        "  - {name: Fleet server, severe_incident: {aware_at: 2026-10-20T08:00:00+02:00},"
        " actively_exploited_vulnerability: {aware_at: 2026-10-20T08:00:00+02:00}}\n"
    )
    from medtrust.incidents import parse_facts

    facts = parse_facts(
        "organisation: {role: manufacturer, country: NL, nis2: important}\n"
        "cra_products:\n"
        "  - {name: Fleet server, severe_incident: {aware_at: 2026-10-20T08:00:00+02:00},"
        " actively_exploited_vulnerability: {aware_at: 2026-10-20T08:00:00+02:00}}\n"
    )
    at = datetime(2026, 10, 20, 12, tzinfo=UTC)
    ew = one(plan, "CRA", "early_warning", "Fleet server (severe incident)")
    entry = submission_entry(facts, ew, at)
    assert entry == {
        "regime": "CRA",
        "stage": "early_warning",
        "at": "2026-10-20T12:00:00+00:00",
        "subject": "Fleet server",
        "track": "incident",
    }
    with pytest.raises(IncidentFactsError, match="time zone"):
        submission_entry(facts, ew, datetime(2026, 10, 20, 12))


def test_decision_patch_only_carries_changes() -> None:
    doc = normalise(hospital_facts(significant=False, breach=None))[0]
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    same = decision_patch(
        doc,
        significant=False,
        suspected_malicious=True,
        cross_border=False,
        breach_risk=None,
        breach_aware_at=now,
    )
    assert same == {}
    patch = decision_patch(
        doc,
        significant=True,
        suspected_malicious=True,
        cross_border=False,
        breach_risk="high",
        breach_aware_at=now,
    )
    assert patch == {
        "incident": {"significant": True},
        "personal_data_breach": {"aware_at": now.isoformat(), "risk": "high"},
    }
    with_breach = normalise(merge_patch(doc, patch))[0]
    assert decision_patch(
        with_breach,
        significant=True,
        suspected_malicious=True,
        cross_border=False,
        breach_risk=None,
        breach_aware_at=now,
    ) == {"personal_data_breach": None}


def test_replay_rebuilds_the_facts_from_the_log() -> None:
    doc = hospital_facts(significant=False)
    log = opened_log(doc)
    patch = {"incident": {"significant": True}}
    log.append(
        next_record(log[-1], at=T0, actor="a", kind=LogKind.DECISION, payload={"patch": patch})
    )
    entry = {
        "regime": "NIS2",
        "stage": "early_warning",
        "at": T0.isoformat(),
        "subject": "incident",
    }
    log.append(
        next_record(log[-1], at=T0, actor="a", kind=LogKind.SUBMISSION, payload={"entry": entry})
    )
    log.append(next_record(log[-1], at=T0, actor="a", kind=LogKind.NOTE, payload={"text": "x"}))
    expected = normalise(with_submission(merge_patch(doc, patch), entry))[0]
    assert replay_facts(log) == expected
    assert replay_facts([]) is None
