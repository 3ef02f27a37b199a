"""Incident facts: the pure domain input of the obligations engine.

Built from a facts file by :mod:`medtrust.incidents.facts_file`; every timestamp is time-zone aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum


class Role(StrEnum):
    """The organisation's role in the incident."""

    HEALTHCARE_PROVIDER = "healthcare_provider"
    MANUFACTURER = "manufacturer"


class Nis2Class(StrEnum):
    """NIS2 classification of the organisation (Directive (EU) 2022/2555, Art. 3)."""

    ESSENTIAL = "essential"
    IMPORTANT = "important"
    NONE = "none"


class BreachRisk(StrEnum):
    """Likely risk of a personal data breach to individuals (GDPR Art. 33(1), 34(1))."""

    UNLIKELY = "unlikely"
    RISK = "risk"
    HIGH = "high"


class BreachRole(StrEnum):
    """The organisation's GDPR role for the breached data."""

    CONTROLLER = "controller"
    PROCESSOR = "processor"


class DeviceRegulation(StrEnum):
    """The Union regulation a medical device is placed on the market under."""

    MDR = "MDR"
    IVDR = "IVDR"


class CraTrack(StrEnum):
    """The two CRA Art. 14 notification tracks."""

    VULNERABILITY = "vulnerability"
    INCIDENT = "incident"


@dataclass(frozen=True, slots=True)
class Organisation:
    """Who is reporting."""

    role: Role
    country: str
    nis2: Nis2Class
    timezone: tzinfo | None = None


@dataclass(frozen=True, slots=True)
class Incident:
    """The security incident as the organisation sees it."""

    aware_at: datetime
    significant: bool
    suspected_malicious: bool = False
    cross_border: bool = False
    ongoing: bool = False
    handled_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PersonalDataBreach:
    """A personal data breach (GDPR Art. 4(12)) in the incident."""

    aware_at: datetime
    risk: BreachRisk
    role: BreachRole = BreachRole.CONTROLLER
    unintelligible_to_others: bool = False
    high_risk_no_longer_likely: bool = False
    disproportionate_effort: bool = False


@dataclass(frozen=True, slots=True)
class Device:
    """A medical device involved in the incident."""

    name: str
    regulation: DeviceRegulation
    aware_at: datetime
    serious_incident: bool
    death_or_serious_deterioration: bool = False
    serious_public_health_threat: bool = False
    occurred_in: str | None = None
    fsca_planned_at: datetime | None = None
    index: int = 0


@dataclass(frozen=True, slots=True)
class ExploitedVulnerability:
    """An actively exploited vulnerability in a CRA product (CRA Art. 14(1))."""

    aware_at: datetime
    fix_available_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SevereIncident:
    """A severe incident affecting the security of a CRA product (CRA Art. 14(3), (5))."""

    aware_at: datetime


@dataclass(frozen=True, slots=True)
class CraProduct:
    """A product with digital elements that is not a medical device."""

    name: str
    vulnerability: ExploitedVulnerability | None = None
    severe_incident: SevereIncident | None = None
    index: int = 0


@dataclass(frozen=True, slots=True)
class Submission:
    """A report that was already sent."""

    regime: str
    stage: str
    at: datetime
    subject: str | None = None
    track: CraTrack | None = None
    index: int = 0

    @property
    def field(self) -> str:
        """The facts-file path of this entry, for messages."""
        return f"submissions[{self.index}]"


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """Everything the engine needs to know about one incident."""

    organisation: Organisation
    incident: Incident | None = None
    personal_data_breach: PersonalDataBreach | None = None
    devices: tuple[Device, ...] = ()
    cra_products: tuple[CraProduct, ...] = ()
    submissions: tuple[Submission, ...] = ()
