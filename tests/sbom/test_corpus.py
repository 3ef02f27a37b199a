"""Every SBOM in the shared corpus either reads (with counts checked independently) or fails
with a one-line error. Expected counts are computed here by plain JSON/XML/text walking."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import pytest
from defusedxml.ElementTree import fromstring

from medtrust.domain.component import SbomDocument, SbomFormat
from medtrust.sbom.errors import SbomError, SbomFormatError
from medtrust.sbom.readers.registry import read_sbom
from tests.shared_data import shared_data_dir, shared_file

DIRECTORIES = (
    "sbom/cyclonedx-examples",
    "sbom/firmware-spdx",
    "sbom/malformed-and-vex-cases",
    "sbom/medical-device",
)
# files that are not SBOMs this package reads; the error must name what they are
UNREADABLE = {
    "sbom/malformed-and-vex-cases/sbom_swid_test.xml": "SWID",
    "sbom/malformed-and-vex-cases/vex_test_openvex_vex.json": "OpenVEX",
}
_EXAMPLES = [
    "HBOM_PCIe-SATA-adapter-board_bom.json",
    "OBOM_Example-1-Standalone_bom.json",
    "SBOM_cern-lhc-vdm-editor-e564943_bom.json",
    "SBOM_dropwizard-1.3.15_bom.json",
    "SBOM_laravel-7.12.0_bom.1.4.json",
    *[
        f"VEX_CISA-Use-Cases_Case-1_vex-{s}.json"
        for s in ("affected", "fixed", "not_affected", "under_investigation")
    ],
    *[f"VEX_CISA-Use-Cases_Case-{n}_vex.json" for n in range(2, 9)],
    *[f"VEX_CISA-Use-Cases_Case-{n}_bom-{b}.json" for n in (7, 8) for b in (1, 2)],
    *[f"VEX_Use-Cases_Case-{n}_vex.json" for n in range(1, 14)],
    *[f"VEX_Use-Cases_Case-{n}_bom-{b}.json" for n in (6, 9, 13) for b in (1, 2, 3)],
    "VEX_bom.json",
    "VEX_vex.json",
]
FILES = sorted(
    [f"sbom/cyclonedx-examples/{name}" for name in _EXAMPLES]
    + [
        "sbom/firmware-spdx/FreeRTOS-Kernel_V11.2.0.sbom.spdx",
        "sbom/firmware-spdx/FreeRTOS-Plus-TCP_V4.3.4.sbom.spdx",
        "sbom/medical-device/narrow.sbom.json",
    ]
    + [
        f"sbom/malformed-and-vex-cases/{name}"
        for name in (
            "sbom_cyclonedx_bad_cpe22.json",
            "sbom_cyclonedx_bad_cpe23.json",
            "sbom_cyclonedx_bad_purl.json",
            "sbom_cyclonedx_ext_ref_priority.json",
            "sbom_cyclonedx_mixed_test.json",
            "sbom_cyclonedx_test.json",
            "sbom_cyclonedx_test.xml",
            "sbom_cyclonedx_test2.json",
            "sbom_spdx_mixed_test.spdx.json",
            "sbom_spdx_test.spdx",
            "sbom_spdx_test.spdx.json",
            "sbom_spdx_test.spdx.xml",
            "sbom_swid_test.xml",
            "sbom_test_triage_cyclonedx_sbom.json",
            "vex_test_cyclonedx_vex.json",
            "vex_test_openvex_vex.json",
            "vex_test_triage_cyclonedx_vex.json",
        )
    ]
)


def _walk_cdx(components: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for comp in components or []:
        out.append(comp)
        out.extend(_walk_cdx(comp.get("components")))
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _walk_cdx_xml(root: Element) -> list[Element]:
    out: list[Element] = []
    for container in (c for c in root if _local(c.tag) == "components"):
        for comp in container:
            out.append(comp)
            out.extend(_walk_cdx_xml(comp))
    return out


def _expected(path: Path) -> dict[str, int]:
    """Counts computed without the readers: components, purl strings and VEX statements."""
    raw = path.read_bytes()
    if path.suffix == ".json":
        data = json.loads(raw)
        if "spdxVersion" in data:
            packages = data.get("packages", [])
            purls = sum(
                1
                for p in packages
                for r in p.get("externalRefs", [])
                if r.get("referenceType") == "purl"
            )
            return {"components": len(packages), "purls": purls, "vex": 0}
        comps = _walk_cdx(data.get("components"))
        vex = [v for v in data.get("vulnerabilities", []) if v.get("analysis", {}).get("state")]
        return {
            "components": len(comps),
            "purls": sum(1 for c in comps if c.get("purl")),
            "vex": len(vex),
        }
    if path.suffix == ".xml":
        root = fromstring(raw)
        if _local(root.tag) == "bom":
            xml_comps = _walk_cdx_xml(root)
            purls = sum(1 for c in xml_comps for x in c if _local(x.tag) == "purl")
            return {"components": len(xml_comps), "purls": purls, "vex": 0}
        packages = [e for e in root if _local(e.tag) == "packages"]
        purls = sum(1 for p in packages for e in p.iter() if (e.text or "").startswith("pkg:"))
        return {"components": len(packages), "purls": purls, "vex": 0}
    text = raw.decode("utf-8", errors="replace")
    return {
        "components": len(re.findall(r"^PackageName:", text, re.MULTILINE)),
        "purls": len(re.findall(r"^ExternalRef:\s*\S+\s+purl\s", text, re.MULTILINE)),
        "vex": 0,
    }


def test_table_covers_the_directories() -> None:
    base = shared_data_dir()
    listed = {f"{d}/{p.name}" for d in DIRECTORIES for p in (base / d).glob("*") if p.is_file()}
    if not listed:
        shared_file(DIRECTORIES[0])  # skips (or fails on CI) when the data is absent
    assert listed == set(FILES)


@pytest.mark.parametrize("relative", FILES)
def test_corpus_file(relative: str) -> None:
    path = shared_file(relative)
    if relative in UNREADABLE:
        with pytest.raises(SbomFormatError) as info:
            read_sbom(path)
        message = str(info.value)
        assert "\n" not in message
        assert message.startswith(path.name + ": ")
        assert UNREADABLE[relative] in message
        return
    document = read_sbom(path)
    expected = _expected(path)
    assert len(document.components) == expected["components"]
    assert len(document.vex) == expected["vex"]
    # every purl string is either canonicalised onto its component or reported as invalid
    kept = sum(1 for c in document.components if c.purl)
    invalid = sum(
        1
        for i in document.issues
        if i.code == "invalid-purl"
        and i.component_ref is not None
        and (document.subject is None or i.component_ref != document.subject.bom_ref)
    )
    assert kept + invalid == expected["purls"]
    _check_invariants(document)


def _check_invariants(document: SbomDocument) -> None:
    refs = [c.bom_ref for c in document.components]
    for comp in document.components:
        if comp.parent is not None:
            assert comp.parent in refs[: refs.index(comp.bom_ref)]  # parents come first
        assert comp.cpe is None or comp.cpe.startswith("cpe:2.3:")
        assert comp.purl is None or comp.purl.startswith("pkg:")
    for dep in document.dependencies:
        assert list(dep.depends_on) == sorted(set(dep.depends_on))
    assert [d.ref for d in document.dependencies] == sorted(d.ref for d in document.dependencies)


def test_nested_and_hardware_components() -> None:
    doc = read_sbom(shared_file("sbom/cyclonedx-examples/HBOM_PCIe-SATA-adapter-board_bom.json"))
    assert doc.subject is not None
    assert doc.subject.type == "device"
    assert {c.type for c in doc.components} == {"device"}


def test_medical_device_sbom_identifiers() -> None:
    doc = read_sbom(shared_file("sbom/medical-device/narrow.sbom.json"))
    assert doc.format is SbomFormat.CYCLONEDX
    assert doc.spec_version == "1.4"
    by_name = {c.name: c for c in doc.components}
    wolfssl = by_name["WolfSSL"]
    assert wolfssl.purl == "pkg:github/wolfssl/wolfssl"
    assert wolfssl.cpe is not None and wolfssl.cpe.startswith("cpe:2.3:a:wolfssl:wolfssl:4.8.1")
    types = {c.type.value for c in doc.components}
    assert types == {"firmware", "device", "library"}


def test_freertos_tag_value() -> None:
    doc = read_sbom(shared_file("sbom/firmware-spdx/FreeRTOS-Kernel_V11.2.0.sbom.spdx"))
    assert doc.file_count == 252
    assert doc.subject is not None and doc.subject.name == "FreeRTOS-Kernel"
    assert doc.subject.version == "V11.2.0"
    assert doc.subject.cpe == "cpe:2.3:o:amazon:freertos:v11.2.0:*:*:*:*:*:*:*"
    assert doc.authors == ("Amazon Web Services",)
    assert doc.timestamp is not None and doc.timestamp.year == 2025


def test_spdx_encodings_agree() -> None:
    base = "sbom/malformed-and-vex-cases/sbom_spdx_test.spdx"
    docs = [read_sbom(shared_file(base + suffix)) for suffix in ("", ".json", ".xml")]
    keys = [
        [(c.bom_ref, c.name, c.version, c.purl, c.cpe, c.supplier, c.hashes) for c in d.components]
        for d in docs
    ]
    assert keys[0] == keys[1] == keys[2]
    assert docs[0].dependencies == docs[1].dependencies == docs[2].dependencies


def test_cyclonedx_xml() -> None:
    doc = read_sbom(shared_file("sbom/malformed-and-vex-cases/sbom_cyclonedx_test.xml"))
    assert doc.spec_version == "1.3"
    assert doc.serial == "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    assert [(c.type.value, c.group, c.name, c.version, c.purl, c.cpe) for c in doc.components] == [
        (
            "application",
            None,
            "Acme Application",
            "9.1.1",
            None,
            "cpe:2.3:a:acme:application:9.1.1:*:*:*:*:*:*:*",
        ),
        (
            "library",
            "org.apache.tomcat",
            "tomcat-catalina",
            "9.0.14",
            "pkg:maven/org.apache.tomcat/tomcat-catalina@9.0.14",
            None,
        ),
        ("library", None, "glibc", "2.11.1", None, None),
    ]
    assert doc.components[0].swid_tag_id == "swidgen-242eb18a-503e-ca37-393b-cf156ef09691_9.1.1"


def test_bad_identifiers_become_issues_not_crashes() -> None:
    doc = read_sbom(shared_file("sbom/malformed-and-vex-cases/sbom_cyclonedx_bad_cpe23.json"))
    codes = sorted(i.code for i in doc.issues)
    assert codes.count("invalid-cpe") == 3
    assert "cpe22-converted" in codes
    zlib = next(c for c in doc.components if c.name == "zlib")
    assert zlib.cpe == "cpe:2.3:a:zlib:zlib:1.2.3:*:*:*:*:*:*:*"
    doc = read_sbom(shared_file("sbom/malformed-and-vex-cases/sbom_cyclonedx_mixed_test.json"))
    assert any("unknown purl type 'xxx'" in i.message for i in doc.issues)


def test_error_is_one_line_with_file_name(tmp_path: Path) -> None:
    bad = tmp_path / "broken.cdx.json"
    bad.write_text('{"bomFormat": "CycloneDX", "components": [', encoding="utf-8")
    with pytest.raises(SbomError, match=r"^broken\.cdx\.json: not valid JSON \(line 1"):
        read_sbom(bad)
