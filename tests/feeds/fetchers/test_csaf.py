"""CSAF fetcher: provider-metadata.json -> ROLIE / directory -> advisories, hashes, TLP."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from medtrust.domain.advisory import Advisory
from medtrust.feeds.batch import read_all
from medtrust.feeds.fetchers.csaf_discovery import csaf_fields, parse_hash_file
from medtrust.feeds.fetchers.update import update_feeds
from tests.feeds.fetchers.conftest import settings_for
from tests.feeds.fetchers.server import FakeClock, FeedServer
from tests.shared_data import shared_file

METADATA = "/.well-known/csaf/provider-metadata.json"
WHITE_FEED = "/csaf/white/feed-tlp-white.json"
AMBER_FEED = "/csaf/amber/feed-tlp-amber.json"


def csaf_doc(tracking_id: str, tlp: str | None = None) -> bytes:
    document: dict[str, Any] = {
        "category": "csaf_security_advisory",
        "csaf_version": "2.0",
        "publisher": {"category": "vendor", "name": "Acme", "namespace": "https://acme.example"},
        "title": f"Advisory {tracking_id}",
        "tracking": {
            "id": tracking_id,
            "status": "final",
            "version": "1",
            "initial_release_date": "2024-01-01T00:00:00Z",
            "current_release_date": "2024-01-01T00:00:00Z",
            "revision_history": [
                {"date": "2024-01-01T00:00:00Z", "number": "1", "summary": "initial"}
            ],
        },
    }
    if tlp:
        document["distribution"] = {"tlp": {"label": tlp}}
    return json.dumps(
        {"document": document, "vulnerabilities": [{"cve": "CVE-2024-1111"}]}
    ).encode()


def entry(server: FeedServer, path: str, updated: str, hash_path: str | None) -> dict[str, Any]:
    links = [{"rel": "self", "href": server.url(path)}]
    if hash_path:
        links.append({"rel": "hash", "href": server.url(hash_path)})
    links.append({"rel": "signature", "href": server.url(path + ".asc")})
    return {
        "id": path.rsplit("/", 1)[-1],
        "title": path,
        "link": links,
        "published": "2024-01-01T00:00:00Z",
        "updated": updated,
        "content": {"type": "application/json", "src": server.url(path)},
        "format": {
            "schema": "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json",
            "version": "2.0",
        },
    }


class Provider:
    """A CSAF provider on the local server: metadata, a WHITE and an AMBER ROLIE feed, and a
    directory distribution, with real and synthetic advisories."""

    def __init__(self, server: FeedServer) -> None:
        self.server = server
        self.bsi = shared_file("csaf/oasis-examples/bsi-2022-0001.json").read_bytes()
        self.cisco = shared_file("csaf/oasis-examples/cisco-sa-20180328-smi2.json").read_bytes()
        docs = {
            "/csaf/white/2022/bsi-2022-0001.json": self.bsi,
            "/csaf/white/2018/cisco-sa-20180328-smi2.json": self.cisco,
            "/csaf/white/2024/tampered.json": csaf_doc("ACME-2024-0001", "WHITE"),
            "/csaf/white/2024/red.json": csaf_doc("ACME-2024-0002", "RED"),
            "/csaf/white/2024/broken.json": b'{"document": ',
            "/csaf/dir/2024/acme-2024-0010.json": csaf_doc("ACME-2024-0010", "CLEAR"),
            "/csaf/dir/2024/acme-2024-0011.json": csaf_doc("ACME-2024-0011"),
        }
        for path, body in docs.items():
            server.add(path, body)
        sha512 = {p: hashlib.sha512(b).hexdigest() for p, b in docs.items()}
        server.add(
            "/csaf/white/2022/bsi-2022-0001.json.sha512",
            f"{sha512['/csaf/white/2022/bsi-2022-0001.json']}  bsi-2022-0001.json\n".encode(),
            content_type="text/plain",
        )
        server.add(
            "/csaf/white/2018/cisco-sa-20180328-smi2.json.sha256",
            hashlib.sha256(self.cisco).hexdigest().encode(),
            content_type="text/plain",
        )
        server.add(
            "/csaf/white/2024/tampered.json.sha512",
            ("0" * 128 + "  tampered.json").encode(),
            content_type="text/plain",
        )
        server.add(
            "/csaf/dir/2024/acme-2024-0010.json.sha512",
            sha512["/csaf/dir/2024/acme-2024-0010.json"].encode(),
            content_type="text/plain",
        )
        self.white_entries = [
            entry(
                server,
                "/csaf/white/2022/bsi-2022-0001.json",
                "2022-03-01T00:00:00Z",
                "/csaf/white/2022/bsi-2022-0001.json.sha512",
            ),
            entry(
                server,
                "/csaf/white/2018/cisco-sa-20180328-smi2.json",
                "2018-03-28T00:00:00Z",
                "/csaf/white/2018/cisco-sa-20180328-smi2.json.sha256",
            ),
            entry(
                server,
                "/csaf/white/2024/tampered.json",
                "2024-01-01T00:00:00Z",
                "/csaf/white/2024/tampered.json.sha512",
            ),
            entry(server, "/csaf/white/2024/red.json", "2024-01-01T00:00:00Z", None),
            entry(server, "/csaf/white/2024/broken.json", "2024-01-01T00:00:00Z", None),
        ]
        self.publish_white()
        server.add(AMBER_FEED, json.dumps({"feed": {"entry": []}}).encode())
        server.add(
            "/csaf/dir/changes.csv",
            b'"2024/acme-2024-0010.json","2024-05-01T00:00:00Z"\n'
            b'"2024/acme-2024-0011.json","2024-05-02T00:00:00Z"\n',
            content_type="text/csv",
        )
        metadata = {
            "canonical_url": server.url(METADATA),
            "distributions": [
                {
                    "rolie": {
                        "feeds": [
                            {
                                "summary": "WHITE advisories",
                                "tlp_label": "WHITE",
                                "url": server.url(WHITE_FEED),
                            },
                            {
                                "summary": "AMBER advisories",
                                "tlp_label": "AMBER",
                                "url": server.url(AMBER_FEED),
                            },
                        ]
                    }
                },
                {"directory_url": server.url("/csaf/dir")},
            ],
            "last_updated": "2024-05-02T00:00:00Z",
            "list_on_CSAF_aggregators": True,
            "metadata_version": "2.0",
            "mirror_on_CSAF_aggregators": True,
            "publisher": {
                "category": "vendor",
                "name": "Acme",
                "namespace": "https://acme.example",
            },
            "role": "csaf_trusted_provider",
        }
        server.add(METADATA, json.dumps(metadata).encode())

    def publish_white(self) -> None:
        feed = {"feed": {"id": "acme-white", "title": "Acme WHITE", "entry": self.white_entries}}
        self.server.add(WHITE_FEED, json.dumps(feed).encode())


def advisory_ids(paths: tuple[Path, ...]) -> list[str]:
    return sorted(r.id for r in read_all(paths) if isinstance(r, Advisory))


def test_discovery_rolie_and_directory_with_hashes_and_tlp(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    provider = Provider(server)
    report = update_feeds(
        sources=["csaf"], settings=settings_for(server), root=cache_root, clock=clock
    )

    result = report.results[0]
    assert report.ok, report.lines()
    assert result.downloaded == 4
    assert result.skip_counts() == [
        ("hash-mismatch", 1),
        ("rejected-response", 1),
        ("tlp-not-allowed", 2),
    ]
    reasons = {(s.origin.removeprefix(server.base), s.reason) for s in result.skipped}
    assert reasons == {
        ("/csaf/white/2024/tampered.json", "hash-mismatch"),
        ("/csaf/white/2024/red.json", "tlp-not-allowed"),
        ("/csaf/white/2024/broken.json", "rejected-response"),
        (AMBER_FEED, "tlp-not-allowed"),
    }
    assert server.hits(AMBER_FEED) == []
    assert len(server.hits("/csaf/dir/2024/acme-2024-0011.json.sha512")) == 1  # tried, absent
    assert advisory_ids(report.paths) == sorted(
        ["BSI-2022-0001", "cisco-sa-20180328-smi2", "ACME-2024-0010", "ACME-2024-0011"]
    )
    host = f"127.0.0.1_{server.base.rsplit(':', 1)[1]}"
    stored = cache_root / "data/csaf" / host / "csaf/white/2022/bsi-2022-0001.json"
    assert stored.read_bytes() == provider.bsi
    assert not (cache_root / "data/csaf" / host / "csaf/white/2024/tampered.json").exists()
    manifest = json.loads((cache_root / "manifest.json").read_text())
    key = f"data/csaf/{host}/csaf/white/2022/bsi-2022-0001.json"
    assert manifest["entries"][key]["updated"] == "2022-03-01T00:00:00Z"
    assert manifest["entries"][key]["sha256"] == hashlib.sha256(provider.bsi).hexdigest()
    assert any(k.startswith("meta/csaf/") for k in manifest["entries"])


def test_second_run_requests_no_unchanged_document(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    provider = Provider(server)
    settings = settings_for(server)
    update_feeds(sources=["csaf"], settings=settings, root=cache_root, clock=clock)
    bsi = "/csaf/white/2022/bsi-2022-0001.json"
    counts = {path: len(server.hits(path)) for path in (bsi, "/csaf/dir/2024/acme-2024-0010.json")}

    second = update_feeds(sources=["csaf"], settings=settings, root=cache_root, clock=clock)

    assert second.results[0].unchanged == 4 and second.results[0].downloaded == 0
    assert {path: len(server.hits(path)) for path in counts} == counts
    assert server.hits(METADATA)[-1].headers.get("if-none-match")
    assert server.hits(WHITE_FEED)[-1].headers.get("if-none-match")

    provider.white_entries[0]["updated"] = "2022-04-01T00:00:00Z"
    provider.publish_white()
    third = update_feeds(sources=["csaf"], settings=settings, root=cache_root, clock=clock)
    assert len(server.hits(bsi)) == counts[bsi] + 1
    assert server.hits(bsi)[-1].headers.get("if-none-match")  # revalidated: same body, 304
    assert third.results[0].unchanged == 4
    manifest = json.loads((cache_root / "manifest.json").read_text())
    updated = {
        k: v.get("updated")
        for k, v in manifest["entries"].items()
        if k.endswith("bsi-2022-0001.json")
    }
    assert list(updated.values()) == ["2022-04-01T00:00:00Z"]


def test_a_changed_document_with_a_matching_hash_replaces_the_cached_one(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    provider = Provider(server)
    settings = settings_for(server)
    update_feeds(sources=["csaf"], settings=settings, root=cache_root, clock=clock)
    new = csaf_doc("ACME-2024-0010", "CLEAR").replace(b"Advisory", b"Revised advisory")
    server.add("/csaf/dir/2024/acme-2024-0010.json", new)
    server.add(
        "/csaf/dir/2024/acme-2024-0010.json.sha512",
        hashlib.sha512(new).hexdigest().encode(),
        content_type="text/plain",
    )
    server.add(
        "/csaf/dir/changes.csv",
        b'"2024/acme-2024-0010.json","2024-06-01T00:00:00Z"\n'
        b'"2024/acme-2024-0011.json","2024-05-02T00:00:00Z"\n',
        content_type="text/csv",
    )
    report = update_feeds(sources=["csaf"], settings=settings, root=cache_root, clock=clock)
    assert report.results[0].downloaded == 1
    titles = {r.id: r.title for r in read_all(report.paths) if isinstance(r, Advisory)}
    assert titles["ACME-2024-0010"] == "Revised advisory ACME-2024-0010"
    assert provider.bsi  # untouched


def test_tampered_update_keeps_the_previous_good_copy(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    Provider(server)
    settings = settings_for(server)
    update_feeds(sources=["csaf"], settings=settings, root=cache_root, clock=clock)
    host = f"127.0.0.1_{server.base.rsplit(':', 1)[1]}"
    stored = cache_root / "data/csaf" / host / "csaf/dir/2024/acme-2024-0010.json"
    good = stored.read_bytes()
    server.add("/csaf/dir/2024/acme-2024-0010.json", csaf_doc("ACME-2024-0010", "CLEAR") + b" ")
    server.add(
        "/csaf/dir/changes.csv",
        b'"2024/acme-2024-0010.json","2024-07-01T00:00:00Z"\n',
        content_type="text/csv",
    )
    report = update_feeds(sources=["csaf"], settings=settings, root=cache_root, clock=clock)
    mismatched = {s.origin for s in report.results[0].skipped if s.reason == "hash-mismatch"}
    assert server.url("/csaf/dir/2024/acme-2024-0010.json") in mismatched
    assert stored.read_bytes() == good


def test_provider_given_as_a_base_url_uses_the_well_known_path(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    Provider(server)
    settings = settings_for(server, csaf_providers=[server.base])
    report = update_feeds(sources=["csaf"], settings=settings, root=cache_root, clock=clock)
    assert report.ok and report.results[0].downloaded == 4


def test_provider_found_through_security_txt(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    Provider(server)
    moved = server.routes.pop(METADATA)
    server.routes["/csaf/provider-metadata.json"] = moved
    moved_url = server.url("/csaf/provider-metadata.json")
    security_txt = f"Contact: mailto:psirt@acme.example\nCSAF: {moved_url}\n"
    server.add("/.well-known/security.txt", security_txt.encode(), content_type="text/plain")
    settings = settings_for(server, csaf_providers=[server.base])
    report = update_feeds(sources=["csaf"], settings=settings, root=cache_root, clock=clock)
    assert report.ok and report.results[0].downloaded == 4


def test_an_unreachable_provider_fails_the_run(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    settings = settings_for(server, csaf_providers=[server.base])
    report = update_feeds(sources=["csaf"], settings=settings, root=cache_root, clock=clock)
    assert not report.ok
    (failure,) = report.results[0].failures
    assert failure.startswith(f"csaf: no provider metadata found for {server.base}")
    assert "\n" not in failure


def test_more_tlp_labels_can_be_allowed(
    server: FeedServer, clock: FakeClock, cache_root: Path
) -> None:
    Provider(server)
    settings = settings_for(server, csaf_tlp_labels=["WHITE", "CLEAR", "AMBER", "RED"])
    report = update_feeds(sources=["csaf"], settings=settings, root=cache_root, clock=clock)
    assert len(server.hits(AMBER_FEED)) == 1
    assert "ACME-2024-0002" in advisory_ids(report.paths)


@pytest.mark.parametrize(
    ("text", "digest"),
    [
        ("A" * 128 + "  file.json\n", "a" * 128),
        ("b" * 64, "b" * 64),
        ("", None),
        ("xyz  file", None),
        ("a" * 100, None),
    ],
)
def test_hash_files(text: str, digest: str | None) -> None:
    assert parse_hash_file(text) == digest


def test_security_txt_csaf_fields() -> None:
    text = "Contact: x\ncsaf: https://a.example/p.json\nCSAF:https://b.example/p.json\nCSAF:\n"
    assert csaf_fields(text) == ["https://a.example/p.json", "https://b.example/p.json"]
