"""Hostile and broken input: no traceback, no partial result, one-line typed errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtrust.errors import InputError
from medtrust.sbom.errors import SbomError, SbomFormatError, SbomTooLargeError
from medtrust.sbom.readers.registry import read_sbom, read_sbom_bytes

CDX_NS = "http://cyclonedx.org/schema/bom/1.5"


def _valid_cdx() -> bytes:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "metadata": {"timestamp": "2024-01-01T00:00:00Z", "authors": [{"name": "A"}]},
        "components": [
            {
                "type": "library",
                "bom-ref": "a",
                "name": "zlib",
                "version": "1.2.13",
                "purl": "pkg:generic/zlib@1.2.13",
                "cpe": "cpe:2.3:a:zlib:zlib:1.2.13:*:*:*:*:*:*:*",
                "components": [{"type": "firmware", "name": "fw", "version": "1"}],
            }
        ],
        "dependencies": [{"ref": "a", "dependsOn": []}],
    }
    return json.dumps(doc, indent=1).encode()


def _billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE bom [' + "".join(entities) + "]>\n"
        f'<bom xmlns="{CDX_NS}"><components><component type="library">'
        "<name>&lol9;</name></component></components></bom>"
    ).encode()


HOSTILE_XML = {
    "billion-laughs": _billion_laughs(),
    "external-entity": (
        '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f'<bom xmlns="{CDX_NS}"><components><component type="library"><name>&xxe;</name>'
        "</component></components></bom>"
    ).encode(),
    "external-dtd": (
        '<?xml version="1.0"?><!DOCTYPE bom SYSTEM "http://127.0.0.1:9/x.dtd">'
        f'<bom xmlns="{CDX_NS}"></bom>'
    ).encode(),
    "parameter-entity": (
        '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
        f'<bom xmlns="{CDX_NS}"></bom>'
    ).encode(),
    "spdx-entity": (
        b'<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x "y">]>'
        b"<Document><spdxVersion>SPDX-2.3</spdxVersion><name>&x;</name></Document>"
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_XML))
def test_hostile_xml_is_refused(name: str) -> None:
    with pytest.raises(SbomError, match="XML refused") as info:
        read_sbom_bytes(HOSTILE_XML[name], source=f"{name}.xml")
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(f"{name}.xml: ")


def test_every_truncation_of_valid_json_fails_cleanly() -> None:
    full = _valid_cdx()
    assert read_sbom_bytes(full, source="full.json").components  # the untruncated file reads
    for size in range(len(full)):
        prefix = full[:size]
        if prefix.rstrip() == full.rstrip():
            continue
        with pytest.raises(SbomError) as info:
            read_sbom_bytes(prefix, source="cut.json")
        assert "\n" not in str(info.value)


def test_every_truncation_of_valid_xml_fails_cleanly() -> None:
    full = (
        f'<?xml version="1.0"?><bom xmlns="{CDX_NS}" version="1"><components>'
        '<component type="library"><name>zlib</name><version>1.2.13</version>'
        "<purl>pkg:generic/zlib@1.2.13</purl></component></components></bom>"
    ).encode()
    assert len(read_sbom_bytes(full, source="full.xml").components) == 1
    for size in range(len(full)):
        with pytest.raises(SbomError):
            read_sbom_bytes(full[:size], source="cut.xml")


def test_deeply_nested_json_is_an_error() -> None:
    depth = 100_000
    data = b'{"bomFormat": "CycloneDX", "components": ' + b"[" * depth + b"]" * depth + b"}"
    with pytest.raises(SbomError, match=r"nested too deeply|could not"):
        read_sbom_bytes(data, source="deep.json")


def test_deeply_nested_components_are_cut_with_an_issue() -> None:
    node: dict[str, Any] = {"type": "library", "name": "leaf"}
    for i in range(100):
        node = {"type": "library", "name": f"n{i}", "components": [node]}
    data = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [node]})
    doc = read_sbom_bytes(data.encode(), source="nest.json")
    assert len(doc.components) == 64
    assert [i.code for i in doc.issues if i.code == "nesting-too-deep"] == ["nesting-too-deep"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", SbomError),
        (b"   \n", SbomError),
        (b"\x00\x01\x02\xff", SbomFormatError),
        (b"[1, 2, 3]", SbomFormatError),
        (b'{"hello": "world"}', SbomFormatError),
        (b'["bomFormat", "CycloneDX"]', SbomFormatError),
        (b'{"bomFormat": "CycloneDX", "x": 1} trailing', SbomError),
        (b'{"bomFormat": "CycloneDX"}\xff', SbomError),
        (b"SPDXVersion: SPDX-2.3\n\x00\x00", SbomError),
        (b'<?xml version="1.0"?><root/>', SbomFormatError),
        (b'<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><unclosed>', SbomError),
    ],
)
def test_garbage_gives_typed_errors(data: bytes, error: type[SbomError]) -> None:
    with pytest.raises(error) as info:
        read_sbom_bytes(data, source="x")
    assert isinstance(info.value, InputError)
    assert "\n" not in str(info.value)


def test_top_level_array_with_marker_is_an_error() -> None:
    with pytest.raises(SbomError, match="top-level JSON value is a list"):
        read_sbom_bytes(b'[{"bomFormat": "CycloneDX"}]', source="x.json", reader="cyclonedx-json")


def test_size_limit_refuses_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(3 * 1024**3)  # sparse 3 GB file: refused from its size alone
    with pytest.raises(SbomTooLargeError, match="more than the limit") as info:
        read_sbom(huge, max_bytes=100 * 1024**2)
    assert info.value.exit_code == 2
    huge.unlink()


def test_size_limit_in_memory() -> None:
    with pytest.raises(SbomTooLargeError):
        read_sbom_bytes(_valid_cdx(), source="x.json", max_bytes=100)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SbomError, match="cannot read file"):
        read_sbom(tmp_path / "absent.json")


def test_unknown_reader_name() -> None:
    with pytest.raises(SbomFormatError, match="unknown SBOM reader"):
        read_sbom_bytes(_valid_cdx(), source="x", reader="nope")


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
_CDX_FIELDS = st.sampled_from(
    [
        "type",
        "bom-ref",
        "name",
        "version",
        "purl",
        "cpe",
        "supplier",
        "hashes",
        "licenses",
        "properties",
        "components",
        "swid",
        "group",
        "publisher",
    ]
)
_DOC_FIELDS = st.sampled_from(
    [
        "specVersion",
        "metadata",
        "components",
        "dependencies",
        "vulnerabilities",
        "serialNumber",
        "version",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(_CDX_FIELDS, _json_values, max_size=6),
    st.dictionaries(_DOC_FIELDS, _json_values, max_size=3),
)
def test_wrongly_typed_cyclonedx_fields_never_crash(
    component: dict[str, Any], document: dict[str, Any]
) -> None:
    raw = {"bomFormat": "CycloneDX", "components": [component], **document}
    try:
        doc = read_sbom_bytes(json.dumps(raw).encode(), source="fuzz.json")
    except SbomError:
        return
    for comp in doc.components:
        assert isinstance(comp.name, str)


_SPDX_FIELDS = st.sampled_from(
    [
        "SPDXID",
        "name",
        "versionInfo",
        "supplier",
        "originator",
        "externalRefs",
        "checksums",
        "primaryPackagePurpose",
        "licenseConcluded",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(_SPDX_FIELDS, _json_values, max_size=6),
    _json_values,
    _json_values,
)
def test_wrongly_typed_spdx_fields_never_crash(
    package: dict[str, Any], relationships: Any, creation: Any
) -> None:
    raw = {
        "spdxVersion": "SPDX-2.3",
        "packages": [package],
        "relationships": relationships,
        "creationInfo": creation,
    }
    try:
        read_sbom_bytes(json.dumps(raw).encode(), source="fuzz.spdx.json")
    except SbomError:
        return


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(data: bytes) -> None:
    try:
        read_sbom_bytes(data, source="random.bin")
    except SbomError:
        return


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=12))
def test_random_tag_value_lines_never_crash(lines: list[str]) -> None:
    data = ("SPDXVersion: SPDX-2.3\n" + "\n".join(lines)).encode("utf-8", "surrogatepass")
    try:
        read_sbom_bytes(data, source="random.spdx")
    except SbomError:
        return
