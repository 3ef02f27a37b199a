"""The reader protocol shared by every MDS2 input format, and small helpers for readers."""

from __future__ import annotations

from typing import Protocol

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import Mds2Form
from medtrust.mds2.readers.limits import ReadLimits


class Mds2Reader(Protocol):
    """Reads one input format into an :class:`Mds2Form`.

    ``read`` raises :class:`medtrust.errors.InputError` subclasses (one-line messages) for
    documents it cannot read at all; problems with single items become ``read_issues``.
    """

    #: registry key, e.g. ``"nema-xlsx"``
    name: str

    def sniff(self, head: bytes, filename: str | None) -> bool:
        """True when the first bytes (and the name) look like this reader's format."""
        ...

    def read(
        self,
        data: bytes,
        *,
        filename: str | None,
        catalogue: Mds2Catalogue,
        limits: ReadLimits | None = None,
    ) -> Mds2Form:
        """Read a whole document."""
        ...


def display_name(filename: str | None) -> str:
    """How a document is named in messages."""
    return filename or "input"


def one_line(text: object, *, limit: int = 200) -> str:
    """A message fragment on one line, cut to ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def skip_bom_and_space(head: bytes) -> bytes:
    """The head without a UTF-8 BOM and leading ASCII whitespace."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.lstrip(b" \t\r\n")
