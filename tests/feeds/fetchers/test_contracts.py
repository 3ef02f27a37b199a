"""Contracts: registry keys documented, settings read from the environment, progress bars."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from rich.progress import Progress

from medtrust.cli.feeds_update import _RichReporter
from medtrust.feeds.fetchers.config import FetchSettings
from medtrust.feeds.fetchers.registry import UnknownFetcherError, fetcher_names, get_fetcher
from tests.shared_data import REPO_ROOT


def test_every_fetcher_is_documented_with_its_name() -> None:
    text = (REPO_ROOT / "docs" / "fetchers.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", text, flags=re.MULTILINE))
    assert documented == set(fetcher_names())
    for name in fetcher_names():
        fetcher = get_fetcher(name)
        assert fetcher.name == name and fetcher.summary


def test_unknown_fetcher_is_an_input_error() -> None:
    with pytest.raises(UnknownFetcherError) as caught:
        get_fetcher("rss")
    assert caught.value.exit_code == 2


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDTRUST_NVD_API_KEY", "secret-key")
    monkeypatch.setenv("MEDTRUST_NVD_URL", "http://127.0.0.1:9/nvd")
    monkeypatch.setenv("MEDTRUST_OSV_ECOSYSTEMS", '["Debian:12", "PyPI"]')
    monkeypatch.setenv("MEDTRUST_CSAF_TLP_LABELS", '["WHITE"]')
    settings = FetchSettings()
    assert settings.nvd_api_key is not None
    assert settings.nvd_api_key.get_secret_value() == "secret-key"
    assert "secret-key" not in repr(settings)
    assert settings.nvd_url == "http://127.0.0.1:9/nvd"
    assert settings.osv_ecosystems == ["Debian:12", "PyPI"]
    assert settings.tlp_allowed("tlp:white") and not settings.tlp_allowed("CLEAR")
    assert not settings.tlp_allowed(None)


def test_nvd_window_above_the_api_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="less than or equal to 120"):
        FetchSettings.model_validate({"nvd_window_days": 121})


def test_rich_reporter_draws_one_bar_per_source() -> None:
    out = io.StringIO()
    with Progress(console=Console(file=out, force_terminal=False)) as bars:
        reporter = _RichReporter(bars)
        reporter.progress("nvd", "all CVEs", 0, None)
        reporter.progress("nvd", "all CVEs", 2000, 6000)
        reporter.progress("kev", "catalog", 1, 1)
        tasks = {task.description: (task.completed, task.total) for task in bars.tasks}
    assert tasks == {"nvd: all CVEs": (2000, 6000), "kev: catalog": (1, 1)}
