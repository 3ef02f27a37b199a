"""``medtrust sbom``: read SBOMs and report their quality."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from medtrust.domain.component import IssueSeverity
from medtrust.sbom.errors import SbomError
from medtrust.sbom.quality import QualityReport, assess
from medtrust.sbom.readers.registry import DEFAULT_MAX_BYTES, read_sbom

app = typer.Typer(
    name="sbom",
    help="Read CycloneDX and SPDX SBOMs; check them against the NTIA minimum elements.",
    no_args_is_help=True,
)


@app.callback()
def _group() -> None:
    """Read CycloneDX and SPDX SBOMs; check them against the NTIA minimum elements."""


class OutputFormat(StrEnum):
    """Output formats of ``sbom check``."""

    TABLE = "table"
    JSON = "json"


def _render_table(report: QualityReport, console: Console, show_info: bool) -> None:
    console.print(
        f"[bold]{report.source}[/bold]  {report.format.value} {report.spec_version or '?'}  "
        f"{report.component_count} components  score [bold]{report.score}[/bold]/100"
    )
    factors = Table(title="Score", show_lines=False)
    for column in ("factor", "points", "of", "detail"):
        factors.add_column(column)
    for factor in report.factors:
        factors.add_row(factor.name, f"{factor.points:.1f}", str(factor.weight), factor.explanation)
    console.print(factors)
    shown = [f for f in report.findings if show_info or f.severity is not IssueSeverity.INFO]
    hidden = len(report.findings) - len(shown)
    if shown:
        table = Table(title="Findings")
        for column in ("severity", "component", "code", "message"):
            table.add_column(column, overflow="fold")
        for finding in shown:
            table.add_row(
                finding.severity.value,
                finding.component or "(document)",
                finding.code,
                finding.message,
            )
        console.print(table)
    if hidden:
        console.print(f"{hidden} informational findings not shown (use --all).")
    if report.fixes():
        console.print("[bold]Fixes[/bold]")
        for fix in report.fixes():
            console.print(f"- {fix}", markup=False)


@app.command("check")
def check(
    file: Annotated[
        Path, typer.Argument(help="SBOM file (CycloneDX JSON/XML, SPDX JSON/XML/tag-value).")
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.TABLE,
    reader: Annotated[
        str | None,
        typer.Option(help="Force a reader instead of detecting it (see docs/sbom.md)."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Refuse files larger than this.")
    ] = DEFAULT_MAX_BYTES,
    show_info: Annotated[
        bool, typer.Option("--all", help="Also show informational findings.")
    ] = False,
    min_score: Annotated[
        int | None,
        typer.Option("--min-score", min=0, max=100, help="Exit 1 when the score is lower."),
    ] = None,
) -> None:
    """Check an SBOM: NTIA minimum elements, identifiers, score and fixes.

    Exit codes: 0 readable, 1 score below --min-score, 2 unreadable or unsupported file.
    """
    try:
        document = read_sbom(file, reader=reader, max_bytes=max_bytes)
    except SbomError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    report = assess(document)
    if output_format is OutputFormat.JSON:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        _render_table(report, Console(), show_info)
    if min_score is not None and report.score < min_score:
        raise typer.Exit(1)
