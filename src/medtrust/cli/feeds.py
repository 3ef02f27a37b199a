"""``medtrust feeds``: import vulnerability feeds into the knowledge base; status; bundles.

(``feeds update``, the online download, lives in :mod:`medtrust.cli.feeds_update` and is
imported only when used.)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from medtrust.cli.common import reports_errors
from medtrust.cli.main import lazy_group
from medtrust.kb.bundle import export_bundle, import_bundle
from medtrust.kb.ingest import Progress as ProgressCallback
from medtrust.kb.ingest import import_feeds
from medtrust.kb.settings import kb_dir
from medtrust.kb.store import KnowledgeBase

app = typer.Typer(
    name="feeds",
    help="Vulnerability knowledge base: import feed files, status, offline bundles.",
    no_args_is_help=True,
    cls=lazy_group({"update": "medtrust.cli.feeds_update:update"}),
)

KbDirOption = Annotated[
    Path | None,
    typer.Option(
        "--kb-dir", help="Knowledge-base directory (default: $MEDTRUST_KB_DIR or DATA_DIR/kb)."
    ),
]


@app.callback()
def _group() -> None:
    """Vulnerability knowledge base: import feed files, status, offline bundles."""


@contextmanager
def progress_reporter(label: str) -> Iterator[ProgressCallback | None]:
    """A rich spinner with a record count on a terminal (stderr); nothing when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bars:
        task = bars.add_task(label, total=None)

        def report(done: int, unit: str) -> None:
            bars.update(task, description=f"{label}: {done:,} {unit}")

        yield report


@app.command("import")
@reports_errors
def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Feed files, directories or archives (OSV, NVD, CVE 5, CSAF, KEV, EPSS, VEX)."
        ),
    ],
    directory: KbDirOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Processes for many-file inputs (default: CPUs)."),
    ] = None,
    exposure: Annotated[
        bool,
        typer.Option(
            "--exposure/--no-exposure",
            help="Afterwards re-evaluate, in every organisation that has evaluated its exposure,"
            " the product versions the changed records can touch.",
        ),
    ] = True,
) -> None:
    """Import feed files into the knowledge base (idempotent; unchanged records are skipped).

    Exit codes: 0 imported, 2 an input cannot be read.
    """
    root = directory or kb_dir()
    with progress_reporter("importing") as progress:
        report = import_feeds(paths, root=root, progress=progress, workers=workers)
    if exposure and report.changed_records and root.resolve() == kb_dir().resolve():
        _refresh_exposure(report.changed_records, report.changed_vulns)
    if as_json:
        body = {
            "new": report.new,
            "changed": report.changed,
            "unchanged": report.unchanged,
            "duplicates": report.duplicates,
            "written": report.written,
            "skipped": {f"{s}/{r}": n for (s, r), n in sorted(report.summary.skipped.items())},
            "records": {f"{s}/{k}": n for (s, k), n in sorted(report.summary.records.items())},
            "not_matchable": dict(sorted(report.problems.items())),
            "tables": dict(sorted(report.table_rows.items())),
            "seconds": round(report.seconds, 2),
        }
        typer.echo(json.dumps(body, indent=2, sort_keys=True))
        return
    for line in report.lines():
        typer.echo(line)


def _refresh_exposure(changed_records: list[str], changed_vulns: list[str]) -> None:
    """Incremental exposure re-evaluation after an import (a failure here does not undo it)."""
    from sqlalchemy.exc import SQLAlchemyError

    from medtrust.cli.common import service_context
    from medtrust.errors import MedtrustError
    from medtrust.services.exposure import refresh_after_import

    err = Console(stderr=True)
    try:
        results = refresh_after_import(
            service_context(),
            changed_records=changed_records,
            changed_vulns=changed_vulns,
            trigger=f"feeds import ({len(changed_records)} changed records)",
        )
    except (MedtrustError, OSError, SQLAlchemyError) as exc:
        err.print(f"exposure not re-evaluated: {exc}", markup=False, highlight=False)
        return
    for organisation, run in results:
        what = (
            "nothing touched"
            if run is None
            else f"{run.product_versions} product version(s) re-evaluated in {run.seconds:.1f} s"
        )
        err.print(f"exposure of {organisation}: {what}", markup=False, highlight=False)


@app.command("status")
@reports_errors
def status(
    directory: KbDirOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """Show what the knowledge base holds. Exit 3 when there is none."""
    kb = KnowledgeBase.open(directory or kb_dir())
    manifest = {k: v for k, v in kb.manifest.items() if k != "files"}
    if as_json:
        typer.echo(
            json.dumps(
                {"directory": str(kb.root), **manifest}, indent=2, sort_keys=True, default=str
            )
        )
        return
    typer.echo(f"knowledge base: {kb.root}")
    typer.echo(f"updated at: {manifest.get('updated_at', '?')}")
    bundle = manifest.get("imported_from_bundle")
    if isinstance(bundle, dict):
        typer.echo(f"from bundle: {bundle.get('file')} (sha256 {bundle.get('sha256')})")
    for source, count in sorted((manifest.get("sources") or {}).items()):
        typer.echo(f"records {source}: {count}")
    for table, rows in sorted((manifest.get("rows") or {}).items()):
        typer.echo(f"table {table}: {rows} rows")


@app.command("export-bundle")
@reports_errors
def export_command(
    out: Annotated[Path, typer.Argument(help="Bundle file to write (a .tar).")],
    directory: KbDirOption = None,
) -> None:
    """Write the knowledge base to one file for an offline site (with a digest manifest)."""
    kb = KnowledgeBase.open(directory or kb_dir())
    manifest = export_bundle(kb, out)
    typer.echo(f"wrote {out} ({len(manifest['files'])} tables)")


@app.command("import-bundle")
@reports_errors
def import_bundle_command(
    file: Annotated[Path, typer.Argument(help="Bundle written by 'feeds export-bundle'.")],
    directory: KbDirOption = None,
) -> None:
    """Verify a bundle completely, then make it the knowledge base (nothing changes on error).

    Exit codes: 0 imported, 2 unreadable, corrupt or tampered bundle.
    """
    manifest = import_bundle(file, directory or kb_dir())
    created, tables = manifest.get("created_at"), len(manifest["files"])
    typer.echo(f"imported {file.name} (created {created}, {tables} tables verified)")
