"""File model of the packaged MDS2 questionnaire (``data/mds2/hn1-2019.yaml``).

The pydantic models validate the file and generate its JSON Schema
(``schemas/mds2-catalogue.schema.json``); :mod:`medtrust.catalog.mds2` turns them into domain
objects.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from medtrust.domain.mds2 import AnswerKind, AnswerValue, Polarity

QUESTION_ID_PATTERN = r"^[A-Z]{3,4}-\d+(\.\d+){0,2}$"
TARGET_PATTERN = r"^([A-Z]{3,4}-\d+(\.\d+){0,2}(\.\*)?|[A-Z]{3,4}:\*)$"
_QUESTION_ID = re.compile(QUESTION_ID_PATTERN)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StandardModel(_Strict):
    """A standard referenced by one of the form's mapping columns."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    column: Literal["E", "F", "G"]


class SectionModel(_Strict):
    """A section of the form."""

    code: str = Field(pattern=r"^[A-Z]{3,4}$")
    heading: str | None = Field(description="Heading as printed in the form (None for DOC).")
    description: str = Field(min_length=3, description="medtrust's own short description.")


class QuestionModel(_Strict):
    """A question of the form."""

    id: str = Field(pattern=QUESTION_ID_PATTERN)
    section: str
    parent: str | None = Field(default=None, pattern=QUESTION_ID_PATTERN)
    kind: AnswerKind
    polarity: Polarity
    polarity_note: str | None = Field(
        default=None, description="Why the polarity was chosen, where it is not obvious."
    )
    description: str = Field(min_length=3, description="medtrust's own short description.")
    mappings_raw: dict[str, str | None] = Field(
        description="Mapping cells exactly as printed, keyed by standard id."
    )
    aliases: list[str] = Field(default_factory=list)


class RuleWhen(_Strict):
    """The condition of a conditional rule."""

    question: str = Field(pattern=QUESTION_ID_PATTERN)
    values: list[AnswerValue] = Field(min_length=1)


class RuleModel(_Strict):
    """A conditional rule: when the condition holds, the targets are expected to be N/A.

    Targets are question IDs, ``ID.*`` (all descendants of ID) or ``SECT:*`` (every other
    question of the section).
    """

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    when: RuleWhen
    targets: list[str] = Field(min_length=1)
    gate_values: list[AnswerValue] = Field(
        default_factory=list,
        description="Answers the gating question itself is expected to have (empty: any).",
    )
    explanation: str = Field(min_length=10)
    source: str = Field(min_length=3, description="Where the rule comes from.")


class Mds2CatalogueFile(_Strict):
    """The whole questionnaire file."""

    form: str
    form_version: str
    catalogue_version: str
    published: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    source: str
    licence: str
    standards: list[StandardModel]
    sections: list[SectionModel]
    questions: list[QuestionModel]
    rules: list[RuleModel]


def is_question_id(text: str) -> bool:
    """True when ``text`` has the shape of a 2019 question ID (``CODE-n[.n[.n]]``)."""
    return _QUESTION_ID.match(text) is not None
