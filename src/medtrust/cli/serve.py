"""``medtrust serve``: run the web application and API."""

from __future__ import annotations

import typer

from medtrust.cli.common import reports_errors
from medtrust.settings import get_settings

DEMO_HELP = "Load demo organisations, users and MDS2 forms, and print the demo logins."


@reports_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
    demo: bool = typer.Option(False, "--demo", help=DEMO_HELP),
) -> None:
    """Upgrade the database, optionally load demo data, and serve the web app and API."""
    import uvicorn

    from medtrust.api.app import create_app
    from medtrust.services.context import ServiceContext
    from medtrust.services.demo import seed_demo
    from medtrust.storage.migrate import upgrade

    settings = get_settings()
    ctx = ServiceContext.create(settings)
    upgrade(ctx.engine)
    typer.echo(f"database: {settings.resolved_database_url()}")
    if demo:
        typer.echo("loading demo data ...")
        for login in seed_demo(ctx):
            typer.echo(
                f"  demo login  {login.email:34} password {login.password}"
                f"   ({login.role.value}, {login.organisation})"
            )
    typer.echo(f"medtrust on http://{host}:{port}/  (API docs: http://{host}:{port}/api/v1/docs)")
    uvicorn.run(create_app(settings, context=ctx), host=host, port=port, log_level="info")
