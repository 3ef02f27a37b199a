"""File models of the evidence rules (``catalog/data/evidence/*.yaml``) and of user declarations.

* :class:`Mds2EvidenceFile` says how an MDS2 answer becomes evidence: per question polarity and
  answer, the :class:`~medtrust.compliance.evidence.Signal`, and the sentence templates used to
  state the evidence and what would close a gap.
* :class:`ProductEvidenceFile` says which requirement nodes an SBOM, a declared process or a
  certificate speaks to directly, each link with its rationale.
* :class:`DeclarationsFile` is the user's ``--declarations`` file: certificates held, processes
  in place, requirements declared not applicable.
"""

from __future__ import annotations

import string
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from medtrust.compliance.evidence import Signal
from medtrust.compliance.files import FRAMEWORK_ID_PATTERN, URN_PATTERN
from medtrust.domain.mds2 import Polarity


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnswerKey(StrEnum):
    """The answers of the HN 1-2019 legend, plus an unanswered question."""

    YES = "Yes"
    NO = "No"
    NA = "N/A"
    SEE_NOTE = "See Note"
    UNANSWERED = "unanswered"


MDS2_PLACEHOLDERS = frozenset({"question", "description", "answer", "capability", "note"})
PRODUCT_PLACEHOLDERS = frozenset({"score", "min_score", "fixes", "components", "source", "name"})


def _check_template(value: str, allowed: frozenset[str]) -> str:
    names = {field for _, field, _, _ in string.Formatter().parse(value) if field is not None}
    unknown = sorted(names - allowed)
    if unknown:
        raise ValueError(f"unknown placeholder(s) {unknown}; allowed: {sorted(allowed)}")
    return value


class Mds2EvidenceFile(_Strict):
    """How MDS2 answers count as evidence (by question polarity)."""

    kind: Literal["medtrust-mds2-evidence-rules"]
    id: str = Field(pattern=FRAMEWORK_ID_PATTERN)
    version: str = Field(min_length=1)
    source: str = Field(min_length=3, description="Where the answer semantics come from.")
    signals: dict[Polarity, dict[AnswerKey, Signal]] = Field(
        description="Polarity -> answer -> signal; every polarity and answer must be listed."
    )
    statements: dict[Signal, str] = Field(
        description="Sentence stating the evidence, per signal (placeholders: question, ...)."
    )
    remedies: dict[Signal, str] = Field(
        default_factory=dict, description="What would close the gap, per non-positive signal."
    )

    @model_validator(mode="after")
    def _complete(self) -> Mds2EvidenceFile:
        for polarity in Polarity:
            missing = [a.value for a in AnswerKey if a not in self.signals.get(polarity, {})]
            if missing:
                raise ValueError(f"signals for {polarity.value} lack answers {missing}")
        for signal in Signal:
            if signal not in self.statements:
                raise ValueError(f"statements lack signal {signal.value}")
        for key in (*self.statements.values(), *self.remedies.values()):
            _check_template(key, MDS2_PLACEHOLDERS)
        return self


class RequirementLink(_Strict):
    """A requirement node that a kind of evidence speaks to directly."""

    urn: str = Field(pattern=URN_PATTERN)
    rationale: str = Field(min_length=3, description="Why this evidence speaks to the node.")


class SbomRules(_Strict):
    """SBOM presence and quality as evidence."""

    min_score: int = Field(ge=0, le=100, description="Quality score (0-100) counted as good.")
    requirements: list[RequirementLink] = Field(min_length=1)
    statements: dict[Literal["good", "low", "missing"], str]
    remedies: dict[Literal["low", "missing"], str]

    @field_validator("statements", "remedies")
    @classmethod
    def _templates(cls, value: dict[str, str]) -> dict[str, str]:
        for text in value.values():
            _check_template(text, PRODUCT_PLACEHOLDERS)
        return value


class ProcessRule(_Strict):
    """A process a manufacturer can declare, and the requirements it speaks to."""

    id: str = Field(pattern=FRAMEWORK_ID_PATTERN)
    name: str = Field(min_length=3)
    description: str = Field(min_length=3)
    requirements: list[RequirementLink] = Field(min_length=1)
    remedy: str = Field(min_length=3, description="How to put the process in place.")


class CertificateRule(_Strict):
    """A standard whose certificate counts as evidence for every requirement of its catalogue."""

    framework: str = Field(pattern=FRAMEWORK_ID_PATTERN)
    names: list[str] = Field(min_length=1, description="Designations accepted in declarations.")
    remedy: str = Field(min_length=3)


class ProductEvidenceFile(_Strict):
    """Which requirement nodes SBOMs, declared processes and certificates speak to."""

    kind: Literal["medtrust-product-evidence-rules"]
    id: str = Field(pattern=FRAMEWORK_ID_PATTERN)
    version: str = Field(min_length=1)
    source: str = Field(min_length=3)
    sbom: SbomRules
    processes: list[ProcessRule] = Field(min_length=1)
    certificates: list[CertificateRule] = Field(min_length=1)


class CertificateDeclaration(_Strict):
    """A certificate (or declaration of conformity) the manufacturer holds."""

    standard: str = Field(min_length=2, description="e.g. 'IEC 62443-4-1'.")
    scope: str | None = None
    issuer: str | None = None
    valid_until: date | None = None
    reference: str | None = None


class ProcessDeclaration(_Strict):
    """A process the manufacturer declares to have in place (ids from the evidence rules)."""

    id: str = Field(min_length=2)
    reference: str | None = Field(default=None, description="Where it is documented.")
    note: str | None = None


class NotApplicableDeclaration(_Strict):
    """A requirement the manufacturer declares not applicable, with the reason."""

    requirement: str = Field(pattern=URN_PATTERN)
    reason: str = Field(min_length=3)


class DeclarationsFile(_Strict):
    """The ``--declarations`` file of ``medtrust assess product``."""

    product: str | None = None
    certificates: list[CertificateDeclaration] = Field(default_factory=list)
    processes: list[ProcessDeclaration] = Field(default_factory=list)
    not_applicable: list[NotApplicableDeclaration] = Field(default_factory=list)
