"""CycloneDX JSON reader (specVersion 1.2-1.6; 1.4-1.6 tested).

The JSON is parsed with the standard library and mapped by :mod:`.cyclonedx_mapping`, not by
cyclonedx-python-lib: the library's deserialiser rejects real-world files that the schema
allows (it failed on one of the cve-bin-tool VEX fixtures) and takes about 1 ms per component
(175 ms for the 167-component dropwizard example), against a budget of 100 ms for 300.
"""

from __future__ import annotations

from medtrust.domain.component import SbomDocument, SbomEncoding
from medtrust.sbom.errors import SbomError
from medtrust.sbom.readers.cyclonedx_mapping import build_cyclonedx
from medtrust.sbom.readers.jsonload import json_key_value, load_json_object


class CycloneDxJsonReader:
    """Reads CycloneDX JSON documents (SBOM, HBOM, OBOM and VEX)."""

    name = "cyclonedx-json"
    description = "CycloneDX 1.2-1.6 JSON (components, nesting, dependencies, embedded VEX)"

    def detect(self, head: bytes, filename: str) -> bool:
        """A JSON object with ``"bomFormat": "CycloneDX"``."""
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and json_key_value(
            head, "bomFormat", "CycloneDX"
        )

    def read(self, data: bytes, source: str) -> SbomDocument:
        """Parse and map the whole document."""
        raw = load_json_object(data, source)
        if raw.get("bomFormat") != "CycloneDX":
            raise SbomError(source, 'JSON object has no "bomFormat": "CycloneDX"')
        return build_cyclonedx(raw, source=source, encoding=SbomEncoding.JSON)
