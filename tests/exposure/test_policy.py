"""The packaged decision policy: it loads, is total and monotone, has no dead rule, and bad
policy files fail with one line naming the field."""

from __future__ import annotations

import copy
import itertools
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.catalog.resources import read_packaged_yaml
from medtrust.domain.asset import Criticality
from medtrust.errors import CatalogError
from medtrust.exposure.model import (
    INPUT_ENUMS,
    Automatable,
    Decision,
    Exploitation,
    Exposure,
    Impact,
    rank,
)
from medtrust.exposure.policy import POLICY_FILE, DecisionPolicy, load_policy, policy_from_data

ENUMS: list[type[StrEnum]] = [Exploitation, Exposure, Automatable, Impact]
Combo = tuple[Exploitation, Exposure, Automatable, Impact]
ALL_COMBOS: list[Combo] = list(itertools.product(Exploitation, Exposure, Automatable, Impact))
SOURCE = "custom-policy.yaml"


def packaged_data() -> dict[str, Any]:
    """The packaged YAML as a fresh, mutable dict."""
    data = read_packaged_yaml(POLICY_FILE)
    assert isinstance(data, dict)
    return copy.deepcopy(data)


def urgency(policy: DecisionPolicy, combo: Combo) -> int:
    return policy.decide(*combo).decision.urgency


def test_packaged_policy_loads() -> None:
    policy = load_policy()
    assert policy.title and policy.version
    assert set(policy.impact) == set(Criticality)
    ids = [rule.id for rule in policy.rules]
    assert len(ids) == len(set(ids))
    # the file and the loaded policy agree rule by rule, in order
    assert ids == [rule["id"] for rule in packaged_data()["rules"]]
    assert list(INPUT_ENUMS.values()) == ENUMS


def test_policy_is_total() -> None:
    policy = load_policy()
    assert len(ALL_COMBOS) == 72
    table = policy.table()
    assert [(e, x, a, i) for e, x, a, i, _ in table] == ALL_COMBOS
    for e, x, a, i, rule in table:
        assert rule.holds(e, x, a, i)
        # first match wins: no earlier rule holds
        earlier = policy.rules[: policy.rules.index(rule)]
        assert not any(r.holds(e, x, a, i) for r in earlier), (e, x, a, i, rule.id)


def _raised(combo: Combo, position: int) -> Combo | None:
    values = list(type(combo[position]))
    index = values.index(combo[position])
    if index + 1 == len(values):
        return None
    raised: list[StrEnum] = list(combo)
    raised[position] = values[index + 1]
    return (
        Exploitation(raised[0]),
        Exposure(raised[1]),
        Automatable(raised[2]),
        Impact(raised[3]),
    )


def test_policy_is_monotone_exhaustively() -> None:
    """Every combination, every input raised by one level (72 x 4 neighbours)."""
    policy = load_policy()
    for combo in ALL_COMBOS:
        for position in range(4):
            raised = _raised(combo, position)
            if raised is not None:
                assert urgency(policy, raised) >= urgency(policy, combo), (combo, raised)


@given(st.sampled_from(ALL_COMBOS), st.integers(0, 3))
def test_raising_one_input_by_one_level_never_lowers_urgency(combo: Combo, position: int) -> None:
    policy = load_policy()
    raised = _raised(combo, position)
    if raised is not None:
        assert urgency(policy, raised) >= urgency(policy, combo)


@given(st.sampled_from(ALL_COMBOS), st.lists(st.integers(0, 3), min_size=4, max_size=4))
def test_dominating_combination_is_at_least_as_urgent(low: Combo, steps: list[int]) -> None:
    """Monotone in the product order: raising any inputs by any amount never lowers."""
    policy = load_policy()
    values = [list(enum) for enum in ENUMS]
    levels = [min(rank(v) + s, len(vs) - 1) for v, s, vs in zip(low, steps, values, strict=True)]
    high: Combo = (
        Exploitation(values[0][levels[0]]),
        Exposure(values[1][levels[1]]),
        Automatable(values[2][levels[2]]),
        Impact(values[3][levels[3]]),
    )
    assert urgency(policy, high) >= urgency(policy, low)


def test_every_rule_is_reachable() -> None:
    policy = load_policy()
    used = {rule.id for *_, rule in policy.table()}
    dead = [rule.id for rule in policy.rules if rule.id not in used]
    assert dead == []


def test_every_decision_value_is_used() -> None:
    assert {rule.decision for *_, rule in load_policy().table()} == set(Decision)


def test_extremes() -> None:
    policy = load_policy()
    top = policy.decide(Exploitation.ACTIVE, Exposure.OPEN, Automatable.YES, Impact.VERY_HIGH)
    assert top.decision is Decision.ACT
    bottom = policy.decide(Exploitation.NONE, Exposure.SMALL, Automatable.NO, Impact.LOW)
    assert bottom.decision is Decision.TRACK


def test_decision_labels() -> None:
    assert [d.label for d in Decision] == ["Track", "Track*", "Attend", "Act"]
    assert [d.urgency for d in Decision] == [0, 1, 2, 3]


def test_packaged_data_round_trips_through_policy_from_data() -> None:
    loaded = load_policy()
    again = policy_from_data(packaged_data(), source=SOURCE)
    assert again.rules == loaded.rules
    assert again.impact == loaded.impact
    assert [r for *_, r in again.table()] == [r for *_, r in loaded.table()]


# --- bad policy files -------------------------------------------------------------------------


def _error(data: dict[str, Any]) -> str:
    with pytest.raises(CatalogError) as caught:
        policy_from_data(data, source=SOURCE)
    message = str(caught.value)
    assert "\n" not in message, message
    assert message.startswith(SOURCE), message
    return message


def test_missing_criticality_in_impact() -> None:
    data = packaged_data()
    del data["impact"]["diagnostic"]
    message = _error(data)
    assert "impact" in message
    assert "diagnostic" in message


def test_duplicate_rule_id() -> None:
    data = packaged_data()
    data["rules"][2]["id"] = data["rules"][0]["id"]
    message = _error(data)
    assert "rules" in message
    assert "duplicate" in message
    assert data["rules"][0]["id"] in message


def test_unknown_decision_value() -> None:
    data = packaged_data()
    data["rules"][1]["decision"] = "panic"
    message = _error(data)
    assert "rules.1.decision" in message


def test_unknown_input_value_in_a_condition() -> None:
    data = packaged_data()
    data["rules"][0]["when"]["exposure"] = ["internet"]
    message = _error(data)
    assert "rules.0.when.exposure" in message


def test_policy_without_default_that_leaves_a_combination_undecided() -> None:
    data = packaged_data()
    data["rules"] = [rule for rule in data["rules"] if rule["id"] != "default"]
    message = _error(data)
    assert "rules" in message
    # names a combination nobody decides (none/small/no/low is decided only by the default)
    assert "none" in message and "small" in message and "low" in message


def test_policy_without_a_rule_named_default_but_total_loads() -> None:
    data = packaged_data()
    data["rules"] = [rule for rule in data["rules"] if rule["id"] != "default"]
    data["rules"].append(
        {
            "id": "rest",
            "decision": "track",
            "when": {"exploitation": ["none", "poc", "active"]},
            "reason": "everything else",
        }
    )
    policy = policy_from_data(data, source=SOURCE)
    assert len(policy.table()) == 72
    assert policy.decide(Exploitation.NONE, Exposure.SMALL, Automatable.NO, Impact.LOW).id == (
        "rest"
    )
