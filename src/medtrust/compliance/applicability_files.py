"""File models of the applicability rules (``catalog/data/applicability/*.yaml``).

A condition is a small tree: ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}``, a test of one
fact (``{fact: product.eu_market, equals: true}``, ``{fact: organisation.employees, at_least:
250}``, ``{fact: organisation.type, in: [healthcare-provider]}``) or a test of an earlier
framework's verdict (``{result: mdr, verdict: [applies]}``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from medtrust.compliance.files import FRAMEWORK_ID_PATTERN

FACT_ID_PATTERN = r"^(product|organisation)\.[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Verdict(StrEnum):
    """Whether a framework applies."""

    APPLIES = "applies"
    RECOMMENDED = "recommended"
    DOES_NOT_APPLY = "does-not-apply"
    UNDETERMINED = "undetermined"


class FactType(StrEnum):
    """Value type of a fact."""

    BOOL = "bool"
    NUMBER = "number"
    CHOICE = "choice"


class FactDefinition(_Strict):
    """A fact the rules may ask about, and the question a questionnaire shows for it."""

    id: str = Field(pattern=FACT_ID_PATTERN)
    type: FactType
    question: str = Field(min_length=5)
    source: str = Field(min_length=3, description="Where the notion is defined.")
    choices: list[str] | None = None

    @model_validator(mode="after")
    def _choices(self) -> FactDefinition:
        if (self.type is FactType.CHOICE) != bool(self.choices):
            raise ValueError("choices are required for choice facts and only for them")
        return self


class FactTest(_Strict):
    """A test of one fact; exactly one comparison."""

    fact: str = Field(pattern=FACT_ID_PATTERN)
    equals: bool | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    at_least: float | None = None
    at_most: float | None = None
    above: float | None = None
    below: float | None = None

    @model_validator(mode="after")
    def _one(self) -> FactTest:
        given = [
            v
            for v in (self.equals, self.in_, self.at_least, self.at_most, self.above, self.below)
            if v is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "a fact test needs exactly one of equals, in, at_least, at_most, above, below"
            )
        return self


class ResultTest(_Strict):
    """A test of the verdict already reached for an earlier framework."""

    result: str = Field(pattern=FRAMEWORK_ID_PATTERN)
    verdict: list[Verdict] = Field(min_length=1)


class AllOf(_Strict):
    """True when every part is true."""

    all: list[Condition] = Field(min_length=1)


class AnyOf(_Strict):
    """True when some part is true."""

    any: list[Condition] = Field(min_length=1)


class NotOf(_Strict):
    """True when the part is false."""

    not_: Condition = Field(alias="not")


Condition = FactTest | ResultTest | AllOf | AnyOf | NotOf


class RuleNote(_Strict):
    """A remark added to a decided verdict when its condition also holds."""

    when: Condition
    text: str = Field(min_length=3)


class Rule(_Strict):
    """A decision: when ``when`` holds, the framework gets ``verdict`` because of ``cites``."""

    id: str = Field(pattern=FRAMEWORK_ID_PATTERN)
    verdict: Literal[Verdict.APPLIES, Verdict.RECOMMENDED, Verdict.DOES_NOT_APPLY]
    when: Condition
    cites: list[str] = Field(min_length=1, description="Articles the decision rests on.")
    because: str = Field(min_length=5)
    role: str | None = Field(default=None, description="e.g. 'essential entity'.")
    obligations: list[str] = Field(default_factory=list)
    notes: list[RuleNote] = Field(default_factory=list)


class Otherwise(_Strict):
    """The verdict when no rule holds and no fact is missing."""

    verdict: Verdict = Verdict.UNDETERMINED
    because: str = Field(min_length=3)


class FrameworkRules(_Strict):
    """The rules deciding one framework."""

    framework: str = Field(pattern=FRAMEWORK_ID_PATTERN)
    scope: Literal["product", "organisation"]
    rules: list[Rule] = Field(min_length=1)
    otherwise: Otherwise


class ApplicabilityFile(_Strict):
    """Applicability rules: the fact vocabulary and, per framework, ordered rules."""

    kind: Literal["medtrust-applicability-rules"]
    id: str = Field(pattern=FRAMEWORK_ID_PATTERN)
    version: str = Field(min_length=1)
    source: str = Field(min_length=3)
    facts: list[FactDefinition] = Field(min_length=1)
    frameworks: list[FrameworkRules] = Field(min_length=1)


AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()
RuleNote.model_rebuild()
Rule.model_rebuild()
