"""SPDX 2.x XML reader (the XML serialisation written by spdx-tools).

Parsed with defusedxml (DTDs and entities refused, see :mod:`.xmlload`), turned generically into
the SPDX JSON layout (element names equal JSON member names in that serialisation) and mapped by
:mod:`.spdx_mapping`.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from medtrust.domain.component import SbomDocument, SbomEncoding
from medtrust.sbom.errors import SbomError
from medtrust.sbom.readers.spdx_mapping import build_spdx
from medtrust.sbom.readers.xmlload import load_xml

_DETECT_RE = re.compile(rb"<(?:\w+:)?spdxVersion>\s*SPDX-")
# members that are arrays in the JSON layout even when the XML has one element
_LIST_KEYS = frozenset(
    {
        "packages",
        "files",
        "relationships",
        "creators",
        "externalRefs",
        "checksums",
        "documentDescribes",
        "hasFiles",
        "snippets",
        "annotations",
    }
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def element_to_json(elem: Element) -> Any:
    """Element children to a dict (``_LIST_KEYS`` and repeated names become lists)."""
    if len(elem) == 0:
        return (elem.text or "").strip()
    out: dict[str, Any] = {}
    for child in elem:
        key = _local(child.tag)
        value = element_to_json(child)
        if key in out:
            if not isinstance(out[key], list):
                out[key] = [out[key]]
            out[key].append(value)
        else:
            out[key] = [value] if key in _LIST_KEYS else value
    return out


class SpdxXmlReader:
    """Reads SPDX 2.x XML documents."""

    name = "spdx-xml"
    description = "SPDX 2.2/2.3 XML (parsed with defusedxml; DTDs and entities refused)"

    def detect(self, head: bytes, filename: str) -> bool:
        """An XML document with an ``<spdxVersion>SPDX-…`` element."""
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and bool(
            _DETECT_RE.search(head)
        )

    def read(self, data: bytes, source: str) -> SbomDocument:
        """Parse safely, convert to the JSON layout and map."""
        root = load_xml(data, source)
        raw = element_to_json(root)
        if not isinstance(raw, dict) or "spdxVersion" not in raw:
            raise SbomError(source, "XML document has no <spdxVersion> element")
        return build_spdx(raw, source=source, encoding=SbomEncoding.XML)
