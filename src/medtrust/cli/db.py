"""``medtrust db``: schema migrations."""

from __future__ import annotations

import typer

from medtrust.cli.common import reports_errors, service_context
from medtrust.storage.migrate import current_revision, upgrade

app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)


@app.command("upgrade")
@reports_errors
def upgrade_cmd() -> None:
    """Create or upgrade the database schema to the latest revision."""
    ctx = service_context()
    upgrade(ctx.engine)
    typer.echo(f"database at revision {current_revision(ctx.engine)}")


@app.command("current")
@reports_errors
def current_cmd() -> None:
    """Print the database's schema revision."""
    typer.echo(current_revision(service_context().engine) or "empty database")
