"""The packaged decision policy (``catalog/data/exposure/decision-policy.yaml``).

:class:`DecisionPolicyFile` is the file model (JSON Schema committed as
``catalog/schemas/decision-policy.schema.json``). :func:`load_policy` validates the file and
returns a :class:`DecisionPolicy`, which decides one combination of inputs and can list the whole
table (72 combinations) for column-wise evaluation.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from medtrust.catalog.resources import read_packaged_yaml
from medtrust.domain.asset import Criticality
from medtrust.errors import CatalogError
from medtrust.exposure.model import (
    Automatable,
    Decision,
    Exploitation,
    Exposure,
    Impact,
)
from medtrust.validation_text import first_problem

POLICY_FILE = "exposure/decision-policy.yaml"
_T = TypeVar("_T")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PolicySource(_Strict):
    """A document the policy rests on."""

    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https://")


class ImpactEntry(_Strict):
    """Human impact of one clinical criticality."""

    impact: Impact
    reason: str = Field(min_length=1)


class Conditions(_Strict):
    """The values a rule accepts per input; an omitted input accepts any value."""

    exploitation: list[Exploitation] | None = None
    exposure: list[Exposure] | None = None
    automatable: list[Automatable] | None = None
    impact: list[Impact] | None = None


class RuleModel(_Strict):
    """One rule: conditions, decision, and why."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    decision: Decision
    when: Conditions
    reason: str = Field(min_length=1)


class DecisionPolicyFile(_Strict):
    """The whole policy file."""

    schema_version: Literal[1]
    title: str = Field(min_length=1)
    version: str = Field(min_length=1)
    sources: list[PolicySource] = Field(min_length=1)
    impact: dict[Criticality, ImpactEntry]
    patient_data_impact: Impact
    rules: list[RuleModel] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> DecisionPolicyFile:
        missing = sorted(c.value for c in Criticality if c not in self.impact)
        if missing:
            raise ValueError(f"impact: no entry for criticality {', '.join(missing)}")
        ids = [r.id for r in self.rules]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"rules: duplicate id {', '.join(duplicates)}")
        return self


@dataclass(frozen=True, slots=True)
class Rule:
    """A validated rule."""

    id: str
    decision: Decision
    reason: str
    exploitation: frozenset[Exploitation] | None
    exposure: frozenset[Exposure] | None
    automatable: frozenset[Automatable] | None
    impact: frozenset[Impact] | None

    def holds(self, e: Exploitation, x: Exposure, a: Automatable, i: Impact) -> bool:
        """Whether every condition accepts the values."""
        return (
            (self.exploitation is None or e in self.exploitation)
            and (self.exposure is None or x in self.exposure)
            and (self.automatable is None or a in self.automatable)
            and (self.impact is None or i in self.impact)
        )


def _set(values: list[_T] | None) -> frozenset[_T] | None:
    return None if values is None else frozenset(values)


@dataclass(frozen=True, slots=True)
class DecisionPolicy:
    """Rules in order plus the criticality -> impact table."""

    title: str
    version: str
    rules: tuple[Rule, ...]
    impact: dict[Criticality, ImpactEntry]
    patient_data_impact: Impact

    def decide(self, e: Exploitation, x: Exposure, a: Automatable, i: Impact) -> Rule:
        """The first rule that holds; a policy without a default raises ``CatalogError``."""
        for rule in self.rules:
            if rule.holds(e, x, a, i):
                return rule
        raise CatalogError(f"decision policy decides nothing for {e}, {x}, {a}, {i}")

    def table(self) -> list[tuple[Exploitation, Exposure, Automatable, Impact, Rule]]:
        """Every combination of inputs with its rule, in enum order."""
        return [
            (e, x, a, i, self.decide(e, x, a, i))
            for e, x, a, i in itertools.product(Exploitation, Exposure, Automatable, Impact)
        ]


def policy_from_data(data: object, source: str = POLICY_FILE) -> DecisionPolicy:
    """Validate parsed YAML; errors name the file and the field."""
    try:
        model = DecisionPolicyFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(f"{source}: {first_problem(exc, sep='.')}") from exc
    rules = tuple(
        Rule(
            r.id,
            r.decision,
            r.reason,
            _set(r.when.exploitation),
            _set(r.when.exposure),
            _set(r.when.automatable),
            _set(r.when.impact),
        )
        for r in model.rules
    )
    policy = DecisionPolicy(
        model.title, model.version, rules, dict(model.impact), model.patient_data_impact
    )
    try:
        policy.table()
    except CatalogError as exc:
        raise CatalogError(f"{source}: rules: {exc}; add a last rule with `when: {{}}`") from exc
    return policy


@cache
def load_policy() -> DecisionPolicy:
    """The packaged policy, validated once."""
    return policy_from_data(read_packaged_yaml(POLICY_FILE))
