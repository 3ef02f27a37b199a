"""The reader Protocol every feed format implements, and what readers yield."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from medtrust.domain.advisory import Advisory
from medtrust.domain.vex import VexStatement
from medtrust.domain.vulnerability import EpssScore, FeedKind, KevEntry, Skipped, Vulnerability
from medtrust.feeds.readers.values import JsonObject, RecordError

#: everything a feed reader can yield
FeedRecord = Vulnerability | Advisory | VexStatement | KevEntry | EpssScore | Skipped


class FeedReader(Protocol):
    """Reads one feed format from the bytes of one file (or archive member).

    ``detect`` looks at the start of the content (``head``, at least the first 64 KiB, or all
    of a smaller file) and the origin name; ``read`` yields records lazily, one at a time, and
    turns every per-record problem into a :class:`Skipped` value instead of raising.
    """

    @property
    def name(self) -> str:
        """Stable registry key (lowercase kebab)."""
        ...

    @property
    def kind(self) -> FeedKind:
        """The feed kind recorded on the records."""
        ...

    def detect(self, origin: str, head: bytes) -> bool:
        """Whether this reader understands the content."""
        ...

    def read(self, origin: str, data: bytes) -> Iterator[FeedRecord]:
        """Yield the records of one file (or archive member)."""
        ...


def each_record(
    source: str,
    items: Iterable[tuple[str, object]],
    convert: Callable[[str, JsonObject], FeedRecord],
) -> Iterator[FeedRecord]:
    """Convert ``(origin, item)`` pairs one by one; a failing item becomes a ``Skipped``."""
    for origin, item in items:
        if not isinstance(item, dict):
            yield Skipped(source, origin, "not-an-object", f"record is {type(item).__name__}")
            continue
        try:
            yield convert(origin, item)
        except RecordError as exc:
            yield Skipped(source, origin, exc.reason, exc.detail)


def skipped_document(source: str, origin: str, exc: RecordError) -> Skipped:
    """The ``Skipped`` value for a whole document that could not be parsed."""
    return Skipped(source, origin, exc.reason, exc.detail)
