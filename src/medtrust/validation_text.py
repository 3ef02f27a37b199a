"""One-line text for pydantic validation errors.

Loaders and forms that validate with pydantic report the first problem on one line,
``<location>: <message>``. Locations read ``devices[0].aware_at`` unless a caller's documented
format needs every part joined by one separator (``answers/DOC-8/colour`` with ``sep="/"``,
``rules.1.decision`` with ``sep="."``). Runs of whitespace, newlines included, become one space.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

#: what callers that name an empty location (a root-level error) call it
DOCUMENT = "(document)"


def one_line(text: object) -> str:
    """``text`` with every run of whitespace collapsed to one space and none at the ends."""
    return " ".join(str(text).split())


def format_location(loc: Sequence[int | str], *, sep: str | None = None) -> str:
    """A pydantic location as text; ``""`` for an empty one.

    Without ``sep``: ``('devices', 0, 'aware_at')`` -> ``devices[0].aware_at``. With ``sep`` every
    part is joined by it: ``sep="/"`` -> ``devices/0/aware_at``.
    """
    if sep is not None:
        return one_line(sep.join(str(part) for part in loc))
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return one_line(out)


def first_error(exc: ValidationError, *, sep: str | None = None, root: str = "") -> tuple[str, str]:
    """(location, message) of the first error, each one line; ``root`` stands for no location."""
    first = exc.errors()[0]
    return format_location(first["loc"], sep=sep) or root, one_line(first["msg"])


def more_problems(exc: ValidationError) -> str:
    """`` (and N more problem(s))`` when ``exc`` holds more than one error, else ``""``."""
    others = exc.error_count() - 1
    if others < 1:
        return ""
    return f" (and {others} more problem{'s' if others > 1 else ''})"


def first_problem(
    exc: ValidationError, *, sep: str | None = None, root: str = "", count: bool = False
) -> str:
    """The first error as ``<location>: <message>``, the location left out when empty.

    ``root`` names an empty location instead (e.g. :data:`DOCUMENT`); ``count`` appends
    :func:`more_problems`.
    """
    where, message = first_error(exc, sep=sep, root=root)
    text = f"{where}: {message}" if where else message
    return (text + more_problems(exc)) if count else text
