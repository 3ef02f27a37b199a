"""Per-organisation thresholds of the exposure evaluation (validated, with defaults)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: EPSS probability from which exploitation counts as likely ("poc"). FIRST publishes EPSS as a
#: 30-day exploitation probability (https://www.first.org/epss/model); 0.1 keeps roughly the top
#: few percent of CVEs, a common cut-off for "patch soon".
DEFAULT_EPSS_POC = 0.1


def _zones(values: list[str]) -> list[str]:
    cleaned = sorted({" ".join(v.split()).lower() for v in values if v and v.strip()})
    if any(len(v) > 120 for v in cleaned):
        raise ValueError("a zone name is longer than 120 characters")
    return cleaned


class ExposureSettings(BaseModel):
    """What an organisation may tune; everything else is the packaged policy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    epss_poc: float = Field(
        default=DEFAULT_EPSS_POC,
        ge=0.0,
        le=1.0,
        description="EPSS probability from which exploitation counts as likely (poc).",
    )
    open_zones: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="Network zones treated as open although named (e.g. guest Wi-Fi, DMZ).",
    )
    isolated_zones: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="Network zones with no route to other networks (exposure small).",
    )

    @field_validator("open_zones", "isolated_zones")
    @classmethod
    def _normalise(cls, values: list[str]) -> list[str]:
        return _zones(values)

    def zone_listed(self, zone: str | None) -> str | None:
        """ "open", "isolated" or None for a zone name (case and spacing ignored)."""
        key = " ".join((zone or "").split()).lower()
        if not key:
            return None
        if key in self.isolated_zones:
            return "isolated"
        return "open" if key in self.open_zones else None
