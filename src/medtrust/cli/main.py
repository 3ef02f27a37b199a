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
    from medtrust.cli import (
        admin,
        assets,
        catalog,
        compliance,
        db,
        feeds,
        feeds_update,
        incident,
        legacy,
        mds2,
        sbom,
        scan,
        serve,
    )

    app.add_typer(admin.app, name="admin")
    app.add_typer(db.app, name="db")
    app.command("serve")(serve.serve)
    app.add_typer(mds2.app, name="mds2")
    app.add_typer(sbom.app, name="sbom")
    feeds.app.command("update")(feeds_update.update)
    app.add_typer(feeds.app, name="feeds")
    app.command("scan")(scan.scan)
    app.add_typer(assets.app, name="assets")
    app.command("legacy")(legacy.legacy_command)
    app.add_typer(incident.app, name="incident")
    app.add_typer(catalog.app, name="catalog")
    app.command("applicability")(compliance.applicability)
    app.add_typer(compliance.assess_app, name="assess")


def main() -> None:
    """Entry point of the console script."""
    _register()
    app()
