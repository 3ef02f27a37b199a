"""The authority directory: who receives which report in which Member State."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from importlib.resources.abc import Traversable

from medtrust.incidents.datafiles import packaged_dir, read_model, yaml_files
from medtrust.incidents.directory_file import CountryFile, DesignationModel
from medtrust.incidents.errors import RegimeDataError

CORE_ROLES = (
    "nis2_csirt",
    "nis2_competent_authority",
    "health_csirt",
    "data_protection_authority",
    "medical_device_authority",
)


@dataclass(frozen=True, slots=True)
class Designation:
    """An authority role in one country."""

    country: str
    role: str
    status: str
    name: str | None
    expected: str | None
    note: str | None

    def describe(self) -> str:
        """Recipient text: the name, or an explicit pending/unknown statement (never a guess)."""
        if self.status in ("designated", "varies") and self.name:
            return self.name
        role = self.role.replace("_", " ")
        if self.status == "none":
            return f"{self.country}: no separate {role}"
        if self.status == "pending":
            text = f"{self.country} {role}: designation pending"
            if self.expected:
                text += f" (draft law names {self.expected}; not in force)"
            return text
        return f"{self.country} {role}: unknown (not confirmed in the authority directory)"


@dataclass(frozen=True, slots=True)
class CountryEntry:
    """One Member State."""

    country: str
    name: str
    as_of: date
    nis2_status: str
    nis2_law: str | None
    nis2_in_force_from: date | None
    nis2_note: str | None
    designations: tuple[Designation, ...]

    def designation(self, role: str) -> Designation:
        """The designation for ``role``."""
        for item in self.designations:
            if item.role == role:
                return item
        raise RegimeDataError(f"authority directory {self.country}: no role {role!r}")

    def has_role(self, role: str) -> bool:
        """Whether the entry lists ``role``."""
        return any(item.role == role for item in self.designations)


@dataclass(frozen=True, slots=True)
class Directory:
    """All countries in the directory."""

    countries: tuple[CountryEntry, ...]

    def codes(self) -> tuple[str, ...]:
        """Country codes, sorted."""
        return tuple(entry.country for entry in self.countries)

    def get(self, country: str) -> CountryEntry | None:
        """The entry for ``country`` or None."""
        for entry in self.countries:
            if entry.country == country:
                return entry
        return None


def _designation(country: str, role: str, model: DesignationModel) -> Designation:
    return Designation(country, role, model.status, model.name, model.expected, model.note)


def country_from_file(model: CountryFile) -> CountryEntry:
    """Convert a validated file model into the domain object."""
    core = [(role, getattr(model.authorities, role)) for role in CORE_ROLES]
    extra = sorted(model.authorities.other.items())
    return CountryEntry(
        country=model.country,
        name=model.name,
        as_of=model.as_of,
        nis2_status=model.nis2_transposition.status,
        nis2_law=model.nis2_transposition.law,
        nis2_in_force_from=model.nis2_transposition.in_force_from,
        nis2_note=model.nis2_transposition.note,
        designations=tuple(_designation(model.country, r, m) for r, m in [*core, *extra]),
    )


def load_directory_from(directory: Traversable) -> Directory:
    """Load every country file of ``directory``; the file name must be the lower-case code."""
    entries = []
    for entry in yaml_files(directory):
        model = read_model(entry, CountryFile)
        if entry.name != f"{model.country.lower()}.yaml":
            raise RegimeDataError(f"{entry.name}: file name must be {model.country.lower()}.yaml")
        entries.append(country_from_file(model))
    return Directory(tuple(sorted(entries, key=lambda e: e.country)))


@functools.cache
def load_directory() -> Directory:
    """The packaged authority directory (cached)."""
    return load_directory_from(packaged_dir("authorities"))
