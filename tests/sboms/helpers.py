"""A tiny knowledge base from one real OSV record, and SBOM/VEX documents written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

from medtrust.kb.ingest import import_feeds
from tests.shared_data import shared_file

#: a real Go advisory (alias CVE-2020-36565) affecting echo/v4 before 4.1.18
OSV_RECORD = "osv/samples/golang__vulndb/GO-2021-0051.json"
VULN = "GO-2021-0051"
ECHO_PURL = "pkg:golang/github.com/labstack/echo/v4@v4.1.0"


def build_kb(root: Path) -> Path:
    """Import the OSV record into a KB at ``root``."""
    import_feeds([shared_file(OSV_RECORD)], root=root, workers=1)
    return root


def sbom_bytes(serial: str = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79") -> bytes:
    """A CycloneDX 1.5 SBOM with a vulnerable echo and an unrelated component."""
    document = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": serial,
        "version": 1,
        "metadata": {"component": {"type": "device", "name": "Infusion pump", "version": "2"}},
        "components": [
            {
                "type": "library",
                "bom-ref": "echo",
                "name": "echo",
                "group": "github.com/labstack",
                "version": "4.1.0",
                "purl": ECHO_PURL,
            },
            {
                "type": "library",
                "bom-ref": "tidy",
                "name": "tidy-widgets",
                "version": "0.1.0",
                "purl": "pkg:pypi/tidy-widgets@0.1.0",
            },
        ],
    }
    return json.dumps(document).encode()


def openvex_bytes() -> bytes:
    """An OpenVEX document saying echo 4.1.0 is not affected by the advisory."""
    document = {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.org/vex/echo-1",
        "author": "Test PSIRT",
        "timestamp": "2025-01-01T00:00:00Z",
        "version": 1,
        "statements": [
            {
                "vulnerability": {"name": VULN},
                "products": [{"@id": ECHO_PURL}],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path",
            }
        ],
    }
    return json.dumps(document).encode()
