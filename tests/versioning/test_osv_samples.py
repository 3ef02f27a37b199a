"""Real-data sanity: every version in the shared OSV samples parses in its ecosystem's scheme,
events build ranges, and the key form of each range answers like the compare form."""

from __future__ import annotations

import json

from medtrust.versioning.ranges import VersionRange
from medtrust.versioning.registry import get_scheme, scheme_name_for_ecosystem
from tests.shared_data import shared_file

_SCHEMES_SEEN = {"rpm", "semver"}


def test_osv_sample_ranges_parse_and_agree() -> None:
    root = shared_file("osv/samples")
    checked = 0
    for path in sorted(root.glob("*/*.json")):
        record = json.loads(path.read_text("utf-8"))
        for affected in record.get("affected", []):
            ecosystem = affected.get("package", {}).get("ecosystem", "")
            name = scheme_name_for_ecosystem(ecosystem)
            if name not in _SCHEMES_SEEN:
                continue
            scheme = get_scheme(name)
            for raw in affected.get("ranges", []):
                if raw.get("type") not in ("ECOSYSTEM", "SEMVER"):
                    continue
                events = raw.get("events", [])
                r = VersionRange.from_osv_events(name, events)
                key_range = r.key_range()
                probes = [v for e in events for v in e.values() if v != "0"]
                for probe in probes:
                    assert r.contains(probe) is key_range.contains(scheme.key(probe)), (
                        path.name,
                        probe,
                    )
                    checked += 1
                for event in events:
                    if "fixed" in event:
                        assert not r.contains(event["fixed"]), (path.name, event)
    assert checked > 1000
