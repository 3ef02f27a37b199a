"""The packaged demo package tables (``medtrust/inventory/data/demo-packages.yaml``)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from packageurl import PackageURL

from medtrust.errors import CatalogError
from medtrust.inventory.demo import OPERATING_SYSTEMS
from medtrust.inventory.demo_packages import (
    DEMO_PACKAGES_FILE,
    DemoPackagesFile,
    demo_packages,
    packages_from_data,
    packages_from_yaml,
)
from tests.inventory.packaged_data import PackagedData, refused

DATA = PackagedData("demo-packages", DemoPackagesFile)


# --- the packaged file and its schema ---------------------------------------------------------


def test_packaged_file_validates_against_the_committed_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(DATA.schema())
    errors = list(DATA.validator().iter_errors(DATA.raw()))
    assert not errors, errors[0].message


def test_committed_schema_equals_the_model() -> None:
    assert DATA.committed_schema() == DATA.generated_schema(), (
        "demo-packages.schema.json is stale: write DemoPackagesFile.model_json_schema() in the "
        "format of medtrust.catalog.schema_export.render_schema"
    )


def test_loaded_once() -> None:
    assert demo_packages() is demo_packages()


# --- bad files --------------------------------------------------------------------------------

Mutate = Callable[[dict[str, Any]], None]


def _set(path: tuple[str | int, ...], value: object) -> Mutate:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple[str | int, ...]) -> Mutate:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


def _swap_native(data: dict[str, Any]) -> None:
    native = data["native"]
    native[0], native[1] = native[1], native[0]


def _drop_nginx(data: dict[str, Any]) -> None:
    data["embedded"] = [p for p in data["embedded"] if p["name"] != "nginx"]


def _duplicate_name(data: dict[str, Any]) -> None:
    data["pypi"].append(copy.deepcopy(data["native"][0]))


def _windows_as_distribution(data: dict[str, Any]) -> None:
    data["windows"]["Debian 11"] = data["windows"]["Windows XP Embedded"]


def _duplicate_distribution_package(data: dict[str, Any]) -> None:
    data["distributions"]["Debian 11"]["packages"].append("openssl 3.0.9-1")


#: (id, mutation, fragment of the message); the JSON Schema refuses these as well
SCHEMA_CASES: list[tuple[str, Mutate, str]] = [
    ("missing-purl", _delete(("native", 0, "purl")), "native.0.purl: Field required"),
    ("missing-list", _delete(("windows",)), "windows: Field required"),
    (
        "versions-not-a-string",
        _set(("native", 1, "versions"), ["1.2.3", "1.3"]),
        "native.1.versions: Input should be a valid string",
    ),
    (
        "era-not-a-number",
        _set(("windows", "Windows XP Embedded", "era"), "old"),
        "windows.Windows XP Embedded.era: Input should be a valid number",
    ),
    (
        "version-read-as-integer",
        _set(("distributions", "Debian 11", "version"), 11),
        "distributions.Debian 11.version: Input should be a valid string",
    ),
    (
        "unknown-package-key",
        _set(("maven", 0, "homepage"), "https://logging.apache.org/"),
        "maven.0.homepage: Extra inputs are not permitted",
    ),
    ("unknown-top-key", _set(("npm",), []), "npm: Extra inputs are not permitted"),
    ("wrong-kind", _set(("kernel", "kind"), "kernel"), "kernel.kind: Input should be"),
    (
        "double-space-in-versions",
        _set(("openssh", "versions"), "8.9p1  9.3p1"),
        "openssh.versions: String should match pattern",
    ),
    (
        "cpe-with-prefix",
        _set(("dotnet", "cpe"), "cpe:2.3:a:microsoft:.net_framework"),
        "dotnet.cpe: String should match pattern",
    ),
    (
        "package-without-version",
        _set(("distributions", "CentOS 7.9", "packages", 0), "bash"),
        "distributions.CentOS 7.9.packages.0: String should match pattern",
    ),
    (
        "three-java-runtimes",
        lambda data: data["java_runtimes"].append(copy.deepcopy(data["java_runtimes"][0])),
        "java_runtimes: List should have at most 2 items",
    ),
    ("era-above-one", _set(("distributions", "Ubuntu 20.04 LTS", "era"), 1.5), "less than or"),
]
#: refused by the loader only (the JSON Schema cannot say it)
CONSISTENCY_CASES: list[tuple[str, Mutate, str]] = [
    ("reordered-native", _swap_native, "native.0: expected openssl, found zlib"),
    ("no-nginx", _drop_nginx, "embedded: no nginx"),
    ("duplicate-name", _duplicate_name, "duplicate package name openssl"),
    (
        "unknown-requirement",
        _set(("web_common", 0, "requires"), ["left-pad"]),
        "requires unknown package left-pad",
    ),
    (
        "windows-and-distribution",
        _windows_as_distribution,
        "Debian 11 is both a distribution and a Windows release",
    ),
    (
        "duplicate-distribution-package",
        _duplicate_distribution_package,
        "distributions.Debian 11.packages: Value error, duplicate package openssl",
    ),
]


def _refused(data: object, fragment: str, source: str = DEMO_PACKAGES_FILE) -> str:
    return refused(packages_from_data, data, fragment, source)


@pytest.mark.parametrize(
    ("mutate", "fragment"), [c[1:] for c in SCHEMA_CASES], ids=[c[0] for c in SCHEMA_CASES]
)
def test_schema_violations_are_refused_by_loader_and_schema(mutate: Mutate, fragment: str) -> None:
    data = DATA.raw()
    mutate(data)
    _refused(data, fragment)
    assert list(DATA.validator().iter_errors(data)), "the JSON Schema accepts it"


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [c[1:] for c in CONSISTENCY_CASES],
    ids=[c[0] for c in CONSISTENCY_CASES],
)
def test_inconsistent_tables_are_refused(mutate: Mutate, fragment: str) -> None:
    data = DATA.raw()
    mutate(data)
    _refused(data, fragment)


def test_not_a_mapping_is_refused() -> None:
    _refused(["native"], "Input should be a valid dictionary", source="elsewhere.yaml")


def test_unquoted_numeric_version_in_the_text_is_refused() -> None:
    text = DATA.text().replace('version: "20.04"', "version: 20.04", 1)
    with pytest.raises(CatalogError) as info:
        packages_from_yaml(text)
    message = str(info.value)
    assert "\n" not in message
    assert message == (
        f"{DEMO_PACKAGES_FILE}: distributions.Ubuntu 20.04 LTS.version: "
        "Input should be a valid string"
    )


def test_broken_yaml_is_one_line_naming_the_file() -> None:
    with pytest.raises(CatalogError) as info:
        packages_from_yaml("native: [\n  - name: x\n", source="broken.yaml")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("broken.yaml: not valid YAML: ")


# --- what the generator relies on -------------------------------------------------------------


def test_every_list_has_packages_with_releases() -> None:
    tables = demo_packages()
    lists = [getattr(tables, name) for name in ("native", "embedded", "nuget", "maven", "pypi")]
    lists += [tables.rtoses, tables.rtos_stack, tables.windows_apps, tables.java_runtimes]
    lists += [tables.web_legacy, tables.web_angular, tables.web_common]
    assert all(lists)
    packages = tables.packages()
    assert len(packages) == sum(len(x) for x in lists) + 3
    for package in packages:
        assert package.versions, package.name
        assert all(v and not any(c.isspace() for c in v) for v in package.versions)


def test_every_release_has_a_valid_purl() -> None:
    for package in demo_packages().packages():
        for version in package.versions:
            purl = PackageURL.from_string(f"pkg:{package.purl}@{version}")
            assert purl.type in {"generic", "maven", "npm", "nuget", "pypi"}
            assert purl.version == version


def test_names_are_unique_and_requirements_resolve() -> None:
    names = [p.name for p in demo_packages().packages()]
    assert len(names) == len(set(names))
    for package in demo_packages().packages():
        assert set(package.requires) <= set(names), package.name
        assert package.name not in package.requires


def test_families_have_release_histories_of_one_length() -> None:
    lengths: dict[str, set[int]] = {}
    for package in demo_packages().packages():
        if package.family is not None:
            lengths.setdefault(package.family, set()).add(len(package.versions))
    assert lengths
    assert all(len(found) == 1 for found in lengths.values()), lengths


def test_positions_the_generator_picks() -> None:
    tables = demo_packages()
    assert [p.name for p in tables.native[:4]] == ["openssl", "zlib", "libpng", "sqlite"]
    assert [p.name for p in tables.native[11:14]] == ["dcmtk", "protobuf", "lua"]
    assert [p.name for p in tables.embedded[:3]] == ["busybox", "dropbear", "glibc"]
    assert {"lighttpd", "nginx"} <= {p.name for p in tables.embedded}
    assert [p.kind for p in tables.java_runtimes] == ["framework", "framework"]
    assert tables.kernel.kind == "operating-system"
    assert tables.openssh.name == "openssh"


def test_every_operating_system_of_the_demo_inventory_is_known() -> None:
    tables = demo_packages()
    named = {name for name in OPERATING_SYSTEMS if name is not None}
    assert named == set(tables.windows) | set(tables.distributions)
    assert not set(tables.windows) & set(tables.distributions)


def test_distributions_and_windows_releases() -> None:
    tables = demo_packages()
    for key, distro in tables.distributions.items():
        assert distro.packages, key
        assert all(name and version for name, version in distro.packages)
        assert len({name for name, _ in distro.packages}) == len(distro.packages)
        assert dict(distro.qualifiers).get("arch"), key
        assert 0 <= distro.era <= 1
    for key, release in tables.windows.items():
        assert release.version, key
        assert release.cpe.startswith("cpe:2.3:o:microsoft:"), key
        assert 0 <= release.era <= 1
