"""``medtrust feeds update``: download public vulnerability sources into the feed cache.

The command is :func:`update`; :data:`app` is a standalone Typer app holding just that command.
The ``feeds`` group (:mod:`medtrust.cli.feeds`) mounts :func:`update` lazily by name.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from medtrust.cli.common import reports_errors
from medtrust.feeds.fetchers.base import NullReporter, Reporter
from medtrust.feeds.fetchers.config import FetchSettings
from medtrust.feeds.fetchers.update import UpdateReport, cache_root, update_feeds
from medtrust.settings import get_settings

app = typer.Typer(help="Download public vulnerability feeds.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Keep ``update`` a subcommand when this app is used on its own."""


class OutputFormat(StrEnum):
    """Report formats of ``feeds update``."""

    TEXT = "text"
    JSON = "json"


class _RichReporter:
    """Progress bars on stderr, one per source."""

    def __init__(self, bars: Progress) -> None:
        self.bars = bars
        self.tasks: dict[str, TaskID] = {}

    def progress(self, source: str, message: str, done: int, total: int | None) -> None:
        """Move the bar of ``source``."""
        if source not in self.tasks:
            self.tasks[source] = self.bars.add_task(source, total=None)
        task = self.tasks[source]
        self.bars.update(task, completed=done, total=total, description=f"{source}: {message}"[:60])


@contextmanager
def _reporter() -> Iterator[Reporter]:
    """Rich progress on a terminal, nothing when stderr is piped."""
    if not sys.stderr.isatty():
        yield NullReporter()
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield _RichReporter(progress)


def _json(report: UpdateReport) -> str:
    document = {
        "cache": str(report.cache_root),
        "ok": report.ok,
        "sources": [
            {
                "source": result.source,
                "downloaded": result.downloaded,
                "unchanged": result.unchanged,
                "requests": result.requests,
                "paths": [str(path) for path in result.paths],
                "notes": list(result.notes),
                "failures": list(result.failures),
                "skipped": [
                    {"origin": s.origin, "reason": s.reason, "detail": s.detail}
                    for s in result.skipped
                ],
            }
            for result in report.results
        ],
        "unavailable": [{"source": s, "message": m} for s, m in report.errors],
    }
    return json.dumps(document, indent=2, sort_keys=True)


@app.command("update")
@reports_errors
def update(
    source: list[str] = typer.Option(
        [],
        "--source",
        "-s",
        help="Source to update (repeatable; default all): csaf, epss, kev, nvd, osv.",
    ),
    cache_dir: Path | None = typer.Option(
        None, "--cache-dir", help="Feed cache directory (default DATA_DIR/feeds-cache)."
    ),
    full: bool = typer.Option(
        False, "--full", help="Download everything again, ignoring the incremental state."
    ),
    osv_ecosystem: list[str] = typer.Option(
        [], "--osv-ecosystem", help="OSV ecosystem (repeatable; overrides the setting)."
    ),
    csaf_provider: list[str] = typer.Option(
        [],
        "--csaf-provider",
        help="CSAF provider: provider-metadata.json URL or domain (repeatable).",
    ),
    output_format: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", "-f"),
) -> None:
    """Download or refresh feeds (OSV, NVD, KEV, EPSS, CSAF) into the feed cache.

    Runs are incremental: cached files are revalidated (ETag/Last-Modified), NVD asks only for
    CVEs changed since the last run, OSV fetches changed records. Import the result with
    ``medtrust feeds import <cache>/data``. Exit code 3 when a source was unavailable.
    """
    fetch_settings = FetchSettings()
    overrides: dict[str, list[str]] = {}
    if osv_ecosystem:
        overrides["osv_ecosystems"] = osv_ecosystem
    if csaf_provider:
        overrides["csaf_providers"] = csaf_provider
    if overrides:
        fetch_settings = fetch_settings.model_copy(update=overrides)
    root = cache_dir or cache_root(get_settings(), fetch_settings)
    with _reporter() as reporter:
        report = update_feeds(
            sources=source, settings=fetch_settings, root=root, full=full, reporter=reporter
        )
    if output_format is OutputFormat.JSON:
        typer.echo(_json(report))
    else:
        for line in report.lines():
            typer.echo(line)
    if not report.ok:
        raise typer.Exit(3)
