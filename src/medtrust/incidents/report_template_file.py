"""File model (pydantic) of the report templates: ``catalog/data/report_templates/*.yaml``.

A template lists the fields one report stage must contain, each with the article that asks for it
and the pre-fill sources tried in order (see :mod:`medtrust.incidents.drafts`). The committed JSON
Schema ``catalog/schemas/report-template.schema.json`` is generated from :class:`ReportTemplateFile`
(``python -m medtrust.incidents.report_templates``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from medtrust.incidents.facts import CraTrack


class FieldKind(StrEnum):
    """How a field is edited and stored."""

    TEXT = "text"
    TEXTAREA = "textarea"
    YES_NO = "yes_no"
    CHOICE = "choice"
    CODES = "codes"
    DATETIME = "datetime"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceModel(_Strict):
    """A source for the content requirements."""

    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://")


class ChoiceModel(_Strict):
    """One allowed value of a choice or code field."""

    value: str = Field(min_length=1)
    label: str = Field(min_length=1)


class FieldModel(_Strict):
    """One field of a report."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    kind: FieldKind
    article: str | None = Field(default=None, description="Provision that asks for this content.")
    help: str | None = None
    required: bool = False
    prefill: list[str] = Field(
        default_factory=list,
        description="Pre-fill sources tried in order: a source name or draft:<stage>.<field>.",
    )
    choices: list[ChoiceModel] | None = None

    @model_validator(mode="after")
    def _choices_match_kind(self) -> FieldModel:
        needs = self.kind in (FieldKind.CHOICE, FieldKind.CODES)
        if needs and not self.choices:
            raise ValueError(f"field {self.key}: a {self.kind.value} field needs choices")
        if not needs and self.choices:
            raise ValueError(f"field {self.key}: only choice and codes fields take choices")
        return self


class AppliesToModel(_Strict):
    """A report stage the template is for (regime code as reported, stage, optional CRA track)."""

    regime: str = Field(min_length=1)
    stage: str = Field(min_length=1)
    track: CraTrack | None = None


class ReportTemplateFile(_Strict):
    """A report template file."""

    schema_version: Literal[1]
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    basis: str = Field(min_length=1, description="The provisions that set the content, in short.")
    applies_to: list[AppliesToModel] = Field(
        default_factory=list, description="Empty only for the generic fallback template."
    )
    sources: list[SourceModel] = Field(min_length=1)
    fields: list[FieldModel] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> ReportTemplateFile:
        keys = [f.key for f in self.fields]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"duplicate field keys: {', '.join(duplicates)}")
        return self
