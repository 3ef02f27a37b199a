"""Realistic scenarios whose expected obligations were derived by hand from the legal rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from medtrust.incidents import load_directory, load_regimes, plan_obligations, read_facts
from medtrust.incidents.render import plan_document

SCENARIOS = Path(__file__).parent / "scenarios"
NAMES = sorted(p.name.removesuffix(".facts.yaml") for p in SCENARIOS.glob("*.facts.yaml"))


def _expected(name: str) -> dict[str, Any]:
    data = yaml.safe_load((SCENARIOS / f"{name}.expected.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("name", NAMES)
def test_scenario_matches_hand_derived_plan(name: str) -> None:
    facts = read_facts(SCENARIOS / f"{name}.facts.yaml")
    plan = plan_obligations(facts, regimes=load_regimes(), directory=load_directory())
    doc = plan_document(plan)
    expected = _expected(name)
    got = [
        {
            "regime": o["regime"],
            "stage": o["stage"],
            "subject": o["subject"],
            "due": o["due"],
            **({"submitted_at": o["submitted_at"]} if o["submitted_at"] else {}),
        }
        for o in doc["obligations"]
    ]
    assert got == expected["obligations"]
    skipped = [
        {"regime": n["regime"], "article": n["article"], "subject": n["subject"]}
        for n in doc["not_applicable"]
    ]
    assert skipped == expected["not_applicable"]


def test_there_are_scenarios() -> None:
    assert len(NAMES) >= 4
