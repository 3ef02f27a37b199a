"""The ``medtrust`` command line. Each command group lives in its own module.

Commands are registered by name and imported only when used, so ``medtrust scan`` loads
the scan command and what it needs, not the database layer, the web app or the MDS2 reader.
``medtrust --help`` imports every command to list them.

To add a command, add one line to :data:`COMMANDS`: the command name and
``"module:attribute"``, where the attribute is a ``typer.Typer`` (a command group) or a
function (a single command), for example ``"exposure": "medtrust.cli.exposure:app",``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from typer.core import TyperGroup

from medtrust import __version__

if TYPE_CHECKING:  # Typer's own copy of click (the types of its groups' methods)
    from typer._click import Command, Context

#: command name -> "module:attribute" (a command function, or a Typer app for a command group);
#: listed in this order (single commands first, as Typer lists them)
COMMANDS: dict[str, str] = {
    "serve": "medtrust.cli.serve:serve",
    "scan": "medtrust.cli.scan:scan",
    "legacy": "medtrust.cli.legacy:legacy_command",
    "applicability": "medtrust.cli.compliance:applicability",
    "admin": "medtrust.cli.admin:app",
    "db": "medtrust.cli.db:app",
    "mds2": "medtrust.cli.mds2:app",
    "sbom": "medtrust.cli.sbom:app",
    "feeds": "medtrust.cli.feeds:app",
    "assets": "medtrust.cli.assets:app",
    "incident": "medtrust.cli.incident:app",
    "catalog": "medtrust.cli.catalog:app",
    "assess": "medtrust.cli.compliance:assess_app",
    "exposure": "medtrust.cli.exposure:app",
}


def load_command(name: str, target: str) -> Command:
    """The click command for ``"module:attribute"`` (a Typer app or a command function)."""
    module, _, attribute = target.partition(":")
    found: Any = getattr(import_module(module), attribute)
    if isinstance(found, typer.Typer):
        command: Command = typer.main.get_group(found)  # as add_typer would mount it
    else:
        single = typer.Typer(add_completion=False)
        single.command(name)(found)
        command = typer.main.get_command(single)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """A Typer group whose commands in :attr:`lazy_commands` are imported on first use."""

    lazy_commands: ClassVar[dict[str, str]] = {}

    def list_commands(self, ctx: Context) -> list[str]:
        """Registered commands, then the lazy ones, in their registry order."""
        eager = super().list_commands(ctx)
        return eager + [name for name in self.lazy_commands if name not in eager]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        """The command, imported (once) if it is a lazy one.

        An unknown name loads every command, so Typer's "did you mean" sees them all.
        """
        if cmd_name in self.commands:
            wanted = []
        elif cmd_name in self.lazy_commands:
            wanted = [cmd_name]
        else:
            wanted = list(self.lazy_commands)
        for name in wanted:
            if name not in self.commands:
                self.commands[name] = load_command(name, self.lazy_commands[name])
        return super().get_command(ctx, cmd_name)


def lazy_group(commands: dict[str, str]) -> type[LazyGroup]:
    """A :class:`LazyGroup` class over ``commands`` (for ``typer.Typer(cls=...)``)."""
    return type("LazyCommands", (LazyGroup,), {"lazy_commands": commands})


app = typer.Typer(
    name="medtrust",
    help="Cybersecurity of medical technology: MDS2, SBOMs, vulnerabilities, incidents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=lazy_group(COMMANDS),
)


@app.callback(invoke_without_command=True)
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit(0)


def _register() -> None:
    """Kept for callers: commands are registered lazily (:data:`COMMANDS`), nothing to do."""


def main() -> None:
    """Entry point of the console script."""
    app()
