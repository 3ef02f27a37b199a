"""``medtrust mds2``: stateless commands on MDS2 files (no database needed)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

import typer

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.cli.common import fail, reports_errors, write_output
from medtrust.mds2.compare import compare as compare_forms
from medtrust.mds2.diff import diff as diff_forms
from medtrust.mds2.readers.limits import ReadLimits
from medtrust.mds2.readers.registry import READERS, read_mds2_file
from medtrust.mds2.render.registry import (
    COMPARISON_RENDERINGS,
    DIFF_RENDERINGS,
    comparison_rendering,
    diff_rendering,
)
from medtrust.mds2.report_format import validation_document, validation_table
from medtrust.mds2.validator import validate as validate_form
from medtrust.mds2.writers.registry import WRITERS, get_writer
from medtrust.settings import get_settings

app = typer.Typer(
    help="Read, validate, convert, diff and compare MDS2 forms.", no_args_is_help=True
)


def _choices(names: Iterable[str]) -> str:
    return ", ".join(sorted(names))


BINARY = {"xlsx", "pdf"}

FILE_HELP = "MDS2 form: NEMA xlsx, pasted text/markdown, CSV or medtrust JSON."
READER_OPTION = typer.Option(
    None, "--reader", help=f"Force a reader instead of autodetection: {_choices(READERS)}."
)


class ReportFormat(StrEnum):
    """Validation output formats."""

    TABLE = "table"
    JSON = "json"


@app.command()
@reports_errors
def convert(
    file: Path = typer.Argument(..., help=FILE_HELP),
    to: str = typer.Option(..., "--to", help=f"Output format: {_choices(WRITERS)}."),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Output file (default stdout)."
    ),
    reader: str | None = READER_OPTION,
) -> None:
    """Convert a form to medtrust JSON, NEMA-layout xlsx, or an HTML/PDF print view."""
    writer = get_writer(to)
    form = read_mds2_file(file, format=reader, limits=ReadLimits.from_settings(get_settings()))
    content = writer.write(form, catalogue=load_mds2_catalogue())
    write_output(content, output, binary=to in BINARY)


@app.command()
@reports_errors
def validate(
    file: Path = typer.Argument(..., help=FILE_HELP),
    format: ReportFormat = typer.Option(ReportFormat.TABLE, "--format", help="Output format."),
    reader: str | None = READER_OPTION,
) -> None:
    """Check a form. Exit 0 without errors, 1 with errors (warnings allowed), 2 if unreadable."""
    form = read_mds2_file(file, format=reader, limits=ReadLimits.from_settings(get_settings()))
    report = validate_form(form, load_mds2_catalogue())
    if format is ReportFormat.JSON:
        document = {"source": str(file), **validation_document(report)}
        write_output(json.dumps(document, indent=2, ensure_ascii=False) + "\n", None)
    else:
        write_output(validation_table(report, source=str(file)), None)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
@reports_errors
def diff(
    old: Path = typer.Argument(..., help="The earlier form."),
    new: Path = typer.Argument(..., help="The later form."),
    format: str = typer.Option(
        "table", "--format", help=f"Output format: {_choices(DIFF_RENDERINGS)}."
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Output file (default stdout)."
    ),
) -> None:
    """What changed between two versions of a product's form, and whether it helps or hurts."""
    rendering = diff_rendering(format)
    limits = ReadLimits.from_settings(get_settings())
    a = read_mds2_file(old, limits=limits)
    b = read_mds2_file(new, limits=limits)
    result = diff_forms(a, b, load_mds2_catalogue())
    write_output(rendering.render(result), output, binary=format in BINARY)


@app.command()
@reports_errors
def compare(
    files: list[Path] = typer.Argument(..., help="Two or more forms."),
    format: str = typer.Option(
        "table", "--format", help=f"Output format: {_choices(COMPARISON_RENDERINGS)}."
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Output file (default stdout)."
    ),
) -> None:
    """Several products' forms side by side, by section, with protective-answer summaries."""
    if len(files) < 2:
        raise fail("compare needs at least two forms")
    rendering = comparison_rendering(format)
    limits = ReadLimits.from_settings(get_settings())
    forms = [(path.name, read_mds2_file(path, limits=limits)) for path in files]
    result = compare_forms(forms, load_mds2_catalogue())
    write_output(rendering.render(result), output, binary=format in BINARY)
