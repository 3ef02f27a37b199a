"""File models (pydantic) of the packaged regime data: ``catalog/data/regimes/*.yaml``.

The committed JSON Schema ``catalog/schemas/regime.schema.json`` is generated from
:class:`RegimeFile` (see :mod:`medtrust.catalog.schema_export`).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from medtrust.incidents.obligation import Stage

AnchorEvent = Literal[
    "awareness", "submission", "fix_available", "handling_end", "fsca_start", "request"
]
LimitUnit = Literal["hours", "days", "months", "none", "before"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceModel(_Strict):
    """A primary or secondary source for a fact."""

    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://")


class LimitModel(_Strict):
    """A time limit: a count of hours/days/months, 'before' the anchor, or none (qualitative)."""

    unit: LimitUnit
    value: int | None = Field(default=None, ge=1)
    text: str = Field(
        min_length=1, description="How the legal text phrases the limit (paraphrase)."
    )

    @model_validator(mode="after")
    def _value_matches_unit(self) -> LimitModel:
        counted = self.unit in ("hours", "days", "months")
        if counted and self.value is None:
            raise ValueError(f"a limit in {self.unit} needs a value")
        if not counted and self.value is not None:
            raise ValueError(f"a limit with unit {self.unit!r} takes no value")
        return self


class AnchorModel(_Strict):
    """The event a limit is counted from."""

    event: AnchorEvent
    stage: Stage | None = Field(default=None, description="For event 'submission': which stage.")
    label: str = Field(min_length=1)

    @model_validator(mode="after")
    def _stage_only_for_submission(self) -> AnchorModel:
        if (self.event == "submission") != (self.stage is not None):
            raise ValueError("anchor.stage is required for event 'submission' and only for it")
        return self


class RecipientModel(_Strict):
    """Who receives the report: an authority role from the directory, or a named party."""

    authority: str | None = Field(default=None, description="Authority role key in the directory.")
    party: str | None = Field(default=None, description="A recipient that is not an authority.")
    also: str | None = Field(default=None, description="A second recipient reached at once.")

    @model_validator(mode="after")
    def _exactly_one(self) -> RecipientModel:
        if (self.authority is None) == (self.party is None):
            raise ValueError("give exactly one of recipient.authority and recipient.party")
        return self


class RuleModel(_Strict):
    """One reporting stage of a regime."""

    id: str = Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9_-]+)+$")
    stage: Stage
    article: str = Field(min_length=1)
    actor: str = Field(min_length=1)
    recipient: RecipientModel
    anchor: AnchorModel
    limit: LimitModel
    condition: str | None = None
    summary: str = Field(min_length=1)
    min_risk: Literal["risk", "high"] | None = Field(
        default=None, description="GDPR rules: the lowest breach risk that triggers the rule."
    )
    replaces: str | None = Field(default=None, description="Rule id this (proposal) rule replaces.")


class ReasonModel(_Strict):
    """Why a regime or stage does not apply, keyed by a code the engine uses."""

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    article: str = Field(min_length=1)
    text: str = Field(min_length=1)


class RegimeFile(_Strict):
    """A reporting regime: its instrument, dates, rules and not-applicable reasons."""

    schema_version: Literal[1]
    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    reports_as: str | None = Field(
        default=None, description="Regime code shown on obligations when it differs from `code`."
    )
    name: str = Field(min_length=1)
    instrument: str = Field(min_length=1)
    celex: str | None = None
    status: Literal["in_force", "proposal"]
    enabled_by_default: bool
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    device_regulations: list[Literal["MDR", "IVDR"]] = Field(
        default_factory=list,
        description="National vigilance duties: the device regulations covered.",
    )
    applies_from: date | None = None
    applies_from_article: str | None = None
    caveats: list[str] = Field(default_factory=list)
    sources: list[SourceModel] = Field(min_length=1)
    reasons: list[ReasonModel] = Field(default_factory=list)
    rules: list[RuleModel] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> RegimeFile:
        if (self.applies_from is None) != (self.applies_from_article is None):
            raise ValueError("applies_from and applies_from_article go together")
        if self.status == "proposal" and self.enabled_by_default:
            raise ValueError("a proposal is never enabled by default")
        ids = [rule.id for rule in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate rule id")
        codes = [reason.code for reason in self.reasons]
        if len(codes) != len(set(codes)):
            raise ValueError("duplicate reason code")
        return self
