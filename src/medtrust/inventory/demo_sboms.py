"""Synthetic CycloneDX 1.6 SBOMs for the demo hospital's fictional product versions.

Deterministic for a product version and a seed. Each SBOM describes what such a device plausibly
contains: an operating system (Windows, a Linux distribution, or embedded Linux with an optional
RTOS co-processor), the native libraries such devices ship (OpenSSL, zlib, libpng, SQLite, curl,
expat, BusyBox, Dropbear or OpenSSH ...), a .NET, Java or Python runtime with its packages, and a
web user interface (AngularJS/jQuery or Angular). Older product versions get older releases.

Every third-party name, purl and version is a real release of a real project, and a CPE 2.3 name
is given only where the NVD CPE dictionary has one; Linux distribution revision suffixes
(``-0+deb11u5``, ``.el7_9``) are plausible rather than taken from one particular image. The
device's own firmware component is fictional: it is named after the product model, supplied by
the fictional manufacturer, identified by a ``pkg:generic`` purl and a CPE built from those names
(so advisories can target it by name, purl or CPE), and is the SBOM's subject
(``metadata.component``, not repeated in ``components``, so every bom-ref stays unique).

The third-party packages, Linux distribution images and Windows releases are data
(:mod:`medtrust.inventory.demo_packages`). The generator picks from its lists by position and
chance, so their order is part of what makes the SBOMs deterministic.

Written as plain JSON (about 3 ms per SBOM; building a document of the same size with
cyclonedx-python-lib's model and serialiser took about 60 ms), and checked against the
CycloneDX 1.6 JSON schema by the tests.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import uuid
from datetime import UTC, date, datetime
from typing import Any

from packageurl import PackageURL

from medtrust.inventory.demo import DemoProduct, DemoVersion
from medtrust.inventory.demo_packages import (
    SERVERS,
    Distribution,
    Package,
    WindowsRelease,
    demo_packages,
)

SPEC_VERSION = "1.6"
MIN_COMPONENTS = 40
MAX_COMPONENTS = 120
TOOL_NAME = "medtrust demo SBOM generator"


#: device kinds that handle medical images (they carry a DICOM toolkit)
IMAGING_KINDS = frozenset({"Ultrasound system", "CT scanner"})
_SLUG = re.compile(r"[^a-z0-9]+")
_PATCH = re.compile(r"^(\d+(?:\.\d+)*)(p\d+)$")


def slug(text: str, separator: str = "-") -> str:
    """``"Nordlicht Medizintechnik"`` -> ``"nordlicht-medizintechnik"``."""
    return _SLUG.sub(separator, text.lower()).strip(separator)


def firmware_purl(manufacturer: str, model: str, version: str | None = None) -> str:
    """The purl of a fictional device's firmware (``pkg:generic/<maker>/<model>@<version>``)."""
    return str(PackageURL("generic", slug(manufacturer), slug(model), version).to_string())


def firmware_cpe(manufacturer: str, model: str, version: str = "*") -> str:
    """The CPE 2.3 name of a fictional device's firmware (part ``o``)."""
    product = slug(model, "_") + "_firmware"
    return f"cpe:2.3:o:{slug(manufacturer, '_')}:{product}:{version}:*:*:*:*:*:*:*"


def _cpe(package: Package, version: str) -> str | None:
    if package.cpe is None:
        return None
    update = "*"
    patch = _PATCH.match(version)
    if patch and package.name in {"openssh", "ntp"}:
        version, update = patch[1], patch[2]
    elif "_" in version and package.cpe == "a:oracle:jre":
        version, number = version.split("_", 1)
        update = f"update_{number}"
    return f"cpe:2.3:{package.cpe}:{version}:{update}:*:*:*:*:*:*"


def _license(value: str | None) -> list[dict[str, Any]] | None:
    if not value:
        return None
    if " " in value:
        return [{"expression": value}]
    return [{"license": {"id": value}}]


def _purl(coordinates: str, version: str, qualifiers: dict[str, str] | None = None) -> str:
    kind, _, rest = coordinates.partition("/")
    namespace, _, name = rest.rpartition("/")
    return str(PackageURL(kind, namespace or None, name, version, qualifiers).to_string())


class _Builder:
    """Collects components and dependency edges for one SBOM."""

    def __init__(self, rng: random.Random, era: float) -> None:
        self.rng = rng
        self.era = era
        self.components: dict[str, dict[str, Any]] = {}
        self.by_name: dict[str, str] = {}
        self.requires: dict[str, tuple[str, ...]] = {}
        self._family: dict[str, float] = {}

    def _position(self, package: Package) -> float:
        """Where in its release history a package sits (0 oldest .. 1 newest)."""
        if package.family is not None and package.family in self._family:
            return self._family[package.family]
        position = min(1.0, max(0.0, self.era + self.rng.choice((-0.15, 0.0, 0.0, 0.0, 0.15))))
        if package.family is not None:
            self._family[package.family] = position
        return position

    def version_of(self, package: Package) -> str:
        """A release of the package fitting the device's era."""
        return package.versions[round(self._position(package) * (len(package.versions) - 1))]

    def add(self, component: dict[str, Any], name: str, requires: tuple[str, ...] = ()) -> None:
        """Add one component (first one of a name wins)."""
        if name in self.by_name:
            return
        ref = component["bom-ref"]
        self.components[ref] = component
        self.by_name[name] = ref
        self.requires[ref] = requires

    def package(self, package: Package) -> None:
        """Add a catalogue package in a fitting release."""
        version = self.version_of(package)
        component: dict[str, Any] = {
            "type": package.kind,
            "bom-ref": _purl(package.purl, version),
            "name": package.name,
            "version": version,
        }
        if package.supplier:
            component["supplier"] = {"name": package.supplier}
        licenses = _license(package.license)
        if licenses:
            component["licenses"] = licenses
        component["purl"] = component["bom-ref"]
        cpe = _cpe(package, version)
        if cpe:
            component["cpe"] = cpe
        self.add(component, package.name, package.requires)


def _era(version: DemoVersion, released: date) -> float:
    """How recent the device's software is (0 about 2012 .. 1 about 2023)."""
    major = int(version.version.split(".")[0]) if version.version[:1].isdigit() else 1
    by_date = (released.year - 2014) / 9 + 0.05 * (major - 1)
    os_name = version.operating_system or ""
    tables = demo_packages()
    known = tables.windows.get(os_name) or tables.distributions.get(os_name)
    base = (known.era + by_date) / 2 if known is not None else by_date
    return min(1.0, max(0.0, base))


def _windows(build: _Builder, release: WindowsRelease) -> list[Package]:
    build.add(
        {
            "type": "operating-system",
            "bom-ref": f"os:{slug(release.name)}",
            "name": release.name,
            "version": release.version,
            "supplier": {"name": "Microsoft Corporation"},
            "cpe": release.cpe,
        },
        "os",
    )
    tables = demo_packages()
    core = [tables.native[0], tables.native[1], tables.native[3], *tables.windows_apps]
    optional = [*tables.native[2:3], *tables.native[4:], *tables.windows_apps]
    if build.rng.random() < 0.7:
        core.append(tables.dotnet)
        optional += tables.nuget
    else:
        core.append(tables.java_runtimes[0] if build.era < 0.5 else tables.java_runtimes[1])
        optional += tables.maven
    return _with_web(build, core, optional)


def _distribution(build: _Builder, distro: Distribution) -> list[Package]:
    build.add(
        {
            "type": "operating-system",
            "bom-ref": f"os:{slug(distro.name)}-{distro.version}",
            "name": distro.name,
            "version": distro.version,
            "supplier": {"name": distro.supplier},
            **({"cpe": distro.cpe} if distro.cpe else {}),
        },
        "os",
    )
    qualifiers = dict(distro.qualifiers)
    for name, version in distro.packages:
        ref = str(
            PackageURL(distro.purl_type, distro.namespace, name, version, qualifiers).to_string()
        )
        build.add(
            {
                "type": "library",
                "bom-ref": ref,
                "name": name,
                "version": version,
                "supplier": {"name": distro.supplier},
                "purl": ref,
            },
            name,
        )
    tables = demo_packages()
    optional: list[Package] = [tables.native[11], tables.native[12], tables.native[13]]
    core: list[Package] = []
    if build.rng.random() < 0.5:
        optional += tables.maven
    else:
        optional += tables.pypi
    return _with_web(build, core, optional)


def _embedded(build: _Builder) -> list[Package]:
    tables = demo_packages()
    core = [
        tables.kernel,
        *tables.embedded[:3],
        tables.native[0],
        tables.native[1],
        tables.native[2],
        tables.native[3],
    ]
    if build.rng.random() < 0.4:
        core[2] = tables.openssh  # OpenSSH instead of Dropbear
    core.append(build.rng.choice([p for p in tables.embedded if p.name in SERVERS]))
    optional = [*tables.native[4:], *(p for p in tables.embedded[3:] if p.name not in SERVERS)]
    if build.rng.random() < 0.5:
        rtos = build.rng.choice(tables.rtoses)
        core += [rtos, *tables.rtos_stack]
    return _with_web(build, core, optional)


def _with_web(build: _Builder, core: list[Package], optional: list[Package]) -> list[Package]:
    """Add a web user interface to most devices: AngularJS/jQuery when old, Angular when new."""
    if build.rng.random() < 0.75:
        tables = demo_packages()
        stack = tables.web_legacy if build.era < 0.55 else tables.web_angular
        core += [p for p in stack if p.family is not None or p.name == "jquery"][:6]
        optional += [p for p in stack if p not in core] + list(tables.web_common)
    for package in core:
        build.package(package)
    return optional


def demo_sbom(
    product: DemoProduct, version: DemoVersion, *, released: date, seed: int = 7
) -> bytes:
    """The CycloneDX 1.6 JSON SBOM of one demo product version (deterministic)."""
    key = f"{seed}/{product.manufacturer}/{product.model}/{version.version}"
    rng = random.Random(key)  # noqa: S311 - demo data, not security
    build = _Builder(rng, _era(version, released))
    firmware_ref = f"firmware:{slug(product.model)}@{version.version}"
    digest = hashlib.sha256(f"{key}/firmware".encode()).hexdigest()
    firmware: dict[str, Any] = {
        "type": "firmware",
        "bom-ref": firmware_ref,
        "supplier": {"name": product.manufacturer},
        "name": product.model,
        "version": version.version,
        "description": f"{product.kind} firmware (fictional device of the medtrust demo)",
        "hashes": [{"alg": "SHA-256", "content": digest}],
        "licenses": [{"license": {"name": f"{product.manufacturer} proprietary licence"}}],
        "purl": firmware_purl(product.manufacturer, product.model, version.version),
        "cpe": firmware_cpe(product.manufacturer, product.model, version.version),
    }
    build.add(firmware, "firmware")
    os_name = version.operating_system or ""
    tables = demo_packages()
    if os_name in tables.windows:
        optional = _windows(build, tables.windows[os_name])
    elif os_name in tables.distributions:
        optional = _distribution(build, tables.distributions[os_name])
    else:
        optional = _embedded(build)
    if product.kind in IMAGING_KINDS:
        build.package(tables.native[11])  # dcmtk
    target = rng.randint(MIN_COMPONENTS, MAX_COMPONENTS)
    pool = [p for p in optional if p.name not in build.by_name]
    pool = sorted({p.name: p for p in pool}.values(), key=lambda p: p.name)
    rng.shuffle(pool)
    for package in pool:
        if len(build.components) >= target:
            break
        build.package(package)
    return _document(build, firmware_ref, product, version, released, key)


def _document(
    build: _Builder,
    firmware_ref: str,
    product: DemoProduct,
    version: DemoVersion,
    released: date,
    key: str,
) -> bytes:
    firmware = build.components[firmware_ref]
    others = sorted(
        (c for ref, c in build.components.items() if ref != firmware_ref),
        key=lambda c: (c["type"] != "operating-system", c["name"].lower(), c["bom-ref"]),
    )
    dependencies = [{"ref": firmware_ref, "dependsOn": sorted(c["bom-ref"] for c in others)}]
    for component in others:
        ref = component["bom-ref"]
        targets = sorted(
            build.by_name[name] for name in build.requires.get(ref, ()) if name in build.by_name
        )
        dependencies.append({"ref": ref, "dependsOn": [t for t in targets if t != ref]})
    timestamp = datetime(released.year, released.month, released.day, 9, 0, tzinfo=UTC)
    document = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'medtrust-demo/' + key)}",
        "version": 1,
        "metadata": {
            "timestamp": timestamp.isoformat().replace("+00:00", "Z"),
            "lifecycles": [{"phase": "build"}],
            "tools": {"components": [{"type": "application", "name": TOOL_NAME}]},
            "authors": [{"name": f"{product.manufacturer} product security"}],
            "supplier": {"name": product.manufacturer},
            "component": firmware,
            "properties": [
                {"name": "medtrust:demo", "value": "fictional product of the medtrust demo"},
                {"name": "medtrust:device-kind", "value": product.kind},
            ],
        },
        "components": others,
        "dependencies": dependencies,
    }
    return json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8")
