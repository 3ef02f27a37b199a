from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.incidents.chain import (
    GENESIS,
    LogRecord,
    entry_hash,
    format_instant,
    next_record,
    verify_chain,
)

T = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
payloads = st.dictionaries(
    st.text(min_size=1, max_size=8),
    st.one_of(st.none(), st.booleans(), st.integers(-10, 10), st.text(max_size=12)),
    max_size=4,
)


def build(items: list[dict[str, Any]]) -> list[LogRecord]:
    log: list[LogRecord] = []
    for i, payload in enumerate(items):
        log.append(
            next_record(
                log[-1] if log else None,
                at=T + timedelta(minutes=i),
                actor=f"user{i}@x.example",
                kind="note",
                payload=payload,
            )
        )
    return log


def test_hash_is_sha256_of_the_documented_canonical_json() -> None:
    record = next_record(None, at=T, actor="a@x.example", kind="note", payload={"b": 1, "a": "é"})
    body = (
        '{"actor":"a@x.example","at":"2026-03-02T08:00:00.000000+00:00","kind":"note",'
        '"payload":{"a":"é","b":1},"prev_hash":"' + GENESIS + '","seq":1}'
    )
    assert record.hash == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert record.seq == 1 and record.prev_hash == GENESIS


def test_the_same_instant_in_another_offset_hashes_the_same() -> None:
    cet = T.astimezone(ZoneInfo("Europe/Berlin"))
    args: dict[str, Any] = {
        "seq": 1,
        "actor": "a",
        "kind": "k",
        "payload": {},
        "prev_hash": GENESIS,
    }
    assert entry_hash(at=T, **args) == entry_hash(at=cet, **args)


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        format_instant(datetime(2026, 1, 1))


@given(st.lists(payloads, max_size=6))
def test_an_untouched_chain_verifies(items: list[dict[str, Any]]) -> None:
    log = build(items)
    verdict = verify_chain(log)
    assert verdict.ok
    assert verdict.entries == len(items)
    assert verdict.head == (log[-1].hash if log else None)


@given(
    st.lists(payloads, min_size=1, max_size=6),
    st.data(),
    st.sampled_from(["at", "actor", "kind", "payload", "seq", "prev_hash", "hash"]),
)
def test_any_change_to_any_entry_is_caught_at_that_entry(
    items: list[dict[str, Any]], data: st.DataObject, field: str
) -> None:
    log = build(items)
    index = data.draw(st.integers(0, len(log) - 1))
    original = log[index]
    changed: dict[str, Any] = {
        "at": original.at + timedelta(microseconds=1),
        "actor": original.actor + "x",
        "kind": original.kind + "x",
        "payload": {**original.payload, "tampered": True},
        "seq": original.seq + 1,
        "prev_hash": "f" * 64,
        "hash": "e" * 64,
    }
    log[index] = dataclasses.replace(original, **{field: changed[field]})
    verdict = verify_chain(log)
    assert not verdict.ok
    assert verdict.broken is not None
    if field == "hash" and index < len(log) - 1:
        # a rewritten hash alone breaks the link to the next entry, or the entry itself
        assert verdict.broken.seq in (original.seq, original.seq + 1)
    else:
        expected = changed["seq"] if field == "seq" else original.seq
        assert verdict.broken.seq == expected


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link() -> None:
    log = build([{"n": 1}, {"n": 2}, {"n": 3}])
    forged = next_record(log[0], at=log[1].at, actor=log[1].actor, kind="note", payload={"n": 99})
    log[1] = forged
    verdict = verify_chain(log)
    assert verdict.broken is not None and verdict.broken.seq == 3
    assert "prev_hash" in verdict.broken.reason


def test_removed_and_reordered_entries_are_caught() -> None:
    log = build([{"n": i} for i in range(4)])
    removed = verify_chain([log[0], log[2], log[3]])
    assert removed.broken is not None and removed.broken.seq == 3
    assert "missing or moved" in removed.broken.reason
    swapped = verify_chain([log[1], log[0], *log[2:]])
    assert swapped.broken is not None and swapped.broken.seq == 2


def test_verdict_describes_itself() -> None:
    log = build([{"n": 1}])
    assert verify_chain(log).describe().startswith("log intact: 1 entries, head ")
    bad = [dataclasses.replace(log[0], actor="mallory")]
    assert verify_chain(bad).describe() == (
        "log broken at entry 1: content does not match its hash (entry altered)"
    )
    assert json.dumps(dict(log[0].payload)) == '{"n": 1}'
