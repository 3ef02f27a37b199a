"""Reading an incident facts file (YAML or JSON) into :class:`IncidentFacts`.

Pydantic models validate the file's shape; cross-field checks then name the offending field.
Timestamps must carry a time zone: a time without one is refused, never guessed.
"""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from medtrust.incidents.datafiles import describe_validation_error
from medtrust.incidents.errors import IncidentFactsError
from medtrust.incidents.facts import (
    BreachRisk,
    BreachRole,
    CraProduct,
    CraTrack,
    Device,
    DeviceRegulation,
    ExploitedVulnerability,
    Incident,
    IncidentFacts,
    Nis2Class,
    Organisation,
    PersonalDataBreach,
    Role,
    SevereIncident,
    Submission,
)
from medtrust.incidents.obligation import Stage
from medtrust.validation_text import DOCUMENT, first_error

MAX_FACTS_BYTES = 1_000_000
_COUNTRY = r"^[A-Z]{2}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrganisationIn(_Strict):
    """The reporting organisation."""

    role: Role
    country: str = Field(pattern=_COUNTRY, description="ISO 3166-1 alpha-2 code, e.g. DE.")
    nis2: Nis2Class
    timezone: str | None = Field(default=None, description="IANA zone, e.g. Europe/Berlin.")


class IncidentIn(_Strict):
    """The security incident."""

    aware_at: AwareDatetime
    significant: bool
    suspected_malicious: bool = False
    cross_border: bool = False
    ongoing: bool = False
    handled_at: AwareDatetime | None = None


class BreachIn(_Strict):
    """A personal data breach."""

    aware_at: AwareDatetime
    risk: BreachRisk
    role: BreachRole = BreachRole.CONTROLLER
    unintelligible_to_others: bool = False
    high_risk_no_longer_likely: bool = False
    disproportionate_effort: bool = False


class DeviceIn(_Strict):
    """A medical device involved."""

    name: str = Field(min_length=1)
    regulation: DeviceRegulation
    aware_at: AwareDatetime
    serious_incident: bool
    death_or_serious_deterioration: bool = False
    serious_public_health_threat: bool = False
    occurred_in: str | None = Field(default=None, pattern=_COUNTRY)
    fsca_planned_at: AwareDatetime | None = None


class VulnerabilityIn(_Strict):
    """An actively exploited vulnerability."""

    aware_at: AwareDatetime
    fix_available_at: AwareDatetime | None = None


class SevereIncidentIn(_Strict):
    """A severe incident affecting product security."""

    aware_at: AwareDatetime


class CraProductIn(_Strict):
    """A product with digital elements (not a medical device)."""

    name: str = Field(min_length=1)
    actively_exploited_vulnerability: VulnerabilityIn | None = None
    severe_incident: SevereIncidentIn | None = None


class SubmissionIn(_Strict):
    """A report already sent."""

    regime: str = Field(min_length=1)
    stage: Stage
    at: AwareDatetime
    subject: str | None = Field(default=None, description="Device or product name, if several.")
    track: CraTrack | None = Field(default=None, description="CRA only: vulnerability or incident.")


class FactsFile(_Strict):
    """An incident facts file."""

    organisation: OrganisationIn
    incident: IncidentIn | None = None
    personal_data_breach: BreachIn | None = None
    devices: list[DeviceIn] | None = None
    cra_products: list[CraProductIn] | None = None
    submissions: list[SubmissionIn] | None = None


def read_facts(path: Path) -> IncidentFacts:
    """Read and validate a facts file (``.json`` as JSON, anything else as YAML)."""
    try:
        size = path.stat().st_size
        if size > MAX_FACTS_BYTES:
            raise IncidentFactsError(f"{path}: facts file larger than {MAX_FACTS_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise IncidentFactsError(f"{path}: cannot read facts file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise IncidentFactsError(f"{path}: facts file is not UTF-8 text") from exc
    return parse_facts(text, is_json=path.suffix.lower() == ".json", source=str(path))


def parse_facts(text: str, *, is_json: bool = False, source: str = "facts") -> IncidentFacts:
    """Parse facts from YAML or JSON text."""
    try:
        raw = json.loads(text) if is_json else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        detail = " ".join(str(exc).split())
        raise IncidentFactsError(
            f"{source}: not valid {'JSON' if is_json else 'YAML'} ({detail})"
        ) from exc
    if not isinstance(raw, dict):
        raise IncidentFactsError(
            f"{source}: the facts must be a mapping with an 'organisation' key"
        )
    try:
        model = FactsFile.model_validate(raw)
    except ValidationError as exc:
        raise IncidentFactsError(f"{source}: {_explain(exc)}") from exc
    return facts_from_file(model)


def _explain(exc: ValidationError) -> str:
    if exc.errors()[0]["type"] == "timezone_aware":
        where, _ = first_error(exc, root=DOCUMENT)
        return (
            f"{where}: timestamp without a time zone is refused (add an offset such as +01:00 or Z)"
        )
    return describe_validation_error(exc)


def facts_from_file(model: FactsFile) -> IncidentFacts:
    """Cross-check the file model and convert it into domain facts."""
    org = model.organisation
    zone = None
    if org.timezone is not None:
        try:
            zone = ZoneInfo(org.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            msg = f"organisation.timezone: unknown time zone {org.timezone!r}"
            raise IncidentFactsError(msg) from exc
    incident = _incident(model.incident) if model.incident else None
    devices = tuple(_device(i, d) for i, d in enumerate(model.devices or []))
    products = tuple(_product(i, p) for i, p in enumerate(model.cra_products or []))
    _check_names(devices, products)
    breach = model.personal_data_breach
    return IncidentFacts(
        organisation=Organisation(org.role, org.country, org.nis2, zone),
        incident=incident,
        personal_data_breach=None
        if breach is None
        else PersonalDataBreach(
            aware_at=breach.aware_at,
            risk=breach.risk,
            role=breach.role,
            unintelligible_to_others=breach.unintelligible_to_others,
            high_risk_no_longer_likely=breach.high_risk_no_longer_likely,
            disproportionate_effort=breach.disproportionate_effort,
        ),
        devices=devices,
        cra_products=products,
        submissions=tuple(
            Submission(s.regime, s.stage.value, s.at, s.subject, s.track, i)
            for i, s in enumerate(model.submissions or [])
        ),
    )


def _incident(model: IncidentIn) -> Incident:
    if model.handled_at is not None:
        if model.ongoing:
            raise IncidentFactsError(
                "incident.handled_at: an ongoing incident cannot have a handling end; "
                "set ongoing: false or remove handled_at"
            )
        if model.handled_at < model.aware_at:
            raise IncidentFactsError(
                f"incident.handled_at: {model.handled_at.isoformat()} is before "
                f"incident.aware_at ({model.aware_at.isoformat()})"
            )
    return Incident(
        aware_at=model.aware_at,
        significant=model.significant,
        suspected_malicious=model.suspected_malicious,
        cross_border=model.cross_border,
        ongoing=model.ongoing,
        handled_at=model.handled_at,
    )


def _device(index: int, model: DeviceIn) -> Device:
    if not model.serious_incident:
        for flag in ("death_or_serious_deterioration", "serious_public_health_threat"):
            if getattr(model, flag):
                raise IncidentFactsError(
                    f"devices[{index}].serious_incident: false contradicts {flag}: true "
                    f"(that makes it a serious incident, MDR Art. 2(65) / IVDR Art. 2(68))"
                )
    return Device(
        name=model.name,
        regulation=model.regulation,
        aware_at=model.aware_at,
        serious_incident=model.serious_incident,
        death_or_serious_deterioration=model.death_or_serious_deterioration,
        serious_public_health_threat=model.serious_public_health_threat,
        occurred_in=model.occurred_in,
        fsca_planned_at=model.fsca_planned_at,
        index=index,
    )


def _product(index: int, model: CraProductIn) -> CraProduct:
    vuln = model.actively_exploited_vulnerability
    severe = model.severe_incident
    if vuln is None and severe is None:
        raise IncidentFactsError(
            f"cra_products[{index}]: give actively_exploited_vulnerability and/or severe_incident"
        )
    return CraProduct(
        name=model.name,
        vulnerability=None
        if vuln is None
        else ExploitedVulnerability(vuln.aware_at, vuln.fix_available_at),
        severe_incident=None if severe is None else SevereIncident(severe.aware_at),
        index=index,
    )


def _check_names(devices: tuple[Device, ...], products: tuple[CraProduct, ...]) -> None:
    seen: dict[str, int] = {}
    for device in devices:
        key = device.name.casefold()
        if key in seen:
            raise IncidentFactsError(
                f"devices[{device.index}].name: {device.name!r} is already devices[{seen[key]}]"
            )
        seen[key] = device.index
    seen_products: dict[str, int] = {}
    for product in products:
        key = product.name.casefold()
        if key in seen:
            device = devices[seen[key]]
            raise IncidentFactsError(
                f"cra_products[{product.index}].name: {product.name!r} is also "
                f"devices[{device.index}] "
                f"under {device.regulation.value}; a device under MDR/IVDR is outside the CRA "
                f"(CRA Art. 2(2))"
            )
        if key in seen_products:
            raise IncidentFactsError(
                f"cra_products[{product.index}].name: {product.name!r} is already "
                f"cra_products[{seen_products[key]}]"
            )
        seen_products[key] = product.index
