"""``medtrust assets``: import CMMS exports and list the installed base."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.table import Table

from medtrust.cli.common import reports_errors, service_context, write_output
from medtrust.domain.asset import AssetQuery, AssetStatus, Criticality, LinkState
from medtrust.inventory.errors import InventoryInputError
from medtrust.inventory.mapping import ColumnMapping
from medtrust.services import inventory as svc
from medtrust.services.incidents import acting_principal
from medtrust.storage.migrate import upgrade

app = typer.Typer(
    name="assets",
    help="Installed base: import CMMS exports (CSV/xlsx) and list assets.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

UserOption = Annotated[
    str,
    typer.Option("--user", envvar="MEDTRUST_USER", help="E-mail of the user acting (editor)."),
]
#: findings printed in table mode (all are in --format json and stored with the import)
SHOWN_ISSUES = 50


class OutputFormat(StrEnum):
    """Output formats of the asset commands."""

    TABLE = "table"
    JSON = "json"


@app.callback()
def _assets() -> None:
    """Installed base: import CMMS exports (CSV/xlsx) and list assets."""


def read_mapping(path: Path) -> ColumnMapping:
    """A column mapping from a JSON or YAML file (``columns``, ``defaults``, ``values``)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InventoryInputError(f"{path}: not JSON or YAML: {exc}") from exc
    return ColumnMapping.from_dict(data)


@app.command("import")
@reports_errors
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV or xlsx export.", exists=True, dir_okay=False)],
    user: UserOption,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="Column mapping file (JSON/YAML).")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Source name; its mapping is saved and reused.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything, write nothing.")
    ] = False,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Import assets; exit code 1 when rows were rejected (the others are imported)."""
    ctx = service_context()
    upgrade(ctx.engine)
    principal = acting_principal(ctx, user)
    report = svc.import_assets(
        ctx,
        principal,
        data=file.read_bytes(),
        filename=file.name,
        mapping=read_mapping(mapping) if mapping else None,
        source=source,
        dry_run=dry_run,
    )
    if format is OutputFormat.JSON:
        document = {
            "dry_run": report.dry_run,
            "run_id": report.run_id,
            "read": {
                "format": report.info.format,
                "encoding": report.info.encoding,
                "delimiter": report.info.delimiter,
                "sheet": report.info.sheet,
                "header_row": report.info.header_row,
                "notes": list(report.info.notes),
            },
            "mapping": report.mapping.to_dict(),
            "counts": report.counts,
            "issues": [
                {
                    "row": i.row,
                    "severity": i.severity.value,
                    "code": i.code,
                    "column": i.column,
                    "message": i.message,
                }
                for i in report.issues
            ],
        }
        write_output(json.dumps(document, indent=2, ensure_ascii=False) + "\n", None)
    else:
        console = Console(highlight=False, soft_wrap=True)
        what = "dry run (nothing written)" if report.dry_run else f"import #{report.run_id}"
        console.print(
            f"{what}: {file.name} read as {report.info.format}"
            f"{', ' + report.info.encoding if report.info.encoding else ''}"
        )
        for note in report.info.notes:
            console.print(f"note: {note}")
        console.print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in report.counts.items()))
        for issue in report.issues[:SHOWN_ISSUES]:
            console.print(
                f"row {issue.row} {issue.severity.value} {issue.code}"
                f"{' [' + issue.column + ']' if issue.column else ''}: {issue.message}"
            )
        if len(report.issues) > SHOWN_ISSUES:
            console.print(f"... {len(report.issues) - SHOWN_ISSUES} more (use --format json)")
    if report.rejected_rows:
        raise typer.Exit(1)


@app.command("list")
@reports_errors
def list_command(
    user: UserOption,
    q: Annotated[str | None, typer.Option("--q", help="Search text.")] = None,
    site: Annotated[str | None, typer.Option("--site")] = None,
    department: Annotated[str | None, typer.Option("--department")] = None,
    criticality: Annotated[Criticality | None, typer.Option("--criticality")] = None,
    status: Annotated[AssetStatus | None, typer.Option("--status")] = None,
    link_state: Annotated[LinkState | None, typer.Option("--link-state")] = None,
    page: Annotated[int, typer.Option("--page", min=1)] = 1,
    page_size: Annotated[int, typer.Option("--page-size", min=1, max=10000)] = 100,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """List assets (one page; filters combine)."""
    ctx = service_context()
    upgrade(ctx.engine)
    query = AssetQuery(
        q=q,
        site=site,
        department=department,
        criticality=criticality,
        status=status,
        link_state=link_state,
        page=page,
        page_size=page_size,
    )
    result = svc.list_assets(ctx, acting_principal(ctx, user), query)
    if format is OutputFormat.JSON:
        from medtrust.api.routers.inventory_schemas import AssetOut

        document = {
            "total": result.total,
            "page": result.page,
            "pages": result.pages,
            "items": [AssetOut.of(a).model_dump(mode="json") for a in result.items],
        }
        write_output(json.dumps(document, indent=2, ensure_ascii=False) + "\n", None)
        return
    table = Table(title=f"{result.total} asset(s), page {result.page}/{result.pages}")
    for column in ("tag", "device", "product version", "location", "criticality", "status"):
        table.add_column(column)
    for a in result.items:
        table.add_row(
            a.label,
            a.data.device_label,
            a.product_version.label if a.product_version else f"({a.link_state.value})",
            a.data.location.label,
            a.data.criticality.value,
            a.data.status.value,
        )
    Console().print(table)
