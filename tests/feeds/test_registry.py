"""Registry contract and fuzzing: no input shape makes a reader raise."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtrust.domain.vulnerability import FeedKind, Skipped
from medtrust.errors import UnsupportedFormatError
from medtrust.feeds.batch import read_member
from medtrust.feeds.readers.base import FeedRecord
from medtrust.feeds.readers.registry import get_reader, reader_names, readers
from medtrust.feeds.readers.values import timestamp
from medtrust.feeds.sources import Member


def _records(origin: str, data: bytes) -> list[FeedRecord]:
    return list(read_member(Member(origin, data))[1])


def test_registry_keys_are_unique_sorted_kebab_and_resolve() -> None:
    names = reader_names()
    assert list(names) == sorted(set(names))
    assert len(names) == len(readers())
    for name in names:
        assert name == name.lower()
        assert " " not in name and "_" not in name
        assert get_reader(name).name == name
        assert isinstance(get_reader(name).kind, FeedKind)
    with pytest.raises(UnsupportedFormatError, match="unknown feed format"):
        get_reader("nope")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
_MARKERS = st.sampled_from(
    [
        {"id": "X", "modified": "2024-01-01"},
        {"format": "NVD_CVE", "vulnerabilities": []},
        {"dataType": "CVE_RECORD", "cveMetadata": {"cveId": "CVE-1"}},
        {"document": {"category": "csaf_vex", "tracking": {"id": "T"}}},
        {"catalogVersion": "1"},
        {"@context": "https://openvex.dev/ns/v0.2.0"},
        {"bomFormat": "CycloneDX"},
        {"CVE_Items": []},
    ]
)
_FIELDS = st.sampled_from(
    [
        "affected",
        "vulnerabilities",
        "containers",
        "product_tree",
        "statements",
        "configurations",
        "severity",
        "metrics",
        "CVE_Items",
        "cve",
        "product_status",
        "ranges",
        "cna",
        "adp",
    ]
)


@settings(max_examples=300, deadline=None)
@given(_MARKERS, st.dictionaries(_FIELDS, _JSON, max_size=4))
def test_arbitrary_shapes_never_raise(marker: dict[str, Any], extra: dict[str, Any]) -> None:
    data = json.dumps({**marker, **extra}).encode()
    for record in _records("fuzz.json", data):
        if isinstance(record, Skipped):
            assert record.reason != "reader-error", record


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    for name in ("f.json", "f.yaml", "f.csv"):
        for record in _records(name, b"cve,epss\n" + data if name.endswith("csv") else data):
            assert not isinstance(record, Skipped) or record.reason != "reader-error"


@given(st.text(max_size=40))
def test_timestamps_parse_to_aware_datetimes_or_a_note(value: str) -> None:
    notes: list[str] = []
    parsed = timestamp(value, "field", notes)
    if parsed is None:
        assert notes or not value
    else:
        assert parsed.tzinfo is not None
        assert notes == []


@given(st.datetimes(timezones=st.just(UTC)))
def test_timestamps_round_trip(moment: datetime) -> None:
    assert timestamp(moment.isoformat(), "field", []) == moment
    assert timestamp(moment.replace(tzinfo=None).isoformat(), "field", []) == moment
