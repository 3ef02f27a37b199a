"""Organisation self-assessment: NIS2 answers projected onto ISO/IEC 27001 and GDPR Art. 32."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medtrust.compliance.library import packaged_library
from medtrust.compliance.org_assessment import (
    TARGET_FRAMEWORKS,
    Answer,
    AnswerStatus,
    carried_status,
    combine,
    project_answers,
    project_framework,
    source_requirements,
)
from medtrust.compliance.relation import Relation

NIS2 = "urn:medtrust:req:nis2:21.2."
ISO = "urn:medtrust:req:iso-27001-2022:"
GDPR = "urn:medtrust:req:gdpr:"


def _status(projection_id: str, urn: str, answers: list[Answer]) -> tuple[str | None, str]:
    projection = project_framework(packaged_library(), {a.urn: a for a in answers}, projection_id)
    item = next(r for r in projection.requirements if r.node.urn == urn)
    return (item.status.value if item.status else None), item.origin


def test_source_is_nis2_article_21_measures() -> None:
    refs = [n.ref_id for n in source_requirements(packaged_library())]
    assert "Art. 21(2)(a)" in refs and "Art. 21(2)(j)" in refs
    assert len(refs) == len(set(refs))


def test_backup_answer_reaches_iso_backup_control_as_implemented_via_superset() -> None:
    # The mapping file states 21(2)(c) superset A.8.13 (backup), so an implemented answer holds.
    answers = [Answer(NIS2 + "c", AnswerStatus.IMPLEMENTED, owner="IT ops")]
    status, origin = _status("iso-27001-2022", ISO + "a.8.13", answers)
    assert (status, origin) == ("implemented", "projected")


def test_intersect_mapping_only_carries_partly() -> None:
    # 21(2)(c) -> GDPR 32(1)(c) is intersect in nis2-to-gdpr.yaml.
    answers = [Answer(NIS2 + "c", AnswerStatus.IMPLEMENTED)]
    assert _status("gdpr", GDPR + "32.1.c", answers) == ("partly", "projected")


def test_direct_answer_wins_over_projection() -> None:
    answers = [
        Answer(NIS2 + "c", AnswerStatus.NOT_IMPLEMENTED),
        Answer(ISO + "a.8.13", AnswerStatus.IMPLEMENTED, evidence="backup test 2026-10"),
    ]
    assert _status("iso-27001-2022", ISO + "a.8.13", answers) == ("implemented", "direct")


def test_unreached_requirement_is_open_and_says_so() -> None:
    projection = project_framework(packaged_library(), {}, "iso-27001-2022")
    first = projection.requirements[0]
    assert first.status is None and first.origin == "open"
    assert "answer it directly" in first.explanation
    assert projection.counts()["open"] == len(projection.requirements)


def test_projected_status_names_its_answer_and_path() -> None:
    answers = [Answer(NIS2 + "h", AnswerStatus.PARTLY, owner="CISO")]
    projection = project_framework(packaged_library(), {a.urn: a for a in answers}, "gdpr")
    item = next(r for r in projection.requirements if r.node.urn == GDPR + "32.1.a")
    assert item.contributions[0].answer.owner == "CISO"
    assert item.contributions[0].mapping.path[0].mapping_set == "nis2-to-gdpr"
    assert NIS2 + "h" in item.explanation and "partly" in item.explanation


def test_not_applicable_is_never_carried() -> None:
    answers = [Answer(NIS2 + "h", AnswerStatus.NOT_APPLICABLE)]
    assert _status("gdpr", GDPR + "32.1.a", answers) == (None, "open")


def test_every_framework_is_returned_in_order() -> None:
    ids = [p.framework_id for p in project_answers(packaged_library(), [])]
    assert ids == ["nis2", *TARGET_FRAMEWORKS]


def test_answers_on_unknown_urns_are_ignored() -> None:
    answers = [Answer("urn:medtrust:req:nis2:nope", AnswerStatus.IMPLEMENTED)]
    projection = project_framework(packaged_library(), {a.urn: a for a in answers}, "gdpr")
    assert all(r.status is None for r in projection.requirements)


statuses = st.sampled_from(list(AnswerStatus))
relations = st.sampled_from(list(Relation))


@given(statuses, relations)
def test_carrying_never_strengthens_an_answer(status: AnswerStatus, relation: Relation) -> None:
    rank = {
        AnswerStatus.NOT_IMPLEMENTED: 0,
        AnswerStatus.PARTLY: 1,
        AnswerStatus.IMPLEMENTED: 2,
    }
    carried = carried_status(status, relation)
    if status is AnswerStatus.NOT_APPLICABLE:
        assert carried is None
    else:
        assert carried is not None and rank[carried] <= rank[status]


@given(st.lists(st.sampled_from([s for s in AnswerStatus if s is not AnswerStatus.NOT_APPLICABLE])))
def test_combine_is_order_free_and_bounded(items: list[AnswerStatus]) -> None:
    combined = combine(items)
    assert combined == combine(list(reversed(items)))
    if not items:
        assert combined is None
    elif len(set(items)) == 1:
        assert combined is items[0]
    else:
        assert combined is AnswerStatus.PARTLY
