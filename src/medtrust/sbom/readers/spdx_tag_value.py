"""SPDX 2.x tag-value reader (``Tag: value`` lines, ``<text>…</text>`` blocks).

A small line parser of our own turns the file into the SPDX JSON layout (with line numbers for
locations) and :mod:`.spdx_mapping` maps it. spdx-tools' PLY-based tag-value parser took about
10 s for the 63 kB FreeRTOS kernel SBOM and stops at the first error, so it is not used.
Unknown tags are ignored; lines that are not ``Tag: value`` become warnings with their line.
"""

from __future__ import annotations

import re
from typing import Any

from medtrust.domain.component import IssueSeverity, SbomDocument, SbomEncoding
from medtrust.domain.location import Location, LocationKind
from medtrust.sbom.errors import SbomError
from medtrust.sbom.readers.jsonload import strip_bom
from medtrust.sbom.readers.normalise import IssueLog
from medtrust.sbom.readers.spdx_mapping import build_spdx

_DETECT_RE = re.compile(rb"^\s*SPDXVersion\s*:\s*SPDX-", re.MULTILINE)
_TAG_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$")
_PACKAGE_TAGS = {
    "SPDXID": "SPDXID",
    "PackageVersion": "versionInfo",
    "PackageSupplier": "supplier",
    "PackageOriginator": "originator",
    "PackageLicenseConcluded": "licenseConcluded",
    "PackageLicenseDeclared": "licenseDeclared",
    "PrimaryPackagePurpose": "primaryPackagePurpose",
    "PackageDownloadLocation": "downloadLocation",
}
_DOCUMENT_TAGS = {
    "SPDXVersion": "spdxVersion",
    "DocumentName": "name",
    "DocumentNamespace": "documentNamespace",
    "SPDXID": "SPDXID",
}


def _logical_lines(text: str, log: IssueLog) -> list[tuple[int, str, str]]:
    """(line number, tag, value) with multi-line ``<text>`` values joined."""
    out: list[tuple[int, str, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        number = i + 1
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _TAG_RE.match(line.strip())
        if match is None:
            log.add(
                IssueSeverity.WARNING,
                "invalid-line",
                "line is not 'Tag: value'; ignored",
                Location(LocationKind.LINE, str(number)),
            )
            continue
        tag, value = match.group(1), match.group(2)
        if value.lstrip().startswith("<text>"):
            parts = [value.lstrip()[len("<text>") :]]
            while "</text>" not in parts[-1] and i < len(lines):
                parts.append(lines[i])
                i += 1
            value = "\n".join(parts).split("</text>", 1)[0]
        out.append((number, tag, value.strip()))
    return out


def tag_value_to_dict(text: str, log: IssueLog) -> dict[str, Any]:
    """Turn tag-value text into the SPDX JSON layout (packages carry ``__line__``)."""
    doc: dict[str, Any] = {"creationInfo": {"creators": []}, "packages": [], "files": []}
    relationships: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None  # the package being read, if any
    in_other = False  # inside a file, snippet or licence section
    for number, tag, value in _logical_lines(text, log):
        if tag == "PackageName":
            current = {"name": value, "__line__": number}
            doc["packages"].append(current)
            in_other = False
        elif tag in ("FileName", "SnippetSPDXID", "LicenseID"):
            current = None
            in_other = True
            if tag == "FileName":
                doc["files"].append({"fileName": value, "__line__": number})
        elif tag == "Relationship":
            parts = value.split()
            if len(parts) >= 3:
                relationships.append(
                    {
                        "spdxElementId": parts[0],
                        "relationshipType": parts[1],
                        "relatedSpdxElement": parts[2],
                        "__line__": number,
                    }
                )
        elif tag == "Creator":
            doc["creationInfo"]["creators"].append(value)
        elif tag == "Created":
            doc["creationInfo"]["created"] = value
        elif current is not None:
            _package_tag(current, tag, value)
        elif in_other:
            if tag == "SPDXID" and doc["files"] and "SPDXID" not in doc["files"][-1]:
                doc["files"][-1]["SPDXID"] = value
        elif tag in _DOCUMENT_TAGS:
            doc.setdefault(_DOCUMENT_TAGS[tag], value)
    doc["relationships"] = relationships
    return doc


def _package_tag(pkg: dict[str, Any], tag: str, value: str) -> None:
    if tag in _PACKAGE_TAGS:
        pkg.setdefault(_PACKAGE_TAGS[tag], value)
    elif tag == "ExternalRef":
        parts = value.split(None, 2)
        if len(parts) == 3:
            pkg.setdefault("externalRefs", []).append(
                {
                    "referenceCategory": parts[0],
                    "referenceType": parts[1],
                    "referenceLocator": parts[2],
                }
            )
    elif tag == "PackageChecksum":
        algorithm, _, digest = value.partition(":")
        pkg.setdefault("checksums", []).append(
            {"algorithm": algorithm.strip(), "checksumValue": digest.strip()}
        )


class SpdxTagValueReader:
    """Reads SPDX 2.x tag-value documents."""

    name = "spdx-tag-value"
    description = "SPDX 2.2/2.3 tag-value (.spdx)"

    def detect(self, head: bytes, filename: str) -> bool:
        """A line ``SPDXVersion: SPDX-…`` near the start."""
        return _DETECT_RE.search(head) is not None

    def read(self, data: bytes, source: str) -> SbomDocument:
        """Decode (invalid UTF-8 is replaced and reported), parse and map."""
        log = IssueLog()
        raw_bytes = strip_bom(data)
        if b"\x00" in raw_bytes:
            raise SbomError(source, "binary data (NUL bytes) in a tag-value file")
        try:
            decoded = raw_bytes.decode("utf-8")
        except UnicodeDecodeError:
            decoded = raw_bytes.decode("utf-8", errors="replace")
            log.add(
                IssueSeverity.WARNING,
                "invalid-utf8",
                "file is not valid UTF-8; undecodable bytes were replaced",
            )
        doc = tag_value_to_dict(decoded, log)
        if "spdxVersion" not in doc:
            raise SbomError(source, "no SPDXVersion tag")
        return build_spdx(
            doc, source=source, encoding=SbomEncoding.TAG_VALUE, read_issues=log.frozen()
        )
