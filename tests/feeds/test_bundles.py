"""The three shared bundles import whole, streamed, with every skip counted.

Expected figures are the ones documented for the bundles in the shared data's SOURCES.md
(records per bundle, records with CPEs, SSVC and KEV blocks, ICSMA advisories), not values
produced by the readers. Each test is one streaming pass; the wall time is reported in the
summary (the benchmark target is < 60 s per bundle).
"""

from __future__ import annotations

from collections import Counter

from medtrust.domain.advisory import Advisory
from medtrust.domain.vulnerability import Skipped, Vulnerability
from medtrust.feeds.batch import FeedSummary, read_all
from tests.shared_data import shared_file

#: generous regression guard (a busy CI machine); the target is well under 60 s
MAX_SECONDS = 240


def test_vulnrichment_cve5_bundle() -> None:
    path = shared_file("cve5/vulnrichment-cve5.tar.gz")
    summary = FeedSummary()
    counts: Counter[str] = Counter()
    for record in read_all([path], summary=summary):
        assert isinstance(record, Vulnerability), record
        counts["records"] += 1
        counts["with_cpes"] += any(product.cpes for product in record.affected_products)
        counts["ssvc"] += record.ssvc is not None
        counts["kev"] += record.kev is not None
        counts["withdrawn"] += record.withdrawn
        counts["unnamed"] += not record.id.startswith("CVE-")
    assert counts == Counter(
        {"records": 44130, "ssvc": 44026, "with_cpes": 19437, "kev": 224, "withdrawn": 104}
    )
    assert summary.total_skipped == 0
    assert summary.seconds < MAX_SECONDS


def test_cisa_csaf_bundle() -> None:
    path = shared_file("csaf/cisa-csaf-ot-it.tar.gz")
    summary = FeedSummary()
    icsma: list[Advisory] = []
    advisories = 0
    for record in read_all([path], summary=summary):
        if isinstance(record, Advisory):
            advisories += 1
            if record.id.upper().startswith("ICSMA"):
                icsma.append(record)
    assert advisories == 2383
    assert len(icsma) == 144
    assert dict(summary.skipped) == {
        ("sources", "non-record-file"): 2383 * 2 + 4,  # .sha512 + .asc, index.txt, changes.csv
        ("sources", "non-record-document"): 2,  # the two ROLIE feeds
    }
    products = [product for advisory in icsma for product in advisory.products]
    assert products
    assert not any(p.purls or p.cpes or p.model_numbers for p in products)
    statuses = {status.status.value for advisory in icsma for status in advisory.product_statuses}
    assert statuses == {"known_affected"}
    assert summary.seconds < MAX_SECONDS


def test_osv_bundle() -> None:
    path = shared_file("osv/osv-bitnami-almalinux-go-pypa.tar.gz")
    summary = FeedSummary()
    by_tree: Counter[str] = Counter()
    skipped: list[Skipped] = []
    for record in read_all([path], summary=summary):
        if isinstance(record, Skipped):
            skipped.append(record)
        else:
            assert isinstance(record, Vulnerability)
            by_tree[record.origin.split("!./", 1)[1].split("/", 1)[0]] += 1
    assert by_tree == Counter({"bitnami": 7444, "almalinux": 5680, "go": 4291, "pypa": 2661})
    assert [(s.origin.rsplit("/", 1)[-1], s.reason) for s in skipped] == [
        (".id-allocator", "non-record-file")
    ]
    assert summary.seconds < MAX_SECONDS
