"""KEV and EPSS fetchers, the cache manifest, incremental 304s and atomic writes."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.domain.vulnerability import EpssScore, KevEntry
from medtrust.feeds.batch import read_all
from medtrust.feeds.fetchers.cache import FeedCache, check_key, url_key
from medtrust.feeds.fetchers.errors import CacheError
from medtrust.feeds.fetchers.update import update_feeds
from tests.feeds.fetchers.conftest import settings_for
from tests.feeds.fetchers.server import FakeClock, FeedServer
from tests.shared_data import shared_file

KEV_PATH = "/kev/known_exploited_vulnerabilities.json"
EPSS_PATH = "/epss/epss_scores-current.csv.gz"


def kev_document(*cves: str) -> bytes:
    entries = [
        {
            "cveID": cve,
            "vendorProject": "Acme",
            "product": "Infusion pump gateway",
            "vulnerabilityName": f"{cve} test",
            "dateAdded": "2025-01-02",
            "shortDescription": "test entry",
            "requiredAction": "patch",
            "dueDate": "2025-01-23",
            "knownRansomwareCampaignUse": "Unknown",
            "notes": "",
        }
        for cve in cves
    ]
    document = {
        "title": "CISA Catalog of Known Exploited Vulnerabilities",
        "catalogVersion": "2025.01.02",
        "dateReleased": "2025-01-02T12:00:00.000Z",
        "count": len(entries),
        "vulnerabilities": entries,
    }
    return json.dumps(document).encode()


def epss_gz(rows: dict[str, tuple[float, float]]) -> bytes:
    lines = ["#model_version:v2025.03.14,score_date:2025-06-01T00:00:00Z", "cve,epss,percentile"]
    lines += [f"{cve},{epss},{pct}" for cve, (epss, pct) in sorted(rows.items())]
    return gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)


def manifest(root: Path) -> dict[str, object]:
    loaded = json.loads((root / "manifest.json").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_kev_first_run_downloads_and_second_run_is_a_304(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    body = kev_document("CVE-2024-0001", "CVE-2024-0002")
    route = server.add(KEV_PATH, body, last_modified="Thu, 02 Jan 2025 12:00:00 GMT")
    settings = settings_for(server)

    first = update_feeds(sources=["kev"], settings=settings, root=cache_root, clock=clock)
    assert first.ok
    assert (first.results[0].downloaded, first.results[0].unchanged) == (1, 0)
    assert "catalog version 2025.01.02, 2 entries" in first.results[0].notes
    key = "data/kev/known_exploited_vulnerabilities.json"
    entry = manifest(cache_root)["entries"][key]  # type: ignore[index]
    assert entry["etag"] == route.etag
    assert entry["last_modified"] == "Thu, 02 Jan 2025 12:00:00 GMT"
    assert entry["url"] == server.url(KEV_PATH)
    assert entry["size"] == len(body)
    assert entry["sha256"] == hashlib.sha256(body).hexdigest()

    clock.advance(hours=1)
    second = update_feeds(sources=["kev"], settings=settings, root=cache_root, clock=clock)
    assert (second.results[0].downloaded, second.results[0].unchanged) == (0, 1)
    conditional = server.hits(KEV_PATH)[1].headers
    assert conditional["if-none-match"] == route.etag
    assert conditional["if-modified-since"] == "Thu, 02 Jan 2025 12:00:00 GMT"
    refreshed = manifest(cache_root)["entries"][key]  # type: ignore[index]
    assert refreshed["fetched_at"] > entry["fetched_at"]

    records = list(read_all(first.results[0].paths))
    assert sorted(r.cve_id for r in records if isinstance(r, KevEntry)) == [
        "CVE-2024-0001",
        "CVE-2024-0002",
    ]


def test_kev_changed_upstream_is_downloaded_again(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    server.add(KEV_PATH, kev_document("CVE-2024-0001"))
    settings = settings_for(server)
    update_feeds(sources=["kev"], settings=settings, root=cache_root, clock=clock)
    server.add(KEV_PATH, kev_document("CVE-2024-0001", "CVE-2024-0003"))
    report = update_feeds(sources=["kev"], settings=settings, root=cache_root, clock=clock)
    assert report.results[0].downloaded == 1
    cves = {r.cve_id for r in read_all(report.paths) if isinstance(r, KevEntry)}
    assert cves == {"CVE-2024-0001", "CVE-2024-0003"}


def test_real_kev_catalog_served_locally_is_read_back(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    body = shared_file("kev/known_exploited_vulnerabilities.json").read_bytes()
    server.add(KEV_PATH, body)
    report = update_feeds(
        sources=["kev"], settings=settings_for(server), root=cache_root, clock=clock
    )
    assert report.ok
    assert "1404 entries" in report.results[0].notes[0]
    assert sum(isinstance(r, KevEntry) for r in read_all(report.paths)) == 1404


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b'{"vulnerabilities": [', "application/json", "invalid JSON"),
        (b"[1, 2]", "application/json", "expected a JSON object, got an array"),
        (b'{"title": "x"}', "application/json", "not the expected document (no 'vulnerabilities')"),
        (b"<html>maintenance</html>", "text/html", "expected JSON but the server sent text/html"),
    ],
    ids=["invalid-json", "array", "wrong-document", "html"],
)
def test_a_bad_kev_response_fails_with_one_line_and_leaves_the_cache_unchanged(
    server: FeedServer,
    clock: FakeClock,
    cache_root: Path,
    body: bytes,
    content_type: str,
    message: str,
) -> None:
    good = kev_document("CVE-2024-0001")
    server.add(KEV_PATH, good)
    settings = settings_for(server)
    update_feeds(sources=["kev"], settings=settings, root=cache_root, clock=clock)
    before = manifest(cache_root)
    server.add(KEV_PATH, body, content_type=content_type)

    report = update_feeds(sources=["kev"], settings=settings, root=cache_root, clock=clock)

    assert not report.ok
    ((source, error),) = report.errors
    assert source == "kev" and message in error and "\n" not in error
    assert (cache_root / "data/kev/known_exploited_vulnerabilities.json").read_bytes() == good
    assert manifest(cache_root) == before
    assert list((cache_root / "tmp").iterdir()) == []


def test_epss_gzip_is_stored_compressed_and_read_back(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    scores = {"CVE-2024-0001": (0.5, 0.9), "CVE-2024-0002": (0.01, 0.2)}
    server.add(EPSS_PATH, epss_gz(scores), content_type="application/x-gzip")
    report = update_feeds(
        sources=["epss"], settings=settings_for(server), root=cache_root, clock=clock
    )
    assert report.ok
    assert report.results[0].notes == ("model_version:v2025.03.14,score_date:2025-06-01T00:00:00Z",)
    read = {
        r.cve_id: (r.epss, r.percentile) for r in read_all(report.paths) if isinstance(r, EpssScore)
    }
    assert read == scores


def test_real_epss_sample_served_gzipped_is_read_back(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    text = shared_file("epss/epss_scores-current_first50rows.csv").read_bytes()
    server.add(EPSS_PATH, gzip.compress(text), content_type="application/gzip")
    report = update_feeds(
        sources=["epss"], settings=settings_for(server), root=cache_root, clock=clock
    )
    assert sum(isinstance(r, EpssScore) for r in read_all(report.paths)) == 49


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"cve,epss,percentile\n", "not a gzip file"),
        (gzip.compress(b"<html></html>"), "not an EPSS CSV"),
        (gzip.compress(b"cve,epss\n" * 1000)[:40], "truncated"),
        (gzip.compress(b"0" * (3 * 1024 * 1024)), "decompresses to more than 1048576 bytes"),
    ],
    ids=["plain-csv", "html", "truncated", "bomb"],
)
def test_bad_epss_files_are_refused(
    server: FeedServer, clock: FakeClock, cache_root: Path, body: bytes, message: str
) -> None:
    server.add(EPSS_PATH, body, content_type="application/gzip")
    settings = settings_for(server, max_uncompressed_bytes=1024 * 1024)
    report = update_feeds(sources=["epss"], settings=settings, root=cache_root, clock=clock)
    ((_, error),) = report.errors
    assert message in error
    assert not (cache_root / "data/epss/epss_scores-current.csv.gz").exists()


def test_unreadable_manifest_is_a_typed_error(cache_root: Path) -> None:
    cache_root.mkdir()
    (cache_root / "manifest.json").write_text("{not json")
    with pytest.raises(CacheError, match="delete it to download everything again"):
        FeedCache.open(cache_root)
    (cache_root / "manifest.json").write_text('{"version": 99}')
    with pytest.raises(CacheError, match="version 99 is not supported"):
        FeedCache.open(cache_root)


def test_cache_open_clears_leftover_downloads(cache_root: Path) -> None:
    (cache_root / "tmp").mkdir(parents=True)
    (cache_root / "tmp" / "half-done").write_bytes(b"x")
    cache = FeedCache.open(cache_root)
    assert list(cache.tmp_dir.iterdir()) == []


@pytest.mark.parametrize("key", ["/etc/passwd", "data/../x", "other/x", "data\\x", "", "data"])
def test_invalid_cache_keys_are_refused(key: str) -> None:
    with pytest.raises(ValueError, match="invalid cache key"):
        check_key(key)


def test_cache_keys_are_normalised() -> None:
    assert check_key("data//kev/./x.json") == "data/kev/x.json"


@given(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=0, max_size=60
    )
)
def test_url_keys_are_always_valid_and_inside_the_prefix(path: str) -> None:
    key = url_key("data/csaf", "https://example.org:8443/" + path.replace("?", "").replace("#", ""))
    assert check_key(key) == key
    assert key.startswith("data/csaf/example.org_8443/")


def test_a_transfer_cut_short_is_retried_and_then_leaves_the_cache_unchanged(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    good = kev_document("CVE-2024-0001")
    server.add(KEV_PATH, good)
    settings = settings_for(server)
    update_feeds(sources=["kev"], settings=settings, root=cache_root, clock=clock)
    before = manifest(cache_root)
    # announces more bytes than it sends, then closes: an interrupted download
    server.add(KEV_PATH, kev_document("CVE-2024-0002")[:50], content_length="5000")

    report = update_feeds(sources=["kev"], settings=settings, root=cache_root, clock=clock)

    ((_, error),) = report.errors
    assert "RemoteProtocolError" in error and "after 3 attempts" in error
    assert len(server.hits(KEV_PATH)) == 4
    assert (cache_root / "data/kev/known_exploited_vulnerabilities.json").read_bytes() == good
    assert manifest(cache_root) == before
    assert list((cache_root / "tmp").iterdir()) == []
