"""``medtrust admin``: organisations, users and API tokens."""

from __future__ import annotations

import sys

import typer

from medtrust.cli.common import reports_errors, service_context
from medtrust.domain.tenancy import OrgKind, Role
from medtrust.services import accounts
from medtrust.storage.migrate import upgrade

app = typer.Typer(help="Organisations, users and API tokens.", no_args_is_help=True)


@app.command("create-org")
@reports_errors
def create_org(
    name: str = typer.Argument(..., help="Organisation name (unique)."),
    kind: OrgKind = typer.Option(OrgKind.HOSPITAL, help="hospital, manufacturer or authority."),
) -> None:
    """Create an organisation."""
    ctx = service_context()
    upgrade(ctx.engine)
    org = accounts.create_organisation(ctx, name=name, kind=kind)
    typer.echo(f"created organisation {org.name!r} ({org.kind.value}), id {org.id}")


@app.command("create-user")
@reports_errors
def create_user(
    email: str = typer.Argument(..., help="Login e-mail."),
    org: str = typer.Option(..., "--org", help="Organisation name."),
    role: Role = typer.Option(Role.VIEWER, help="viewer, editor or admin."),
    name: str | None = typer.Option(None, help="Display name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Create a user; without --password-stdin a random password is generated and printed."""
    ctx = service_context()
    upgrade(ctx.engine)
    password = sys.stdin.readline().rstrip("\n") if password_stdin else accounts.generate_password()
    user = accounts.create_user(
        ctx, organisation=org, email=email, password=password, role=role, display_name=name
    )
    typer.echo(f"created user {user.email} ({user.role.value}) in {org!r}")
    if not password_stdin:
        typer.echo(f"password: {password}")


@app.command("create-token")
@reports_errors
def create_token(
    email: str = typer.Argument(..., help="User the token acts as."),
    name: str = typer.Option("cli", help="A label for the token."),
) -> None:
    """Issue an API token (shown once) for a user."""
    ctx = service_context()
    upgrade(ctx.engine)
    issued = accounts.issue_token(ctx, email=email, name=name)
    typer.echo(issued.token)
