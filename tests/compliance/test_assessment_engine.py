from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.compliance.assessment import Policy, Status, assess, judge
from medtrust.compliance.errors import UnknownFrameworkError
from medtrust.compliance.evidence import Evidence, EvidenceKind, Signal
from medtrust.compliance.library import Library, build_library
from tests.compliance.graph import framework, mapping_set

DAY = date(2026, 1, 1)
E = "urn:medtrust:req:e:"
R = "urn:medtrust:req:r:"


def library() -> Library:
    """e:1 -equal-> r:1 ; e:2 -intersect-> r:1 ; e:3 -subset-> r:2 ; r:3 has no mapping."""
    fws = {"e": framework("e", ["1", "2", "3", "4"]), "r": framework("r", ["1", "2", "3"])}
    sets = [
        mapping_set(
            "e-to-r",
            "e",
            "r",
            [("1", "equal", "1"), ("2", "intersect", "1"), ("3", "subset", "2")],
            fws,
        )
    ]
    return build_library(fws.values(), sets)


def ev(suffix: str, signal: Signal, ident: str | None = None) -> Evidence:
    return Evidence(
        id=ident or f"t:{suffix}:{signal.value}",
        kind=EvidenceKind.DECLARATION,
        subject=f"{E}{suffix}",
        signal=signal,
        statement=f"{signal.value} on e:{suffix}",
        source="test",
        remedy="" if signal is Signal.POSITIVE else f"fix e:{suffix}",
    )


def status_of(results: object, urn: str) -> Status:
    for result in results:  # type: ignore[attr-defined]
        if result.requirement.urn == urn:
            return result.status  # type: ignore[no-any-return]
    raise AssertionError(urn)


def test_positive_equal_evidence_covers_and_explains_its_path() -> None:
    lib = library()
    report = assess([ev("1", Signal.POSITIVE)], ["r"], library=lib, as_of=DAY)
    first = report.results[0]
    assert first.requirement.urn == f"{R}1"
    assert first.status is Status.COVERED
    (contribution,) = first.contributions
    assert contribution.mapping is not None
    assert contribution.mapping.path[0].mapping_set == "e-to-r"
    assert "e-to-r" in contribution.as_dict()["path"]
    assert contribution.confidence == 1.0
    assert [r.status for r in report.results[1:]] == [Status.GAP, Status.GAP]
    assert report.results[2].reason == "No evidence reaches this requirement."


def test_evidence_against_makes_it_partly_and_names_the_remedy() -> None:
    report = assess(
        [ev("1", Signal.POSITIVE), ev("2", Signal.NEGATIVE)], ["r"], library=library(), as_of=DAY
    )
    result = report.results[0]
    assert result.status is Status.PARTLY
    assert [a.action for a in result.closing] == ["fix e:2"]
    assert result.closing[0].via.startswith("E 2 -[intersect]-> R 1")


def test_only_negative_is_a_gap_and_review_alone_is_partly() -> None:
    lib = library()
    assert (
        assess([ev("2", Signal.NEGATIVE)], ["r"], library=lib, as_of=DAY).results[0].status
        is Status.GAP
    )
    assert (
        assess([ev("2", Signal.REVIEW)], ["r"], library=lib, as_of=DAY).results[0].status
        is Status.PARTLY
    )


def test_weak_paths_do_not_cover() -> None:
    lib = library()
    strict = Policy(covered_min_confidence=0.6)
    report = assess([ev("2", Signal.POSITIVE)], ["r"], library=lib, as_of=DAY, policy=strict)
    assert report.results[0].status is Status.PARTLY
    assert "weak" in report.results[0].reason
    relaxed = assess([ev("2", Signal.POSITIVE)], ["r"], library=lib, as_of=DAY)
    assert relaxed.results[0].status is Status.COVERED


def test_not_applicable_and_context() -> None:
    lib = library()
    report = assess(
        [ev("3", Signal.NOT_APPLICABLE), ev("1", Signal.CONTEXT)],
        ["r"],
        library=lib,
        as_of=DAY,
        not_applicable={f"{R}3": "declared: no such feature"},
    )
    assert [r.status for r in report.results] == [
        Status.GAP,
        Status.NOT_APPLICABLE,
        Status.NOT_APPLICABLE,
    ]
    assert report.results[0].contributions == ()  # context never counts
    assert report.results[2].reason == "declared: no such feature"


def test_direct_evidence_on_the_requirement_itself() -> None:
    lib = library()
    item = Evidence("d", EvidenceKind.SBOM, f"{R}3", Signal.POSITIVE, "direct", "test")
    report = assess([item], ["r"], library=lib, as_of=DAY)
    assert report.results[2].status is Status.COVERED
    assert report.results[2].contributions[0].mapping is None


def test_unknown_framework_is_refused() -> None:
    with pytest.raises(UnknownFrameworkError):
        assess([], ["nope"], library=library(), as_of=DAY)


_RANK = {Status.GAP: 0, Status.PARTLY: 1, Status.COVERED: 2, Status.NOT_APPLICABLE: 3}
signals = st.sampled_from([Signal.POSITIVE, Signal.NEGATIVE, Signal.REVIEW, Signal.NOT_APPLICABLE])
items = st.lists(st.tuples(st.sampled_from(["1", "2", "3", "4"]), signals), max_size=8)


@given(items, st.sampled_from(["1", "2", "3"]))
def test_adding_evidence_against_never_improves_a_status(
    pairs: list[tuple[str, Signal]], extra: str
) -> None:
    lib = library()
    base = [ev(s, sig, f"i{n}") for n, (s, sig) in enumerate(pairs)]
    before = assess(base, ["r"], library=lib, as_of=DAY)
    after = assess([*base, ev(extra, Signal.NEGATIVE, "zz")], ["r"], library=lib, as_of=DAY)
    for old, new in zip(before.results, after.results, strict=True):
        if old.status is not Status.NOT_APPLICABLE and new.status is not Status.NOT_APPLICABLE:
            assert _RANK[new.status] <= _RANK[old.status]


@given(items, st.randoms())
def test_output_does_not_depend_on_input_order(
    pairs: list[tuple[str, Signal]], rnd: object
) -> None:
    lib = library()
    base = [ev(s, sig, f"i{n}") for n, (s, sig) in enumerate(pairs)]
    shuffled = list(base)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    one = assess(base, ["r"], library=lib, as_of=DAY).as_dict(lib)
    two = assess(shuffled, ["r"], library=lib, as_of=DAY).as_dict(lib)
    assert one == two


def test_judge_explains_counts() -> None:
    status, reason = judge((), Policy())
    assert status is Status.GAP and "No evidence" in reason
