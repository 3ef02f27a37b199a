"""The ``medtrust`` command line. Each command group lives in its own module."""

from __future__ import annotations

import typer

from medtrust import __version__

app = typer.Typer(
    name="medtrust",
    help="Cybersecurity of medical technology: MDS2, SBOMs, vulnerabilities, incidents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback(invoke_without_command=True)
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit(0)


def _register() -> None:
    from medtrust.cli import admin, db, incident, mds2, sbom, serve

    app.add_typer(admin.app, name="admin")
    app.add_typer(db.app, name="db")
    app.add_typer(mds2.app, name="mds2")
    app.add_typer(incident.app, name="incident")
    app.add_typer(sbom.app, name="sbom")
    app.command("serve")(serve.serve)


def main() -> None:
    """Entry point of the console script."""
    _register()
    app()
