"""Asset-specific operational statuses on the shared-responsibility matrix (pure rules)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.compliance.library import packaged_library
from medtrust.compliance.responsibility import (
    CAPABILITY_FRAMEWORK,
    EXPOSING,
    NOT_APPLICABLE,
    PROTECTIVE,
    CapabilityRow,
    capability_rows,
)
from medtrust.domain.asset import EndOfSupport, LifecycleAssessment, SupportSource
from medtrust.inventory.lifecycle import LifecycleFacts, assess, is_segmented
from medtrust.inventory.responsibility_ops import (
    RULES,
    AssetOpsFacts,
    AssetRow,
    OpState,
    operational_rows,
    state_counts,
)

TODAY = date(2026, 6, 1)
NETWORK_CAPABILITIES = ("MLDP", "SAHD", "NAUT", "TXCF", "TXIG")


def _lifecycle(end: date | None = None, zone: str | None = None) -> LifecycleAssessment:
    product_end = EndOfSupport(end, SupportSource.MANUFACTURER, "letter 7") if end else None
    facts = LifecycleFacts(
        product_end=product_end,
        os_name=None,
        os_release=None,
        network_zone=zone,
        vlan=None,
        mds2_answers={},
    )
    return assess(facts, today=TODAY)


def _facts(
    stances: dict[str, str], *, zone: str | None = None, end: date | None = None
) -> AssetOpsFacts:
    return AssetOpsFacts(
        network_zone=zone,
        vlan="310" if zone else None,
        lifecycle=_lifecycle(end, zone),
        stances=stances,
        today=TODAY,
    )


def _rows(stances: dict[str, str], **facts: object) -> dict[str, AssetRow]:
    rows = capability_rows(packaged_library(), stances)
    out = operational_rows(rows, _facts(stances, **facts))  # type: ignore[arg-type]
    return {r.row.capability.ref_id: r for r in out}


NO_MALWARE = {"MLDP-2": EXPOSING, "MLDP-1": EXPOSING, "MLDP-4": PROTECTIVE}


def test_missing_anti_malware_in_a_segmented_zone_is_met() -> None:
    mldp = _rows(NO_MALWARE, zone="MED-ICU")["MLDP"]
    [status] = mldp.operational
    assert status.rule == "segmentation" and status.state is OpState.MET
    assert "segmented network zone 'MED-ICU', VLAN 310" in status.text
    assert "MLDP-1, MLDP-2" in status.text  # what it compensates for: the row's open answers


def test_missing_anti_malware_on_the_general_network_is_open() -> None:
    [status] = _rows(NO_MALWARE, zone="Corporate LAN")["MLDP"].operational
    assert status.state is OpState.OPEN and "on the general network" in status.text
    [unknown] = _rows(NO_MALWARE, zone=None)["MLDP"].operational
    assert unknown.state is OpState.OPEN and "no network zone recorded" in unknown.text


def test_nothing_to_compensate_gives_no_segmentation_status() -> None:
    provided = {"MLDP-2": PROTECTIVE, "MLDP-2.1": PROTECTIVE}
    assert _rows(provided, zone="Corporate")["MLDP"].operational == ()


def test_end_of_support_statuses_on_the_update_capability() -> None:
    ended = _rows({}, end=date(2025, 12, 31), zone="MED-ICU")["CSUP"].operational
    assert [(s.rule, s.state) for s in ended] == [("end-of-support", OpState.OPEN)]
    assert "security updates ended on 2025-12-31" in ended[0].text
    assert "letter 7" in ended[0].text and "'MED-ICU'" in ended[0].text  # compensation listed
    [ending] = _rows({}, end=date(2026, 7, 1))["CSUP"].operational
    assert ending.state is OpState.OPEN and "in 30 days" in ending.text
    assert "no compensation recorded" in ending.text
    [supported] = _rows({}, end=date(2030, 1, 1))["CSUP"].operational
    assert supported.state is OpState.MET and "until 2030-01-01" in supported.text
    [unknown] = _rows({})["CSUP"].operational
    assert unknown.state is OpState.CHECK and "ask the manufacturer" in unknown.text


def test_remote_service_is_the_hospitals_to_control() -> None:
    remote = {"RMOT-1": EXPOSING, "RMOT-1.1": PROTECTIVE, "RMOT-1.2": EXPOSING}
    [status] = _rows(remote)["NAUT"].operational
    assert status.rule == "remote-service" and status.state is OpState.CHECK
    assert "the hospital controls remote sessions" in status.text
    assert "start them itself (RMOT-1.1)" in status.text
    assert "RMOT-1.2: No" in status.text
    assert status.questions == ("RMOT-1", "RMOT-1.1", "RMOT-1.2")
    assert "RMOT-1.1" in _rows(remote)["NAUT"].questions
    cannot = _rows({"RMOT-1": EXPOSING, "RMOT-1.1": EXPOSING})["NAUT"].operational[0]
    assert "cannot start them itself" in cannot.text
    [none] = _rows({"RMOT-1": PROTECTIVE})["NAUT"].operational
    assert none.state is OpState.MET
    assert _rows({"RMOT-1": NOT_APPLICABLE})["NAUT"].operational == ()
    [unanswered] = _rows({})["NAUT"].operational
    assert unanswered.state is OpState.CHECK and "RMOT-1 unanswered" in unanswered.text


def test_rules_annotate_known_capabilities_and_rest_on_packaged_requirements() -> None:
    library = packaged_library()
    capabilities = {n.ref_id for n in library.framework(CAPABILITY_FRAMEWORK).assessable()}
    catalogue = load_mds2_catalogue()
    assert len({r.id for r in RULES}) == len(RULES)
    for rule in RULES:
        assert set(rule.capabilities) <= capabilities, rule.id
        assert all(q in catalogue for q in rule.questions), rule.id
        assert rule.basis and all(library.has_node(urn) for urn in rule.basis), rule.id
        assert rule.summary


ANSWERS = st.sampled_from([PROTECTIVE, EXPOSING, NOT_APPLICABLE, "unanswered", "see-note"])
ZONES = st.one_of(st.none(), st.sampled_from(["MED-ICU", "Corporate", "guest lan", " ", "Bio"]))


@given(
    mldp=st.dictionaries(st.sampled_from(["MLDP-1", "MLDP-2", "MLDP-4", "NAUT-2"]), ANSWERS),
    zone=ZONES,
    end=st.one_of(st.none(), st.dates(date(2015, 1, 1), date(2035, 1, 1))),
)
def test_rows_are_the_matrix_rows_and_segmentation_follows_the_zone(
    mldp: dict[str, str], zone: str | None, end: date | None
) -> None:
    rows = capability_rows(packaged_library(), mldp)
    out = operational_rows(rows, _facts(mldp, zone=zone, end=end))
    assert [a.row for a in out] == list(rows)  # the matrix rows, unchanged and in order
    for item in out:
        ref = item.row.capability.ref_id
        seg = [s for s in item.operational if s.rule == "segmentation"]
        expected = ref in NETWORK_CAPABILITIES and bool(item.row.open)
        assert bool(seg) == expected, ref
        if seg:
            assert (seg[0].state is OpState.MET) == is_segmented(zone)
        assert bool([s for s in item.operational if s.rule == "end-of-support"]) == (ref == "CSUP")
        assert set(item.questions) >= set(item.row.open) | set(item.row.provided)
    counts = state_counts(out)
    assert sum(counts.values()) == sum(len(a.operational) for a in out)


def test_rules_leave_other_rows_without_status() -> None:
    rows: tuple[CapabilityRow, ...] = capability_rows(packaged_library(), NO_MALWARE)
    out = operational_rows(rows, _facts(NO_MALWARE, zone="MED-ICU"))
    annotated = {r.row.capability.ref_id for r in out if r.operational}
    assert annotated <= {"MLDP", "CSUP", "NAUT", "SAHD", "TXCF", "TXIG"}
    assert {"MLDP", "CSUP", "NAUT"} <= annotated
