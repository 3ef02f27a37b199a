"""The real third-party packages the demo SBOMs draw from, kept as validated data.

``data/demo-packages.yaml`` (JSON Schema ``data/demo-packages.schema.json``) lists package
releases with their purls and, where the NVD CPE dictionary has one, CPE names; Linux
distribution images; and Windows releases. :class:`DemoPackagesFile` validates it and
:func:`demo_packages` loads it once for :mod:`medtrust.inventory.demo_sboms`, which picks
entries by position and chance (so the lists' order is part of what keeps the SBOMs
deterministic, and the loader refuses files whose picked positions no longer hold what the
generator expects).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from medtrust.errors import CatalogError
from medtrust.validation_text import first_problem

DEMO_PACKAGES_FILE = "medtrust/inventory/data/demo-packages.yaml"


@dataclass(frozen=True, slots=True)
class Package:
    """A third-party package: its purl coordinates and real releases, oldest first."""

    name: str
    #: purl without version: ``type/name`` or ``type/namespace/name``
    purl: str
    versions: tuple[str, ...]
    #: ``part:vendor:product`` of its NVD CPE, when one exists
    cpe: str | None = None
    license: str | None = None
    supplier: str | None = None
    kind: str = "library"
    #: packages of one family share a release position (``@angular/*``, jackson, ...)
    family: str | None = None
    #: names of packages it links against (dependency edges when both are present)
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Distribution:
    """A Linux distribution image: its OS component and binary packages (fixed versions)."""

    name: str
    version: str
    cpe: str | None
    purl_type: str
    namespace: str
    qualifiers: tuple[tuple[str, str], ...]
    supplier: str
    era: float
    packages: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class WindowsRelease:
    """A Windows release as an OS component."""

    name: str
    version: str
    cpe: str
    era: float


@dataclass(frozen=True, slots=True)
class DemoPackages:
    """The tables of ``demo-packages.yaml`` (see the comments there for what each list is)."""

    native: tuple[Package, ...]
    embedded: tuple[Package, ...]
    kernel: Package
    openssh: Package
    rtoses: tuple[Package, ...]
    rtos_stack: tuple[Package, ...]
    dotnet: Package
    nuget: tuple[Package, ...]
    windows_apps: tuple[Package, ...]
    java_runtimes: tuple[Package, ...]
    maven: tuple[Package, ...]
    pypi: tuple[Package, ...]
    web_legacy: tuple[Package, ...]
    web_angular: tuple[Package, ...]
    web_common: tuple[Package, ...]
    #: keyed by the operating-system name of the demo inventory
    distributions: dict[str, Distribution]
    windows: dict[str, WindowsRelease]

    def packages(self) -> tuple[Package, ...]:
        """Every package: the lists in file order, then kernel, openssh and dotnet."""
        singles = (self.kernel, self.openssh, self.dotnet)
        lists = (getattr(self, name) for name in _PACKAGE_LISTS)
        return (*(p for packages in lists for p in packages), *singles)


_PACKAGE_LISTS = (
    "native",
    "embedded",
    "rtoses",
    "rtos_stack",
    "nuget",
    "windows_apps",
    "java_runtimes",
    "maven",
    "pypi",
    "web_legacy",
    "web_angular",
    "web_common",
)
#: entries the generator takes by position (``NATIVE[11]`` is the DICOM toolkit, ...)
_POSITIONS = {
    "native": ("openssl", "zlib", "libpng", "sqlite", *([None] * 7), "dcmtk", "protobuf", "lua"),
    "embedded": ("busybox", "dropbear", "glibc"),
    "java_runtimes": ("Java SE Runtime Environment", "OpenJDK"),
}
#: embedded web servers, one of which every embedded device gets
SERVERS = frozenset({"lighttpd", "nginx"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackageModel(_Strict):
    """A third-party package and its real releases."""

    name: str = Field(min_length=1, description="Component name, unique over all lists.")
    purl: str = Field(
        pattern=r"^[a-z][a-z0-9.+-]*/[^/\s]+(/[^/\s]+)?$",
        description="Package URL without version: type/name or type/namespace/name.",
    )
    versions: str = Field(
        pattern=r"^\S+( \S+)*$", description="Real releases, oldest first, separated by spaces."
    )
    cpe: str | None = Field(
        default=None,
        pattern=r"^[aho]:[^:\s]+:[^:\s]+$",
        description="part:vendor:product of its NVD CPE name.",
    )
    license: str | None = Field(default=None, min_length=1, description="SPDX id or expression.")
    supplier: str | None = Field(default=None, min_length=1)
    kind: Literal["library", "application", "framework", "operating-system", "firmware"] = "library"
    family: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="Packages of one family get the same release position.",
    )
    requires: list[str] = Field(
        default=[], description="Names of packages it links against (dependency edges)."
    )


class DistributionModel(_Strict):
    """A Linux distribution image with fixed package versions."""

    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    cpe: str | None = Field(default=None, pattern=r"^cpe:2\.3:o(:[^:\s]+){10}$")
    purl_type: str = Field(pattern=r"^[a-z][a-z0-9.+-]*$")
    namespace: str = Field(min_length=1)
    qualifiers: dict[str, str]
    supplier: str = Field(min_length=1)
    era: float = Field(
        ge=0, le=1, description="How recent the image is (0 about 2012 .. 1 about 2023)."
    )
    packages: list[Annotated[str, StringConstraints(pattern=r"^\S+ \S+$")]] = Field(
        min_length=1, description="Binary packages as 'name version', with fixed versions."
    )

    @field_validator("packages")
    @classmethod
    def _unique(cls, packages: list[str]) -> list[str]:
        names = [p.split(" ")[0] for p in packages]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate package {', '.join(duplicates)}")
        return packages


class WindowsReleaseModel(_Strict):
    """A Windows release as an operating-system component."""

    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    cpe: str = Field(pattern=r"^cpe:2\.3:o(:[^:\s]+){10}$")
    era: float = Field(
        ge=0, le=1, description="How recent the release is (0 about 2012 .. 1 about 2023)."
    )


class DemoPackagesFile(_Strict):
    """The whole ``demo-packages.yaml``; list order matters to the generator."""

    schema_version: Literal[1]
    native: list[PackageModel] = Field(min_length=14)
    embedded: list[PackageModel] = Field(min_length=3)
    kernel: PackageModel
    openssh: PackageModel
    rtoses: list[PackageModel] = Field(min_length=1)
    rtos_stack: list[PackageModel] = Field(min_length=1)
    dotnet: PackageModel
    nuget: list[PackageModel] = Field(min_length=1)
    windows_apps: list[PackageModel] = Field(min_length=1)
    java_runtimes: list[PackageModel] = Field(min_length=2, max_length=2)
    maven: list[PackageModel] = Field(min_length=1)
    pypi: list[PackageModel] = Field(min_length=1)
    web_legacy: list[PackageModel] = Field(min_length=1)
    web_angular: list[PackageModel] = Field(min_length=1)
    web_common: list[PackageModel] = Field(min_length=1)
    distributions: dict[str, DistributionModel] = Field(min_length=1)
    windows: dict[str, WindowsReleaseModel] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> DemoPackagesFile:
        for field, expected in _POSITIONS.items():
            packages: list[PackageModel] = getattr(self, field)
            for index, name in enumerate(expected):
                if name is not None and packages[index].name != name:
                    raise ValueError(
                        f"{field}.{index}: expected {name}, found {packages[index].name}"
                    )
        missing_servers = SERVERS - {p.name for p in self.embedded}
        if missing_servers:
            raise ValueError(f"embedded: no {', '.join(sorted(missing_servers))}")
        every = [p for f in _PACKAGE_LISTS for p in getattr(self, f)]
        every += [self.kernel, self.openssh, self.dotnet]
        names = [p.name for p in every]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate package name {', '.join(duplicates)}")
        unknown = sorted({r for p in every for r in p.requires} - set(names))
        if unknown:
            raise ValueError(f"requires unknown package {', '.join(unknown)}")
        both = sorted(set(self.distributions) & set(self.windows))
        if both:
            raise ValueError(f"{', '.join(both)} is both a distribution and a Windows release")
        return self


def _package(model: PackageModel) -> Package:
    return Package(
        model.name,
        model.purl,
        tuple(model.versions.split()),
        model.cpe,
        model.license,
        model.supplier,
        model.kind,
        model.family,
        tuple(model.requires),
    )


def _distribution_of(model: DistributionModel) -> Distribution:
    pairs = (entry.split() for entry in model.packages)
    return Distribution(
        model.name,
        model.version,
        model.cpe,
        model.purl_type,
        model.namespace,
        tuple(model.qualifiers.items()),
        model.supplier,
        model.era,
        tuple((name, version) for name, version in pairs),
    )


def packages_from_data(data: object, source: str = DEMO_PACKAGES_FILE) -> DemoPackages:
    """Validate parsed YAML; a ``CatalogError`` names the file, the field and the problem."""
    try:
        model = DemoPackagesFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(f"{source}: {first_problem(exc, sep='.')}") from exc
    lists = {f: tuple(_package(p) for p in getattr(model, f)) for f in _PACKAGE_LISTS}
    return DemoPackages(
        kernel=_package(model.kernel),
        openssh=_package(model.openssh),
        dotnet=_package(model.dotnet),
        distributions={k: _distribution_of(d) for k, d in model.distributions.items()},
        windows={
            k: WindowsRelease(w.name, w.version, w.cpe, w.era) for k, w in model.windows.items()
        },
        **lists,
    )


def packages_from_yaml(text: str, source: str = DEMO_PACKAGES_FILE) -> DemoPackages:
    """Parse and validate the YAML text of a packages file (errors are one line)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{source}: not valid YAML: {' '.join(str(exc).split())}") from exc
    return packages_from_data(data, source)


@cache
def demo_packages() -> DemoPackages:
    """The packaged tables, validated once."""
    path = resources.files("medtrust.inventory").joinpath("data", "demo-packages.yaml")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CatalogError(f"packaged data file missing: {DEMO_PACKAGES_FILE}") from exc
    return packages_from_yaml(text)
