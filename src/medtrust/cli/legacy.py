"""``medtrust legacy``: the legacy register (assets past or near end of support)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from medtrust.cli.common import fail, reports_errors, service_context, write_output
from medtrust.inventory.exports.formats import FORMATS
from medtrust.inventory.lifecycle import DEFAULT_HORIZON_DAYS
from medtrust.services import inventory_legacy as legacy
from medtrust.services.incidents import acting_principal
from medtrust.storage.migrate import upgrade

BINARY = {"xlsx", "pdf"}
CHOICES = ", ".join(["table", *sorted(FORMATS)])


@reports_errors
def legacy_command(
    user: Annotated[
        str,
        typer.Option("--user", envvar="MEDTRUST_USER", help="E-mail of the user acting."),
    ],
    format: Annotated[str, typer.Option("--format", help=f"One of {CHOICES}.")] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None,
    horizon_days: Annotated[
        int, typer.Option("--horizon-days", help="Days ahead counted as 'ending'.")
    ] = DEFAULT_HORIZON_DAYS,
) -> None:
    """Assets past or within the horizon of end of support, with what compensates."""
    ctx = service_context()
    upgrade(ctx.engine)
    principal = acting_principal(ctx, user)
    if format != "table":
        if format not in FORMATS:
            raise fail(f"unknown format {format!r}; use one of {CHOICES}")
        out = legacy.export_legacy_register(ctx, principal, fmt=format, horizon_days=horizon_days)
        write_output(out.content, output, binary=format in BINARY)
        return
    register = legacy.legacy_register(ctx, principal, horizon_days=horizon_days)
    table = Table(title=f"Legacy register as of {register.today}: {len(register.entries)} asset(s)")
    for column in ("status", "end of support", "asset", "device", "criticality", "compensates"):
        table.add_column(column)
    for entry in register.entries:
        lc, a = entry.assessment, entry.asset
        table.add_row(
            lc.status.value,
            f"{lc.decisive.date} ({lc.decisive.source.value})" if lc.decisive else "",
            a.label,
            a.data.device_label,
            a.data.criticality.value,
            "; ".join(c.explanation for c in lc.compensations) or "none recorded",
        )
    Console(width=200).print(table)
