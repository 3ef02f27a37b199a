"""``medtrust applicability FACTS.yaml`` and ``medtrust assess product ...``."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from medtrust.cli.common import reports_errors, write_output
from medtrust.compliance.applicability import decide_applicability, read_facts
from medtrust.compliance.assessment import (
    DEFAULT_COVERED_MIN_CONFIDENCE,
    DEFAULT_MAX_HOPS,
    Policy,
)
from medtrust.compliance.library import packaged_library
from medtrust.compliance.product import InputFile, assess_product_files
from medtrust.compliance.reports.as_json import applicability_json
from medtrust.compliance.reports.as_text import applicability_text
from medtrust.compliance.reports.registry import REPORT_FORMATS, report_format
from medtrust.compliance.user_input import MAX_USER_FILE_BYTES, UserFileError
from medtrust.errors import InputTooLargeError
from medtrust.mds2.readers.limits import ReadLimits
from medtrust.sbom.readers.registry import DEFAULT_MAX_BYTES as SBOM_MAX_BYTES

assess_app = typer.Typer(
    name="assess",
    help="Assess a product against MDR, CRA and standards; report covered clauses and gaps.",
    no_args_is_help=True,
)


@assess_app.callback()
def _group() -> None:
    """Assess a product against MDR, CRA and standards; report covered clauses and gaps."""


class ApplicabilityFormat(StrEnum):
    """Output formats of ``applicability``."""

    TABLE = "table"
    JSON = "json"


def _read(path: Path, limit: int) -> InputFile:
    size = path.stat().st_size
    if size > limit:
        raise InputTooLargeError(f"{path.name}: {size} bytes is more than the limit of {limit}")
    with path.open("rb") as handle:
        return InputFile(handle.read(limit + 1), path.name)


@reports_errors
def applicability(
    facts: Annotated[Path, typer.Argument(help="Facts YAML: product: {...}, organisation: {...}.")],
    output_format: Annotated[
        ApplicabilityFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ApplicabilityFormat.TABLE,
) -> None:
    """Which frameworks apply (MDR, IVDR, CRA, NIS2, GDPR, standards), and why.

    Exit codes: 0 decided, 2 unreadable or invalid facts file.
    """
    data = _read(facts, MAX_USER_FILE_BYTES)
    report = decide_applicability(read_facts(data.data, data.name))
    if output_format is ApplicabilityFormat.JSON:
        typer.echo(applicability_json(report), nl=False)
    else:
        typer.echo(applicability_text(report), nl=False)


@assess_app.command("product")
@reports_errors
def product(
    mds2: Annotated[
        Path | None, typer.Option("--mds2", help="MDS2 form (xlsx, JSON, CSV or text).")
    ] = None,
    sbom: Annotated[Path | None, typer.Option("--sbom", help="SBOM (CycloneDX or SPDX).")] = None,
    declarations: Annotated[
        Path | None,
        typer.Option("--declarations", help="YAML: certificates, processes, not_applicable."),
    ] = None,
    framework: Annotated[
        list[str] | None,
        typer.Option("--framework", help="Framework id or URN (repeat; default: mdr)."),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", help=f"One of: {', '.join(REPORT_FORMATS)}."),
    ] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Assessment date YYYY-MM-DD (default: today).")
    ] = None,
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=6)] = DEFAULT_MAX_HOPS,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0)
    ] = DEFAULT_COVERED_MIN_CONFIDENCE,
) -> None:
    """Assess a product from its MDS2 form, SBOM and declarations against frameworks.

    Every requirement gets covered / partly / gap / not-applicable with the evidence and the
    mapping path behind it, and what would close each gap. Exit codes: 0 report written,
    2 unreadable input or unknown framework.
    """
    rendering = report_format(output_format)
    if mds2 is None and sbom is None and declarations is None:
        raise UserFileError(
            "(arguments)", None, "give at least one of --mds2, --sbom, --declarations"
        )
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise UserFileError("--as-of", None, f"not a date: {as_of!r}") from None
    limits = ReadLimits()
    assessment = assess_product_files(
        mds2=_read(mds2, limits.max_bytes) if mds2 else None,
        sbom=_read(sbom, SBOM_MAX_BYTES) if sbom else None,
        declarations=_read(declarations, MAX_USER_FILE_BYTES) if declarations else None,
        frameworks=framework or [],
        as_of=day,
        policy=Policy(max_hops=max_hops, covered_min_confidence=min_confidence),
        mds2_limits=limits,
    )
    write_output(rendering.render(assessment, packaged_library()), output, binary=rendering.binary)
