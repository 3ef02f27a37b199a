"""CycloneDX XML reader (namespaces ``http://cyclonedx.org/schema/bom/1.x``).

The XML is parsed with defusedxml with DTDs forbidden, so entity-expansion ("billion laughs")
and external-entity documents are refused before anything else sees them; no XML is ever handed
to a third-party library. The element tree is turned into the JSON layout and mapped by
:mod:`.cyclonedx_mapping`, so both encodings give identical results.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from medtrust.domain.component import SbomDocument, SbomEncoding
from medtrust.sbom.errors import SbomError
from medtrust.sbom.readers.cyclonedx_mapping import build_cyclonedx
from medtrust.sbom.readers.xmlload import load_xml

_NS_RE = re.compile(rb"http://cyclonedx\.org/schema/bom/\d")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(elem: Element, name: str) -> Element | None:
    for child in elem:
        if _local(child.tag) == name:
            return child
    return None


def _children(elem: Element | None, name: str) -> list[Element]:
    if elem is None:
        return []
    return [child for child in elem if _local(child.tag) == name]


def _text(elem: Element, name: str) -> str | None:
    child = _child(elem, name)
    return child.text if child is not None else None


def _grouped(elem: Element, container: str, item: str) -> list[Element]:
    return _children(_child(elem, container), item)


def _party(elem: Element | None) -> dict[str, Any] | None:
    if elem is None:
        return None
    return {"name": _text(elem, "name")}


def _component(elem: Element) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "type": elem.get("type"),
        "bom-ref": elem.get("bom-ref"),
        "supplier": _party(_child(elem, "supplier")),
        "manufacturer": _party(_child(elem, "manufacturer")),
    }
    for name in ("author", "publisher", "group", "name", "version", "purl", "cpe"):
        raw[name] = _text(elem, name)
    swid = _child(elem, "swid")
    if swid is not None:
        raw["swid"] = {"tagId": swid.get("tagId")}
    raw["hashes"] = [
        {"alg": h.get("alg"), "content": h.text} for h in _grouped(elem, "hashes", "hash")
    ]
    licenses: list[dict[str, Any]] = []
    for entry in _children(_child(elem, "licenses"), "license"):
        licenses.append({"license": {"id": _text(entry, "id"), "name": _text(entry, "name")}})
    for entry in _children(_child(elem, "licenses"), "expression"):
        licenses.append({"expression": entry.text})
    raw["licenses"] = licenses
    raw["properties"] = [
        {"name": p.get("name"), "value": p.text} for p in _grouped(elem, "properties", "property")
    ]
    raw["components"] = [_component(c) for c in _grouped(elem, "components", "component")]
    return raw


def _vulnerability(elem: Element) -> dict[str, Any]:
    analysis = _child(elem, "analysis")
    raw: dict[str, Any] = {"id": _text(elem, "id")}
    if analysis is not None:
        raw["analysis"] = {
            "state": _text(analysis, "state"),
            "justification": _text(analysis, "justification"),
            "detail": _text(analysis, "detail"),
            "response": [r.text for r in _grouped(analysis, "responses", "response")],
        }
    raw["affects"] = [
        {
            "ref": _text(target, "ref"),
            "versions": [
                {
                    "version": _text(v, "version"),
                    "range": _text(v, "range"),
                    "status": _text(v, "status"),
                }
                for v in _grouped(target, "versions", "version")
            ],
        }
        for target in _grouped(elem, "affects", "target")
    ]
    return raw


def cyclonedx_xml_to_dict(root: Element) -> dict[str, Any]:
    """Turn a CycloneDX XML ``bom`` element into the JSON layout."""
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    raw: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": namespace.rsplit("/", 1)[-1] if namespace else None,
        "serialNumber": root.get("serialNumber"),
    }
    version = root.get("version")
    if version is not None and version.isdigit():
        raw["version"] = int(version)
    metadata = _child(root, "metadata")
    if metadata is not None:
        meta: dict[str, Any] = {"timestamp": _text(metadata, "timestamp")}
        meta["authors"] = [_party(a) for a in _grouped(metadata, "authors", "author")]
        tools = _child(metadata, "tools")
        if tools is not None:
            entries = _children(tools, "tool") + _grouped(tools, "components", "component")
            meta["tools"] = [
                {"name": _text(t, "name"), "version": _text(t, "version")} for t in entries
            ]
        subject = _child(metadata, "component")
        if subject is not None:
            meta["component"] = _component(subject)
        raw["metadata"] = meta
    raw["components"] = [_component(c) for c in _grouped(root, "components", "component")]
    raw["dependencies"] = [
        {"ref": d.get("ref"), "dependsOn": [x.get("ref") for x in _children(d, "dependency")]}
        for d in _grouped(root, "dependencies", "dependency")
    ]
    raw["vulnerabilities"] = [
        _vulnerability(v) for v in _grouped(root, "vulnerabilities", "vulnerability")
    ]
    return raw


class CycloneDxXmlReader:
    """Reads CycloneDX XML documents."""

    name = "cyclonedx-xml"
    description = "CycloneDX 1.2-1.6 XML (parsed with defusedxml; DTDs and entities refused)"

    def detect(self, head: bytes, filename: str) -> bool:
        """An XML document in a CycloneDX namespace."""
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and bool(_NS_RE.search(head))

    def read(self, data: bytes, source: str) -> SbomDocument:
        """Parse safely, convert to the JSON layout and map."""
        root = load_xml(data, source)
        if _local(root.tag) != "bom":
            raise SbomError(source, f"XML root element is <{_local(root.tag)}>, not <bom>")
        return build_cyclonedx(
            cyclonedx_xml_to_dict(root), source=source, encoding=SbomEncoding.XML
        )
