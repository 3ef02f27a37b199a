"""Read many feed inputs at once, counting what was read and what was skipped and why."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from medtrust.domain.advisory import Advisory
from medtrust.domain.vex import VexStatement
from medtrust.domain.vulnerability import EpssScore, KevEntry, Skipped, Vulnerability
from medtrust.feeds.readers.base import FeedRecord
from medtrust.feeds.readers.registry import detect_feed, non_record_document
from medtrust.feeds.sources import SOURCE, Member, SourceLimits, iter_members

logger = logging.getLogger(__name__)

#: reader failures that must not stop a batch (a bug or a shape no reader anticipated)
_READER_FAILURES = (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError)


def record_kind(record: FeedRecord) -> str:
    """A short name for the kind of a record: vulnerability, advisory, vex, kev, epss, skipped."""
    if isinstance(record, Vulnerability):
        return "vulnerability"
    if isinstance(record, Advisory):
        return "advisory"
    if isinstance(record, VexStatement):
        return "vex"
    if isinstance(record, KevEntry):
        return "kev"
    if isinstance(record, EpssScore):
        return "epss"
    return "skipped"


@dataclass(slots=True)
class FeedSummary:
    """Counters filled while :func:`read_all` streams: records per (source, kind), skips per
    (source, reason), files per source, bytes read and seconds spent."""

    records: Counter[tuple[str, str]] = field(default_factory=Counter)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)
    files: Counter[str] = field(default_factory=Counter)
    bytes_read: int = 0
    seconds: float = 0.0

    @property
    def total_records(self) -> int:
        """Records read (skips excluded)."""
        return sum(self.records.values())

    @property
    def total_skipped(self) -> int:
        """Records and files skipped."""
        return sum(self.skipped.values())

    def lines(self) -> list[str]:
        """A stable, human-readable report: one line per counter, sorted."""
        out = [
            f"read {self.total_records} records, skipped {self.total_skipped}"
            f" ({self.bytes_read} bytes in {self.seconds:.1f} s)"
        ]
        out += [f"files {source}: {count}" for source, count in sorted(self.files.items())]
        out += [f"records {s}/{k}: {n}" for (s, k), n in sorted(self.records.items())]
        out += [f"skipped {s}/{r}: {n}" for (s, r), n in sorted(self.skipped.items())]
        return out


def read_member(member: Member) -> tuple[str, Iterator[FeedRecord]]:
    """Detect the format of one member: (reader name, its records). Never raises for content."""
    reason = non_record_document(member.data)
    if reason:
        return SOURCE, iter([Skipped(SOURCE, member.origin, "non-record-document", reason)])
    reader = detect_feed(member.origin, member.data)
    if reader is None:
        detail = "no feed reader recognises it"
        return SOURCE, iter([Skipped(SOURCE, member.origin, "unrecognised-format", detail)])
    return reader.name, _guarded(reader.name, reader.read(member.origin, member.data), member)


def _guarded(name: str, records: Iterator[FeedRecord], member: Member) -> Iterator[FeedRecord]:
    try:
        yield from records
    except _READER_FAILURES as exc:
        logger.warning("feed reader %s failed on %s", name, member.origin, exc_info=True)
        yield Skipped(name, member.origin, "reader-error", f"{type(exc).__name__}: {exc}")


def read_all(
    paths: Iterable[Path],
    *,
    summary: FeedSummary | None = None,
    limits: SourceLimits | None = None,
) -> Iterator[FeedRecord]:
    """Stream every record of every input, in input order then member order.

    ``Skipped`` values are yielded too, so the caller sees each one with its origin; the
    optional ``summary`` is updated as records pass (counted under the reader's registry name,
    or ``sources`` for files no reader took). Systemic problems (a missing path, an archive over
    the size limits) raise :class:`medtrust.feeds.errors.FeedError` or
    :class:`~medtrust.feeds.errors.FeedTooLargeError`.
    """
    counters = summary if summary is not None else FeedSummary()
    for path in paths:
        started = time.perf_counter()
        try:
            for item in iter_members(Path(path), limits):
                if isinstance(item, Skipped):
                    counters.skipped[(item.source, item.reason)] += 1
                    yield item
                    continue
                counters.bytes_read += len(item.data)
                source, records = read_member(item)
                counters.files[source] += 1
                for record in records:
                    if isinstance(record, Skipped):
                        counters.skipped[(record.source, record.reason)] += 1
                    else:
                        counters.records[(source, record_kind(record))] += 1
                    yield record
        finally:
            counters.seconds += time.perf_counter() - started
