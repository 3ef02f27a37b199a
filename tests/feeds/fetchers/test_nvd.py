"""NVD fetcher: paging, rate limits (fake clock), API key, lastMod windows, retries, atomicity."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from medtrust.domain.vulnerability import Vulnerability
from medtrust.feeds.batch import read_all
from medtrust.feeds.fetchers.nvd import nvd_time, windows
from medtrust.feeds.fetchers.update import update_feeds
from tests.feeds.fetchers.conftest import settings_for
from tests.feeds.fetchers.server import FakeClock, FeedServer, Reply
from tests.shared_data import shared_file

API = "/rest/json/cves/2.0"
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def cve(number: int, modified: datetime) -> dict[str, Any]:
    return {
        "cve": {
            "id": f"CVE-2024-{number:04d}",
            "sourceIdentifier": "cna@example.org",
            "published": "2024-01-01T00:00:00.000",
            "lastModified": modified.strftime("%Y-%m-%dT%H:%M:%S.000"),
            "vulnStatus": "Analyzed",
            "descriptions": [{"lang": "en", "value": f"test vulnerability {number}"}],
            "references": [],
        }
    }


class FakeNvd:
    """The CVE API's paging and lastMod filtering over a list of records; refuses bad windows."""

    def __init__(self, server: FeedServer, records: list[dict[str, Any]]) -> None:
        self.records = records
        self.refused: list[str] = []
        server.add(API, handler=self.answer)

    def answer(self, query: dict[str, str], headers: dict[str, str]) -> Reply:
        per_page = int(query.get("resultsPerPage", "2000"))
        start = int(query.get("startIndex", "0"))
        chosen = self.records
        if ("lastModStartDate" in query) != ("lastModEndDate" in query):
            self.refused.append("only one lastMod date")
            return Reply(404, b"", {"message": "both dates required"})
        if "lastModStartDate" in query:
            low = datetime.fromisoformat(query["lastModStartDate"])
            high = datetime.fromisoformat(query["lastModEndDate"])
            if high - low > timedelta(days=120):
                self.refused.append(f"window of {high - low}")
                return Reply(404, b"", {"message": "range too long"})
            chosen = [
                r
                for r in self.records
                if low <= datetime.fromisoformat(r["cve"]["lastModified"] + "+00:00") <= high
            ]
        page = chosen[start : start + per_page]
        body = {
            "resultsPerPage": len(page),
            "startIndex": start,
            "totalResults": len(chosen),
            "format": "NVD_CVE",
            "version": "2.0",
            "timestamp": "2025-01-01T00:00:00.000",
            "vulnerabilities": page,
        }
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})


def ids(paths: tuple[Path, ...]) -> list[str]:
    return sorted(r.id for r in read_all(paths) if isinstance(r, Vulnerability))


def test_full_download_pages_through_a_real_nvd_page(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    page = json.loads(shared_file("nvd2/vunnel/full-page.json").read_bytes())
    FakeNvd(server, page["vulnerabilities"])
    settings = settings_for(server, nvd_results_per_page=10)

    report = update_feeds(sources=["nvd"], settings=settings, root=cache_root, clock=clock)

    assert report.ok, report.lines()
    asked = [(h.query["startIndex"], h.query["resultsPerPage"]) for h in server.hits(API)]
    assert asked == [("0", "10"), ("10", "10"), ("20", "10"), ("30", "10")]
    assert all("lastModStartDate" not in h.query for h in server.hits(API))
    (run,) = sorted((cache_root / "data/nvd").iterdir())
    assert run.name == "20250101T000000Z-full"
    assert sorted(p.name for p in run.iterdir()) == [f"w000-page-{n:06d}.json.gz" for n in range(4)]
    assert ids(report.paths) == sorted(v["cve"]["id"] for v in page["vulnerabilities"])
    assert report.results[0].downloaded == 4
    assert "38 CVE records in 4 page(s)" in report.results[0].notes
    assert clock.sleeps == []


def test_without_a_key_the_sixth_request_waits_for_the_rolling_window(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    FakeNvd(server, [cve(n, T0 - timedelta(days=1)) for n in range(12)])
    settings = settings_for(server, nvd_results_per_page=2)
    report = update_feeds(sources=["nvd"], settings=settings, root=cache_root, clock=clock)
    assert len(server.hits(API)) == 6
    assert clock.sleeps == [30.0]  # 5 requests per 30 s, the 6th waits a full window
    assert "waited 30 s for the rate limit" in report.results[0].notes
    assert all("apikey" not in h.headers for h in server.hits(API))


def test_with_a_key_the_header_is_sent_and_the_limit_is_fifty(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    FakeNvd(server, [cve(n, T0 - timedelta(days=1)) for n in range(12)])
    settings = settings_for(server, nvd_results_per_page=2, nvd_api_key=SecretStr("k-123"))
    update_feeds(sources=["nvd"], settings=settings, root=cache_root, clock=clock)
    assert [h.headers["apikey"] for h in server.hits(API)] == ["k-123"] * 6
    assert clock.sleeps == []


def test_second_run_asks_for_changes_in_windows_of_at_most_120_days(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    records = [cve(1, T0 - timedelta(days=30)), cve(2, T0 - timedelta(days=2))]
    nvd = FakeNvd(server, records)
    settings = settings_for(server)
    update_feeds(sources=["nvd"], settings=settings, root=cache_root, clock=clock)
    clock.advance(days=250)
    records += [cve(3, T0 + timedelta(days=10)), cve(4, T0 + timedelta(days=200))]
    records[0] = cve(1, T0 + timedelta(days=245))

    report = update_feeds(sources=["nvd"], settings=settings, root=cache_root, clock=clock)

    assert report.ok and nvd.refused == []
    asked = [(h.query["lastModStartDate"], h.query["lastModEndDate"]) for h in server.hits(API)[1:]]
    assert asked == [
        (nvd_time(T0), nvd_time(T0 + timedelta(days=120))),
        (nvd_time(T0 + timedelta(days=120)), nvd_time(T0 + timedelta(days=240))),
        (nvd_time(T0 + timedelta(days=240)), nvd_time(T0 + timedelta(days=250))),
    ]
    runs = sorted(p.name for p in (cache_root / "data/nvd").iterdir())
    assert runs == ["20250101T000000Z-full", "20250908T000000Z-delta"]
    delta = cache_root / "data/nvd" / runs[1]
    assert ids((delta,)) == ["CVE-2024-0001", "CVE-2024-0003", "CVE-2024-0004"]
    assert "changes since 2025-01-01T00:00:00+00:00 in 3 window(s)" in report.results[0].notes

    clock.advance(days=1)
    full = update_feeds(sources=["nvd"], settings=settings, root=cache_root, clock=clock, full=True)
    assert full.ok
    assert [p.name for p in (cache_root / "data/nvd").iterdir()] == ["20250909T000000Z-full"]
    manifest = json.loads((cache_root / "manifest.json").read_text())
    assert all("-full" in key or not key.startswith("data/nvd") for key in manifest["entries"])


def test_a_run_with_no_changes_writes_no_directory(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    FakeNvd(server, [cve(1, T0 - timedelta(days=3))])
    settings = settings_for(server)
    update_feeds(sources=["nvd"], settings=settings, root=cache_root, clock=clock)
    clock.advance(hours=2)
    report = update_feeds(sources=["nvd"], settings=settings, root=cache_root, clock=clock)
    assert report.results[0].downloaded == 0
    assert len(list((cache_root / "data/nvd").iterdir())) == 1
    state = json.loads((cache_root / "manifest.json").read_text())["state"]["nvd"]
    assert state == {"last_mod_end": (T0 + timedelta(hours=2)).isoformat()}


def test_403_is_retried_then_the_source_is_unavailable(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    server.add(API, b"{}", script=[403, 403, 403])
    report = update_feeds(
        sources=["nvd"], settings=settings_for(server), root=cache_root, clock=clock
    )
    assert not report.ok
    ((source, message),) = report.errors
    assert source == "nvd"
    assert "answered 403 Forbidden (after 3 attempts)" in message
    assert clock.sleeps == [1.0, 2.0]
    assert not (cache_root / "data/nvd").exists()
    assert not (cache_root / "manifest.json").exists()  # nothing changed, nothing written


def test_a_failure_mid_run_leaves_the_previous_download_untouched(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    nvd = FakeNvd(server, [cve(n, T0 - timedelta(days=1)) for n in range(6)])
    settings = settings_for(server, nvd_results_per_page=2)
    update_feeds(sources=["nvd"], settings=settings, root=cache_root, clock=clock)
    before = (cache_root / "manifest.json").read_bytes()
    tree_before = sorted(p.relative_to(cache_root) for p in (cache_root / "data").rglob("*"))

    def broken(query: dict[str, str], headers: dict[str, str]) -> Reply:
        if query.get("startIndex") == "4":
            return Reply(200, b'{"totalResults": 6, "vulnerabilities": [', {})
        return nvd.answer(query, headers)

    server.add(API, handler=broken)
    clock.advance(days=1)
    report = update_feeds(
        sources=["nvd"], settings=settings, root=cache_root, clock=clock, full=True
    )

    ((_, message),) = report.errors
    assert "invalid JSON" in message and "startIndex 4" in message
    assert (cache_root / "manifest.json").read_bytes() == before
    assert (
        sorted(p.relative_to(cache_root) for p in (cache_root / "data").rglob("*")) == tree_before
    )
    assert list((cache_root / "tmp").iterdir()) == []


def test_an_empty_page_before_the_end_is_refused(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    def lying(query: dict[str, str], headers: dict[str, str]) -> Reply:
        body = {"totalResults": 10, "vulnerabilities": []}
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    server.add(API, handler=lying)
    report = update_feeds(
        sources=["nvd"], settings=settings_for(server), root=cache_root, clock=clock
    )
    ((_, message),) = report.errors
    assert "empty page before the end (0 of 10 records)" in message


def test_windows_cover_the_span_without_gaps() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    end = start + timedelta(days=365, hours=5)
    cut = windows(start, end, 120)
    assert cut[0][0] == start and cut[-1][1] == end
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cut))
    assert all(timedelta(0) < high - low <= timedelta(days=120) for low, high in cut)
    assert windows(end, start, 120) == []
    assert nvd_time(datetime(2024, 2, 3, 4, 5, 6, 789000, tzinfo=UTC)) == (
        "2024-02-03T04:05:06.789+00:00"
    )
