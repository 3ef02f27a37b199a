"""Shared CLI plumbing: settings, service context, error reporting, output."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer

from medtrust.errors import MedtrustError

if TYPE_CHECKING:  # the service layer (SQLAlchemy) is imported only by commands that use it
    from medtrust.services.context import ServiceContext

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error to stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn medtrust errors and file errors into a one-line message and an exit code."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except MedtrustError as exc:
            raise fail(exc.message, exc.exit_code) from None
        except OSError as exc:
            name = f"{exc.filename}: " if exc.filename else ""
            raise fail(f"{name}{exc.strerror or exc}", 2) from None

    return wrapper


def service_context() -> ServiceContext:
    """Service context from the environment's settings."""
    from medtrust.services.context import ServiceContext
    from medtrust.settings import get_settings

    return ServiceContext.create(get_settings())


def write_output(content: bytes | str, output: Path | None, *, binary: bool = False) -> None:
    """Write to ``output`` or stdout; refuse to dump binary data on a terminal."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if output is not None:
        tmp = output.with_name(output.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(output)
        return
    if binary and sys.stdout.isatty():
        raise fail("binary output: give -o FILE (or redirect stdout)")
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
