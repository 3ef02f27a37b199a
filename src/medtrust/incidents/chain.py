"""The tamper-evident incident log: hash-chained entries and their verification (pure).

Each entry's ``hash`` is the SHA-256 of a canonical JSON text of ``seq``, ``at``, ``actor``,
``kind``, ``payload`` and ``prev_hash`` (keys sorted, no insignificant whitespace, UTF-8). The
first entry's ``prev_hash`` is :data:`GENESIS`. Changing any field of any entry, removing or
reordering entries breaks the chain at that entry or the next; :func:`verify_chain` names the
first broken link.

Truncating the newest entries cannot be detected from the entries alone: compare the head hash
with one kept elsewhere (exports carry it, see ``docs/incidents.md``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """Canonical JSON text: sorted keys, compact separators, non-ASCII kept as UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def format_instant(moment: datetime) -> str:
    """An aware instant as UTC ISO 8601 with microseconds (the form that is hashed)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("log timestamps must be time-zone aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(
    *, seq: int, at: datetime, actor: str, kind: str, payload: Mapping[str, Any], prev_hash: str
) -> str:
    """The SHA-256 hex digest that chains an entry to its predecessor."""
    body = {
        "seq": seq,
        "at": format_instant(at),
        "actor": actor,
        "kind": kind,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One entry of an incident's log."""

    seq: int
    at: datetime
    actor: str
    kind: str
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str


def next_record(
    previous: LogRecord | None, *, at: datetime, actor: str, kind: str, payload: Mapping[str, Any]
) -> LogRecord:
    """The entry that follows ``previous`` (or starts the chain when it is None)."""
    seq = 1 if previous is None else previous.seq + 1
    prev_hash = GENESIS if previous is None else previous.hash
    digest = entry_hash(
        seq=seq, at=at, actor=actor, kind=kind, payload=payload, prev_hash=prev_hash
    )
    return LogRecord(seq, at, actor, kind, payload, prev_hash, digest)


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """The first entry at which the chain does not hold, and why."""

    seq: int
    reason: str


@dataclass(frozen=True, slots=True)
class ChainVerdict:
    """Result of verifying a log."""

    entries: int
    head: str | None
    broken: BrokenLink | None = None

    @property
    def ok(self) -> bool:
        """True when every link holds."""
        return self.broken is None

    def describe(self) -> str:
        """One line for people."""
        if self.broken is None:
            head = self.head[:16] if self.head else "none"
            return f"log intact: {self.entries} entries, head {head}…"
        return f"log broken at entry {self.broken.seq}: {self.broken.reason}"


def verify_chain(records: Sequence[LogRecord]) -> ChainVerdict:
    """Recompute every link in ``seq`` order and report the first one that fails."""
    previous_hash = GENESIS
    for position, record in enumerate(records, start=1):
        if record.seq != position:
            return ChainVerdict(
                len(records),
                None,
                BrokenLink(
                    record.seq, f"expected entry {position} here (entries missing or moved)"
                ),
            )
        if record.prev_hash != previous_hash:
            return ChainVerdict(
                len(records),
                None,
                BrokenLink(record.seq, "prev_hash does not match the previous entry's hash"),
            )
        expected = entry_hash(
            seq=record.seq,
            at=record.at,
            actor=record.actor,
            kind=record.kind,
            payload=record.payload,
            prev_hash=record.prev_hash,
        )
        if expected != record.hash:
            return ChainVerdict(
                len(records),
                None,
                BrokenLink(record.seq, "content does not match its hash (entry altered)"),
            )
        previous_hash = record.hash
    head = records[-1].hash if records else None
    return ChainVerdict(len(records), head)
