"""Differential: the column-wise ``decide_frame`` against the per-pair reference ``decide``."""

from __future__ import annotations

import copy
from enum import StrEnum
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.catalog.resources import read_packaged_yaml
from medtrust.exposure.evaluate import decide, decide_frame, policy_frame, urgency_of
from medtrust.exposure.model import (
    Automatable,
    Decision,
    Exploitation,
    Exposure,
    Impact,
    Input,
)
from medtrust.exposure.policy import POLICY_FILE, DecisionPolicy, load_policy, policy_from_data

FINDINGS_SCHEMA = {
    "finding": pl.Int64,
    "product_version_id": pl.Int64,
    "exploitation": pl.Utf8,
    "automatable": pl.Utf8,
}
PROFILES_SCHEMA = {
    "profile": pl.Int64,
    "product_version_id": pl.Int64,
    "exposure": pl.Utf8,
    "impact": pl.Utf8,
}
FindingRow = tuple[int, int, str, str]
ProfileRow = tuple[int, int, str, str]


def _reordered_policy() -> DecisionPolicy:
    """Another valid policy: the packaged rules with the first three moved to the end."""
    data: dict[str, Any] = copy.deepcopy(read_packaged_yaml(POLICY_FILE))
    rules = data["rules"]
    data["rules"] = rules[3:-1] + rules[:3] + rules[-1:]
    return policy_from_data(data, source="reordered.yaml")


POLICIES = {"packaged": load_policy(), "reordered": _reordered_policy()}

_VERSIONS = st.integers(1, 4)


def _rows(first: list[str], second: list[str]) -> st.SearchStrategy[list[tuple[int, str, str]]]:
    """(product version, first input, second input) rows."""
    return st.lists(
        st.tuples(_VERSIONS, st.sampled_from(first), st.sampled_from(second)), max_size=12
    )


def _values(enum: type[StrEnum]) -> list[str]:
    return [v.value for v in enum]


@st.composite
def _frames(draw: st.DrawFn) -> tuple[list[FindingRow], list[ProfileRow]]:
    """Findings and profiles with unique ids drawn out of order."""
    finding_rows = draw(_rows(_values(Exploitation), _values(Automatable)))
    profile_rows = draw(_rows(_values(Exposure), _values(Impact)))
    finding_ids = draw(
        st.lists(
            st.integers(0, 10_000),
            min_size=len(finding_rows),
            max_size=len(finding_rows),
            unique=True,
        )
    )
    profile_ids = draw(
        st.lists(
            st.integers(0, 10_000),
            min_size=len(profile_rows),
            max_size=len(profile_rows),
            unique=True,
        )
    )
    findings = [(i, *row) for i, row in zip(finding_ids, finding_rows, strict=True)]
    profiles = [(i, *row) for i, row in zip(profile_ids, profile_rows, strict=True)]
    return findings, profiles


def _reference(
    policy: DecisionPolicy, findings: list[FindingRow], profiles: list[ProfileRow]
) -> list[tuple[int, int, str, int, str]]:
    expected = []
    for finding, version, e, a in findings:
        for profile, other_version, x, i in profiles:
            if version != other_version:
                continue
            outcome = decide(
                policy,
                Input("exploitation", e, ("generated",)),
                Input("automatable", a, ("generated",)),
                Input("exposure", x, ("generated",)),
                Input("impact", i, ("generated",)),
            )
            expected.append(
                (finding, profile, outcome.decision.value, outcome.decision.urgency, outcome.rule)
            )
    return sorted(expected, key=lambda row: (row[0], row[1]))


@pytest.mark.parametrize("name", sorted(POLICIES))
@given(frames=_frames())
def test_decide_frame_equals_reference_per_pair(
    name: str, frames: tuple[list[FindingRow], list[ProfileRow]]
) -> None:
    policy = POLICIES[name]
    findings, profiles = frames
    result = decide_frame(
        policy,
        pl.DataFrame(findings, schema=FINDINGS_SCHEMA, orient="row"),
        pl.DataFrame(profiles, schema=PROFILES_SCHEMA, orient="row"),
    )
    assert result.columns == ["finding", "profile", "decision", "urgency", "rule"]
    assert result.rows() == _reference(policy, findings, profiles)


def test_reordered_policy_differs_somewhere() -> None:
    """The second policy is a real alternative (otherwise the differential adds nothing)."""
    packaged, reordered = (
        [r.id for *_, r in POLICIES[n].table()] for n in ("packaged", "reordered")
    )
    assert packaged != reordered


def test_policy_frame_is_the_table() -> None:
    policy = load_policy()
    frame = policy_frame(policy)
    assert frame.height == 72
    assert frame.select("exploitation", "exposure", "automatable", "impact").n_unique() == 72
    for e, x, a, i, decision, urgency, rule in frame.iter_rows():
        chosen = policy.decide(Exploitation(e), Exposure(x), Automatable(a), Impact(i))
        assert (decision, urgency, rule) == (
            chosen.decision.value,
            chosen.decision.urgency,
            chosen.id,
        )
        assert urgency_of(decision) == Decision(decision).urgency


def test_explanation_lists_every_input() -> None:
    outcome = decide(
        load_policy(),
        Input("exploitation", "active", ("in CISA KEV since 2024-05-01",)),
        Input("automatable", "yes", ("CVSS AV:N/PR:N/UI:N",)),
        Input("exposure", "open", ("zone 'Corporate LAN' is the general network",)),
        Input("impact", "very-high", ("life-sustaining: harm",)),
        (Input("compensating", "0", ("none known",)),),
    )
    assert outcome.decision is Decision.ACT
    text = outcome.explanation()
    assert text.startswith("Act by rule ")
    for part in ("2024-05-01", "AV:N", "Corporate LAN", "life-sustaining", "none known"):
        assert part in text


@pytest.mark.parametrize(
    ("finding", "profile"),
    [
        ((1, 7, "exploited", "yes"), (1, 7, "open", "high")),
        ((1, 7, "active", "maybe"), (1, 7, "open", "high")),
        ((1, 7, "active", "yes"), (1, 7, "internet", "high")),
        ((1, 7, "active", "yes"), (1, 7, "open", "very_high")),
    ],
)
def test_input_outside_the_enums_raises(finding: FindingRow, profile: ProfileRow) -> None:
    findings = pl.DataFrame([finding], schema=FINDINGS_SCHEMA, orient="row")
    profiles = pl.DataFrame([profile], schema=PROFILES_SCHEMA, orient="row")
    with pytest.raises(ValueError, match="outside"):
        decide_frame(load_policy(), findings, profiles)
    # the reference path refuses it too
    with pytest.raises(ValueError):
        decide(
            load_policy(),
            Input("exploitation", finding[2], ()),
            Input("automatable", finding[3], ()),
            Input("exposure", profile[2], ()),
            Input("impact", profile[3], ()),
        )
