"""Fixtures of the fetcher tests: a local feed server, a fake clock, settings and a context."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from medtrust.feeds.fetchers.config import FetchSettings
from tests.feeds.fetchers.server import FakeClock, FeedServer


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def settings_for(server: FeedServer, **overrides: object) -> FetchSettings:
    """Settings pointing every endpoint at the local server, no key, small limits."""
    values: dict[str, object] = {
        "nvd_url": server.url("/rest/json/cves/2.0"),
        "nvd_api_key": None,
        "osv_url": server.url("/osv"),
        "osv_ecosystems": ["PyPI"],
        "kev_url": server.url("/kev/known_exploited_vulnerabilities.json"),
        "epss_url": server.url("/epss/epss_scores-current.csv.gz"),
        "csaf_providers": [server.url("/.well-known/csaf/provider-metadata.json")],
        "csaf_tlp_labels": ["CLEAR", "WHITE"],
        "http_trust_env": False,
        "http_timeout_seconds": 10.0,
        "http_attempts": 3,
        "http_backoff_seconds": 1.0,
        "feeds_cache_dir": None,
    }
    values.update(overrides)
    return FetchSettings.model_validate(values)


@pytest.fixture
def cache_root(tmp_path: Path) -> Path:
    return tmp_path / "feeds-cache"
