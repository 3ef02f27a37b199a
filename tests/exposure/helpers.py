"""A knowledge base from one real CISA ICSMA advisory (plus a KEV file written for the tests),
and a small installed base linked to the advisory's product."""

from __future__ import annotations

import json
import tarfile
from collections.abc import Sequence
from pathlib import Path

from medtrust.domain.tenancy import Principal
from medtrust.kb.ingest import import_feeds
from medtrust.services.context import ServiceContext
from medtrust.services.inventory import import_assets
from medtrust.storage.repositories.disclosures import ProductRepository
from tests.shared_data import shared_file

CSAF_ARCHIVE = "csaf/cisa-csaf-ot-it.tar.gz"
#: BD Alaris 8015 PC unit, "<= 9.5" affected by CVE-2016-9355 (CVSS 3.0 AV:P, so not automatable)
ADVISORY = "icsma-17-017-02.json"
VULN = "CVE-2016-9355"
MAKER, MODEL = "Becton, Dickinson and Company (BD)", "Alaris 8015 PC unit"


def extract_advisory(directory: Path, name: str = ADVISORY) -> Path:
    """Copy one advisory out of the shared CISA CSAF archive."""
    with tarfile.open(shared_file(CSAF_ARCHIVE)) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("/" + name))
        handle = archive.extractfile(member)
        assert handle is not None
        target = directory / name
        target.write_bytes(handle.read())
    return target


def kev_file(directory: Path, cve: str = VULN, added: str = "2024-05-01") -> Path:
    """A KEV catalogue in CISA's JSON layout listing one CVE (written for the tests)."""
    catalogue = {
        "title": "test catalogue",
        "catalogVersion": "2024.05.01",
        "dateReleased": "2024-05-01T00:00:00.000Z",
        "count": 1,
        "vulnerabilities": [
            {
                "cveID": cve,
                "vendorProject": "BD",
                "product": "Alaris",
                "vulnerabilityName": "test entry",
                "dateAdded": added,
                "shortDescription": "test entry",
                "requiredAction": "apply updates",
                "dueDate": "2024-05-22",
                "knownRansomwareCampaignUse": "Unknown",
                "notes": "",
                "cwes": [],
            }
        ],
    }
    path = directory / "known_exploited_vulnerabilities.json"
    path.write_text(json.dumps(catalogue), encoding="utf-8")
    return path


def build_kb(root: Path, work: Path, *, kev: bool) -> Path:
    """Import the advisory (and the KEV file) into a KB at ``root``."""
    paths = [extract_advisory(work)]
    if kev:
        paths.append(kev_file(work))
    import_feeds(paths, root=root, workers=1)
    return root


def seed_assets(
    ctx: ServiceContext, principal: Principal, rows: Sequence[tuple[str, str, str, str, str]]
) -> None:
    """Assets of the advisory's product: (tag, version, criticality, zone, status) rows."""
    with ctx.transaction() as session:
        repo = ProductRepository(session, principal.organisation_id)
        for version in sorted({r[1] for r in rows}):
            repo.ensure_version(manufacturer=MAKER, product=MODEL, version=version)
    lines = ["Asset tag;Manufacturer;Model;Software version;Criticality;Network zone;Status"]
    lines += [f"{t};{MAKER};{MODEL};{v};{c};{z};{s}" for t, v, c, z, s in rows]
    report = import_assets(
        ctx, principal, data="\n".join(lines).encode(), filename="assets.csv", source="test"
    )
    assert report.counts["rejected"] == 0, report
