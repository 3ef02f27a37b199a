"""Decisions for every (finding, profile) pair of a product version.

:func:`decide` is the reference path (one pair, with its explanation). :func:`decide_frame` is
the column-wise path used for whole portfolios: findings and profiles meet on the product
version, and the policy's full table (72 combinations) is joined on the four input values. A
differential test checks that both give the same decision and rule for every pair.
"""

from __future__ import annotations

import polars as pl

from medtrust.exposure.model import (
    Automatable,
    Decision,
    Exploitation,
    Exposure,
    Impact,
    Input,
    Outcome,
)
from medtrust.exposure.policy import DecisionPolicy


def decide(
    policy: DecisionPolicy,
    exploitation: Input,
    automatable: Input,
    exposure: Input,
    impact: Input,
    extra: tuple[Input, ...] = (),
) -> Outcome:
    """The decision for one pair, listing every input (``extra`` ones are informative)."""
    rule = policy.decide(
        Exploitation(exploitation.value),
        Exposure(exposure.value),
        Automatable(automatable.value),
        Impact(impact.value),
    )
    return Outcome(
        rule.decision, rule.id, rule.reason, (exploitation, automatable, exposure, impact, *extra)
    )


def policy_frame(policy: DecisionPolicy) -> pl.DataFrame:
    """The policy's whole table as a frame: four inputs -> decision, urgency, rule."""
    rows = [
        (e.value, x.value, a.value, i.value, r.decision.value, r.decision.urgency, r.id)
        for e, x, a, i, r in policy.table()
    ]
    return pl.DataFrame(
        rows,
        schema={
            "exploitation": pl.Utf8,
            "exposure": pl.Utf8,
            "automatable": pl.Utf8,
            "impact": pl.Utf8,
            "decision": pl.Utf8,
            "urgency": pl.Int8,
            "rule": pl.Utf8,
        },
        orient="row",
    )


def decide_frame(
    policy: DecisionPolicy, findings: pl.DataFrame, profiles: pl.DataFrame
) -> pl.DataFrame:
    """Every (finding, profile) pair of the same product version with its decision.

    ``findings``: finding, product_version_id, exploitation, automatable;
    ``profiles``: profile, product_version_id, exposure, impact.
    Result: finding, profile, decision, urgency, rule, sorted by finding then profile.
    """
    pairs = findings.select("finding", "product_version_id", "exploitation", "automatable").join(
        profiles.select("profile", "product_version_id", "exposure", "impact"),
        on="product_version_id",
    )
    decided = pairs.join(
        policy_frame(policy),
        on=["exploitation", "exposure", "automatable", "impact"],
        how="left",
    )
    if decided["decision"].null_count():
        raise ValueError("an input value outside the policy's table")
    return decided.select("finding", "profile", "decision", "urgency", "rule").sort(
        "finding", "profile"
    )


def urgency_of(decision: str) -> int:
    """0 (Track) .. 3 (Act) for a stored decision value."""
    return Decision(decision).urgency
