"""SPDX 2.2/2.3 JSON reader.

Parsed with the standard library and mapped by :mod:`.spdx_mapping`. spdx-tools is not used for
reading: its parser builds and validates the full SPDX model and rejects files with any
validation error, while an SBOM consumer must read what it can and report the rest.
"""

from __future__ import annotations

from medtrust.domain.component import SbomDocument, SbomEncoding
from medtrust.sbom.errors import SbomError
from medtrust.sbom.readers.jsonload import json_key_value, load_json_object
from medtrust.sbom.readers.spdx_mapping import build_spdx


class SpdxJsonReader:
    """Reads SPDX 2.x JSON documents."""

    name = "spdx-json"
    description = "SPDX 2.2/2.3 JSON (packages, external refs, relationships)"

    def detect(self, head: bytes, filename: str) -> bool:
        """A JSON object with an ``spdxVersion`` member."""
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and json_key_value(
            head, "spdxVersion"
        )

    def read(self, data: bytes, source: str) -> SbomDocument:
        """Parse and map the whole document."""
        raw = load_json_object(data, source)
        if "spdxVersion" not in raw:
            raise SbomError(source, 'JSON object has no "spdxVersion"')
        return build_spdx(raw, source=source, encoding=SbomEncoding.JSON)
