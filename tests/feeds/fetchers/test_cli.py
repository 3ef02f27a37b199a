"""``feeds update`` on the command line: exit codes, report formats, settings from the env."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.core import TyperOption
from typer.testing import CliRunner

from medtrust.cli.feeds_update import app
from medtrust.feeds.fetchers.registry import fetcher_names
from tests.feeds.fetchers.server import FeedServer
from tests.feeds.fetchers.test_kev_epss_cache import KEV_PATH, kev_document

runner = CliRunner()


@pytest.fixture
def env(server: FeedServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("MEDTRUST_KEV_URL", server.url(KEV_PATH))
    monkeypatch.setenv("MEDTRUST_HTTP_TRUST_ENV", "false")
    monkeypatch.setenv("MEDTRUST_HTTP_ATTEMPTS", "2")
    monkeypatch.setenv("MEDTRUST_HTTP_BACKOFF_SECONDS", "0")
    monkeypatch.setenv("MEDTRUST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MEDTRUST_FEEDS_CACHE_DIR", raising=False)
    return tmp_path


def test_update_one_source_into_the_default_cache(server: FeedServer, env: Path) -> None:
    server.add(KEV_PATH, kev_document("CVE-2024-0001"))
    result = runner.invoke(app, ["update", "--source", "kev"])
    assert result.exit_code == 0, result.output
    cache = env / "data" / "feeds-cache"
    assert result.stdout.splitlines() == [
        "kev: 1 downloaded, 0 unchanged, 0 skipped, 0 failed (1 requests)",
        "kev: note: catalog version 2025.01.02, 1 entries",
        f"cache: {cache}",
    ]
    assert result.stderr == ""  # no progress bars when not on a terminal
    assert (cache / "data/kev/known_exploited_vulnerabilities.json").is_file()


def test_json_report_and_explicit_cache_dir(server: FeedServer, env: Path) -> None:
    server.add(KEV_PATH, kev_document("CVE-2024-0001"))
    cache = env / "elsewhere"
    first = runner.invoke(app, ["update", "-s", "kev", "--cache-dir", str(cache)])
    assert first.exit_code == 0
    second = runner.invoke(app, ["update", "-s", "kev", "--cache-dir", str(cache), "-f", "json"])
    report = json.loads(second.stdout)
    assert report["ok"] is True and report["cache"] == str(cache)
    (kev,) = report["sources"]
    assert (kev["source"], kev["downloaded"], kev["unchanged"]) == ("kev", 0, 1)
    assert kev["paths"] == [str(cache / "data/kev")]


def test_unavailable_source_exits_3_with_one_line(server: FeedServer, env: Path) -> None:
    server.add(KEV_PATH, b"{}", script=[503, 503])
    result = runner.invoke(app, ["update", "--source", "kev"])
    assert result.exit_code == 3
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("kev: unavailable")]
    assert line.startswith("kev: unavailable: http://127.0.0.1:")
    assert line.endswith("answered 503 Service Unavailable (after 2 attempts)")


def test_unknown_source_is_a_usage_error(env: Path) -> None:
    result = runner.invoke(app, ["update", "--source", "rss"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: unknown feed source 'rss' (known: csaf, epss, kev, nvd, osv)"
    )


def test_corrupt_manifest_is_exit_2(env: Path) -> None:
    cache = env / "cache"
    cache.mkdir()
    (cache / "manifest.json").write_text("[]")
    result = runner.invoke(app, ["update", "-s", "kev", "--cache-dir", str(cache)])
    assert result.exit_code == 2
    assert "feed cache manifest is unreadable" in result.stderr


def test_help_names_every_registered_source() -> None:
    group = typer.main.get_group(app)
    command = group.commands["update"]
    (option,) = [param for param in command.params if param.name == "source"]
    assert isinstance(option, TyperOption)
    assert option.help is not None
    assert option.help.endswith(f"default all): {', '.join(fetcher_names())}.")
    assert runner.invoke(app, ["update", "--help"]).exit_code == 0


def test_osv_ecosystem_option_overrides_the_setting(server: FeedServer, env: Path) -> None:
    server.add("/osv/npm/all.zip", b"not a zip", content_type="application/zip")
    result = runner.invoke(
        app,
        ["update", "-s", "osv", "--osv-ecosystem", "npm"],
        env={"MEDTRUST_OSV_URL": server.url("/osv")},
    )
    assert result.exit_code == 3
    assert "osv: failed: npm: http://127.0.0.1:" in result.stdout
    assert "not a valid zip archive" in result.stdout
    assert [h.path for h in server.requests] == ["/osv/npm/all.zip"]
