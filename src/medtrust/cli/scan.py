"""``medtrust scan``: match SBOMs against the knowledge base, apply VEX, report findings."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from medtrust.cli.common import reports_errors, write_output
from medtrust.domain.vex import VexStatement
from medtrust.formats.registry import format_names, get_format
from medtrust.formats.scan_table import TableFormat
from medtrust.kb.query import SnapshotProvider
from medtrust.kb.store import KnowledgeBase
from medtrust.matching.components import document_views
from medtrust.matching.policy import FailOn, failing
from medtrust.matching.scan import Engine, scan_documents
from medtrust.sbom.readers.registry import read_sbom


@contextmanager
def _stage() -> Iterator[object]:
    """A rich status line on a terminal (stderr); a no-op when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    console = Console(stderr=True)
    with console.status("scanning") as status:
        yield status


def _say(status: object, text: str) -> None:
    update = getattr(status, "update", None)
    if update is not None:
        update(text)


@reports_errors
def scan(
    sboms: Annotated[
        list[Path], typer.Argument(help="SBOM files (CycloneDX JSON/XML, SPDX JSON/XML/tag-value).")
    ],
    vex: Annotated[
        list[Path] | None,
        typer.Option(
            "--vex", help="VEX document (CycloneDX, CSAF, OpenVEX); repeatable, later wins."
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help=f"Output format: {', '.join(format_names())}.")
    ] = "table",
    fail_on: Annotated[
        FailOn | None,
        typer.Option("--fail-on", help="Exit 1 when an affected finding reaches this level."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to a file instead of stdout.")
    ] = None,
    context_cpe: Annotated[
        list[str] | None,
        typer.Option(
            "--context-cpe",
            help="CPE of the device the SBOM runs on (satisfies NVD 'running on' conditions).",
        ),
    ] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help="Matcher: bulk (fast) or reference (oracle).")
    ] = Engine.BULK,
    directory: Annotated[
        Path | None, typer.Option("--kb-dir", help="Knowledge-base directory.")
    ] = None,
) -> None:
    """Scan SBOMs for known vulnerabilities; every finding explains its match.

    Exit codes: 0 done, 1 a finding reaches --fail-on, 2 unreadable input, 3 no knowledge base
    (run 'medtrust feeds import' first).
    """
    renderer = get_format(output_format)
    with _stage() as status:
        _say(status, "reading SBOMs")
        documents = [read_sbom(path) for path in sboms]
        if directory is None:
            from medtrust.kb.settings import kb_dir  # pydantic-settings: only when needed

            directory = kb_dir()
        kb = KnowledgeBase.open(directory)
        components = document_views(documents, context_cpe or ())
        _say(status, "reading VEX documents")
        if vex:
            from medtrust.kb.vex_files import read_vex_file  # the feed readers: only with --vex
        vex_files: list[tuple[str, list[VexStatement]]] = [
            (path.name, read_vex_file(path, components)) for path in vex or ()
        ]
        _say(status, "matching")
        result = scan_documents(
            documents,
            SnapshotProvider(kb),
            vex_files=vex_files,
            engine=engine,
            components=components,
        )
    if isinstance(renderer, TableFormat) and output is None and sys.stdout.isatty():
        renderer = TableFormat(width=Console().width)
    write_output(renderer.render(result, generated_at=datetime.now(UTC)), output)
    if fail_on is not None:
        failed = failing(result.findings, fail_on)
        if failed:
            typer.echo(f"{len(failed)} finding(s) at or above --fail-on {fail_on.value}", err=True)
            raise typer.Exit(1)
