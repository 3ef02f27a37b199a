"""Shared real-corpus samples for the matching tests (read once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrust.domain.advisory import Advisory
from medtrust.domain.vulnerability import Skipped, Vulnerability
from medtrust.feeds.batch import read_all, read_member
from medtrust.feeds.sources import iter_members
from tests.shared_data import shared_file

#: CPE vendors of the components of sbom/medical-device/narrow.sbom.json
NARROW_VENDORS = ("wolfssl", "nxp", "chan", "qualcomm", "the_jquery_foundation", "jquery")
DIFFERENTIAL_RECORDS = 1500
_RAW: dict[str, Path] = {}


@pytest.fixture(scope="session")
def vulnrichment_sample(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[Vulnerability], list[Vulnerability]]:
    """(first records with CPEs, records naming a narrow.sbom.json CPE vendor) in one pass.

    The raw files of the second group are also written to a temporary feed directory, found
    with :func:`narrow_feed_dir`, for the CLI tests.
    """
    path = shared_file("cve5/vulnrichment-cve5.tar.gz")
    first: list[Vulnerability] = []
    narrow: list[Vulnerability] = []
    markers = tuple(f":{vendor}:".encode() for vendor in NARROW_VENDORS)
    for member in iter_members(path):
        if isinstance(member, Skipped) or b'"cpes"' not in member.data:
            continue  # only records with CPEs are parsed (a byte test is much cheaper)
        named = any(marker in member.data for marker in markers)
        if len(first) >= DIFFERENTIAL_RECORDS and not named:
            continue
        if named:
            target = _RAW.setdefault("dir", tmp_path_factory.mktemp("narrow-feed"))
            (target / member.origin.rsplit("/", 1)[-1]).write_bytes(member.data)
        _, records = read_member(member)
        for record in records:
            if not isinstance(record, Vulnerability):
                continue
            cpes = [cpe for product in record.affected_products for cpe in product.cpes]
            if cpes and len(first) < DIFFERENTIAL_RECORDS:
                first.append(record)
            if any(cpe.split(":")[3] in NARROW_VENDORS for cpe in cpes if cpe.count(":") > 3):
                narrow.append(record)
    return first, narrow


@pytest.fixture(scope="session")
def icsma_advisories() -> list[Advisory]:
    """Every ICSMA (medical) advisory of the CISA CSAF bundle."""
    path = shared_file("csaf/cisa-csaf-ot-it.tar.gz")
    return [
        record
        for record in read_all([path])
        if isinstance(record, Advisory) and record.id.upper().startswith("ICSMA")
    ]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared data directory (skips when absent)."""
    return shared_file("SOURCES.md").parent


@pytest.fixture(scope="session")
def narrow_feed_dir(
    vulnrichment_sample: tuple[list[Vulnerability], list[Vulnerability]],
) -> Path:
    """A directory of the raw Vulnrichment files that name narrow.sbom.json CPE vendors."""
    return _RAW["dir"]
