"""OSV fetcher: all.zip, then changed records from modified_id.csv, fallbacks and failures."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from medtrust.domain.vulnerability import Vulnerability
from medtrust.feeds.batch import read_all
from medtrust.feeds.fetchers.osv import changed_since
from medtrust.feeds.fetchers.update import update_feeds
from tests.feeds.fetchers.conftest import settings_for
from tests.feeds.fetchers.server import FakeClock, FeedServer
from tests.shared_data import shared_file

ZIP_DATE = "Wed, 01 Jan 2025 00:00:00 GMT"


def record(ident: str, modified: str, fixed: str = "2.0") -> bytes:
    document = {
        "id": ident,
        "modified": modified,
        "schema_version": "1.6.0",
        "summary": f"test record {ident} fixed in {fixed}",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "example"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
            }
        ],
    }
    return json.dumps(document).encode()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue()


def base_zip() -> bytes:
    return zipped(
        {
            "PYSEC-1.json": record("PYSEC-1", "2024-06-01T00:00:00Z"),
            "PYSEC-2.json": record("PYSEC-2", "2024-07-01T00:00:00Z"),
        }
    )


def fixes(paths: tuple[Path, ...]) -> dict[str, list[str]]:
    """Summary texts per id, in read order (an updated record appears after its old copy)."""
    seen: dict[str, list[str]] = {}
    for item in read_all(paths):
        if isinstance(item, Vulnerability):
            seen.setdefault(item.id, []).append(item.summary)
    return seen


def test_first_run_downloads_all_zip_and_records_the_sync_point(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    server.add(
        "/osv/PyPI/all.zip", base_zip(), content_type="application/zip", last_modified=ZIP_DATE
    )
    report = update_feeds(
        sources=["osv"], settings=settings_for(server), root=cache_root, clock=clock
    )
    assert report.ok
    assert (cache_root / "data/osv/PyPI/all.zip").is_file()
    assert sorted(fixes(report.paths)) == ["PYSEC-1", "PYSEC-2"]
    state = json.loads((cache_root / "manifest.json").read_text())["state"]["osv"]
    assert state == {"PyPI": "2024-12-31T00:00:00+00:00"}  # Last-Modified minus one day


def test_later_runs_fetch_only_changed_records(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    server.add(
        "/osv/PyPI/all.zip", base_zip(), content_type="application/zip", last_modified=ZIP_DATE
    )
    settings = settings_for(server)
    update_feeds(sources=["osv"], settings=settings, root=cache_root, clock=clock)
    listing = "\n".join(
        [
            "2025-01-05T10:00:00Z,PYSEC-2",
            "2024-12-31T00:00:00Z,PYSEC-1",  # not newer than the sync point
            "garbage line",
            "2024-07-01T00:00:00Z,PYSEC-9",
        ]
    )
    server.add("/osv/PyPI/modified_id.csv", listing.encode(), content_type="text/csv")
    server.add("/osv/PyPI/PYSEC-2.json", record("PYSEC-2", "2025-01-05T10:00:00Z", fixed="2.1"))
    clock.advance(days=5)

    report = update_feeds(sources=["osv"], settings=settings, root=cache_root, clock=clock)

    assert report.ok, report.lines()
    assert len(server.hits("/osv/PyPI/all.zip")) == 1  # not asked again
    assert server.hits("/osv/PyPI/PYSEC-1.json") == []
    assert report.results[0].downloaded == 1
    assert fixes(report.paths)["PYSEC-2"] == [
        "test record PYSEC-2 fixed in 2.0",
        "test record PYSEC-2 fixed in 2.1",  # the update is read after all.zip
    ]
    state = json.loads((cache_root / "manifest.json").read_text())["state"]["osv"]
    assert state == {"PyPI": "2025-01-05T10:00:00+00:00"}

    third = update_feeds(sources=["osv"], settings=settings, root=cache_root, clock=clock)
    assert third.results[0].downloaded == 0
    assert server.hits("/osv/PyPI/modified_id.csv")[-1].headers.get("if-none-match")
    assert len(server.hits("/osv/PyPI/PYSEC-2.json")) == 1
    assert any("no change since" in note for note in third.results[0].notes)


def test_too_many_changes_download_all_zip_again_and_clear_updates(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    server.add(
        "/osv/PyPI/all.zip", base_zip(), content_type="application/zip", last_modified=ZIP_DATE
    )
    settings = settings_for(server, osv_incremental_max=1)
    update_feeds(sources=["osv"], settings=settings, root=cache_root, clock=clock)
    server.add(
        "/osv/PyPI/modified_id.csv", b"2025-01-05T00:00:00Z,PYSEC-2\n", content_type="text/csv"
    )
    server.add("/osv/PyPI/PYSEC-2.json", record("PYSEC-2", "2025-01-05T00:00:00Z", fixed="2.1"))
    update_feeds(sources=["osv"], settings=settings, root=cache_root, clock=clock)
    assert (cache_root / "data/osv/PyPI/updates/PYSEC-2.json").is_file()

    listing = b"2025-02-01T00:00:00Z,PYSEC-1\n2025-02-01T00:00:00Z,PYSEC-2\n"
    server.add("/osv/PyPI/modified_id.csv", listing, content_type="text/csv")
    new_zip = zipped({"PYSEC-1.json": record("PYSEC-1", "2025-02-01T00:00:00Z", fixed="3.0")})
    server.add("/osv/PyPI/all.zip", new_zip, content_type="application/zip")
    report = update_feeds(sources=["osv"], settings=settings, root=cache_root, clock=clock)

    assert "PyPI: 2 records changed, downloading all.zip" in report.results[0].notes
    assert server.hits("/osv/PyPI/all.zip")[-1].headers.get("if-none-match")
    assert not (cache_root / "data/osv/PyPI/updates").exists()
    assert fixes(report.paths) == {"PYSEC-1": ["test record PYSEC-1 fixed in 3.0"]}


def test_ecosystem_names_are_quoted_and_a_missing_one_fails_alone(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    server.add("/osv/Debian%3A12/all.zip", base_zip(), content_type="application/zip")
    settings = settings_for(server, osv_ecosystems=["Debian:12", "NoSuchEcosystem"])
    report = update_feeds(sources=["osv"], settings=settings, root=cache_root, clock=clock)
    assert not report.ok
    (failure,) = report.results[0].failures
    assert "NoSuchEcosystem/all.zip answered 404" in failure
    assert (cache_root / "data/osv/Debian_12/all.zip").is_file()


def test_a_failed_record_is_skipped_and_retried_next_time(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    server.add(
        "/osv/PyPI/all.zip", base_zip(), content_type="application/zip", last_modified=ZIP_DATE
    )
    settings = settings_for(server)
    update_feeds(sources=["osv"], settings=settings, root=cache_root, clock=clock)
    server.add(
        "/osv/PyPI/modified_id.csv", b"2025-01-05T00:00:00Z,PYSEC-7\n", content_type="text/csv"
    )
    report = update_feeds(sources=["osv"], settings=settings, root=cache_root, clock=clock)
    (skip,) = report.results[0].skipped
    assert skip.reason == "feed-unavailable" and "answered 404" in skip.detail
    server.add("/osv/PyPI/PYSEC-7.json", record("PYSEC-7", "2025-01-05T00:00:00Z"))
    again = update_feeds(sources=["osv"], settings=settings, root=cache_root, clock=clock)
    assert again.results[0].downloaded == 1
    assert "if-none-match" not in server.hits("/osv/PyPI/modified_id.csv")[-1].headers
    assert "PYSEC-7" in fixes(again.paths)


def test_a_body_that_is_not_a_zip_is_refused(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    server.add("/osv/PyPI/all.zip", b"PK\x03\x04 truncated", content_type="application/zip")
    report = update_feeds(
        sources=["osv"], settings=settings_for(server), root=cache_root, clock=clock
    )
    (failure,) = report.results[0].failures
    assert "not a valid zip archive" in failure
    assert not (cache_root / "data/osv/PyPI").exists()


def test_real_go_records_in_a_zip_are_read_back(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    names = ["GO-2021-0051.json", "GO-2022-0244.json", "GO-2024-3168.json"]
    files = {n: shared_file(f"osv/samples/golang__vulndb/{n}").read_bytes() for n in names}
    server.add("/osv/Go/all.zip", zipped(files), content_type="application/zip")
    settings = settings_for(server, osv_ecosystems=["Go"])
    report = update_feeds(sources=["osv"], settings=settings, root=cache_root, clock=clock)
    assert sorted(fixes(report.paths)) == [n.removesuffix(".json") for n in names]


@given(
    st.lists(
        st.tuples(
            st.datetimes(
                min_value=datetime(2020, 1, 1),
                max_value=datetime(2030, 1, 1),
                timezones=st.just(UTC),
            ),
            st.from_regex(r"[A-Z]{2,5}-[0-9]{1,5}", fullmatch=True),
        ),
        max_size=30,
    )
)
def test_changed_since_keeps_only_newer_rows_once_each(rows: list[tuple[datetime, str]]) -> None:
    since = datetime(2025, 1, 1, tzinfo=UTC)
    text = "\n".join(f"{stamp.isoformat()},PyPI/{ident}" for stamp, ident in rows)
    changed = changed_since(text, since)
    newest: dict[str, datetime] = {}
    for stamp, ident in rows:
        if stamp > since:
            newest[ident] = max(stamp, newest.get(ident, stamp))
    assert changed == sorted(((s, i) for i, s in newest.items()), key=lambda row: row[1])
