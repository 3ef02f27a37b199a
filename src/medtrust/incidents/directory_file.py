"""File model (pydantic) of the authority directory: ``catalog/data/authorities/<cc>.yaml``.

The committed JSON Schema ``catalog/schemas/authority-directory.schema.json`` is generated from
:class:`CountryFile`.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from medtrust.incidents.regime_file import SourceModel

DesignationStatus = Literal["designated", "varies", "none", "pending", "unknown"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DesignationModel(_Strict):
    """Who holds an authority role in a country, or that this is pending or unknown."""

    status: DesignationStatus = Field(
        description=(
            "designated: `name` holds the role; varies: `name` states the rule that picks the "
            "authority; none: no such separate body (reports go elsewhere, see note); pending: "
            "designation awaits national law; unknown: not confirmed here."
        )
    )
    name: str | None = None
    expected: str | None = Field(
        default=None,
        description="For pending designations: who the draft law names (not in force).",
    )
    note: str | None = None
    sources: list[SourceModel] = Field(default_factory=list)

    @model_validator(mode="after")
    def _status_rules(self) -> DesignationModel:
        if self.status in ("designated", "varies"):
            if not self.name:
                raise ValueError(f"status {self.status!r} needs a name")
            if not self.sources:
                raise ValueError(f"status {self.status!r} needs at least one source")
        elif self.name is not None:
            raise ValueError(
                f"status {self.status!r} must not name an authority (use expected/note)"
            )
        if self.expected is not None and self.status != "pending":
            raise ValueError("expected is only for pending designations")
        return self


class TranspositionModel(_Strict):
    """State of the national NIS2 transposition."""

    status: Literal["in_force", "pending", "unknown"]
    law: str | None = None
    in_force_from: date | None = None
    note: str | None = None
    sources: list[SourceModel] = Field(min_length=1)


class AuthoritiesModel(_Strict):
    """The authority roles the obligations engine needs."""

    nis2_csirt: DesignationModel
    nis2_competent_authority: DesignationModel
    health_csirt: DesignationModel
    data_protection_authority: DesignationModel
    medical_device_authority: DesignationModel
    other: dict[str, DesignationModel] = Field(
        default_factory=dict, description="Country-specific roles used by national regimes."
    )


class CountryFile(_Strict):
    """One Member State's entry in the authority directory."""

    schema_version: Literal[1]
    country: str = Field(pattern=r"^[A-Z]{2}$")
    name: str = Field(min_length=1)
    as_of: date = Field(description="Date this entry was compiled.")
    basis: str = Field(min_length=1, description="What the entry rests on and how current it is.")
    nis2_transposition: TranspositionModel
    authorities: AuthoritiesModel
