from __future__ import annotations

from medtrust.domain.asset import AssetData, AssetStatus, Criticality
from medtrust.inventory.dedupe import IdentityIndex, KnownAsset, dedupe_rows
from medtrust.inventory.fields import AssetField
from medtrust.inventory.mapping import ColumnMapping
from medtrust.inventory.report import IssueSeverity
from medtrust.inventory.rows import NormalisedRow, RowNormaliser

HEADERS = ("Tag", "Serial", "MAC", "IP", "Crit", "State", "Site")
MAPPING = ColumnMapping.build(
    {
        AssetField.ASSET_TAG: "Tag",
        AssetField.SERIAL_NUMBER: "Serial",
        AssetField.MAC_ADDRESS: "MAC",
        AssetField.IP_ADDRESS: "IP",
        AssetField.CRITICALITY: "Crit",
        AssetField.STATUS: "State",
    },
    defaults={AssetField.SITE: "North"},
    values={AssetField.CRITICALITY: {"A": "life-sustaining"}},
)


def _row(n: int, *cells: str | None) -> NormalisedRow:
    return RowNormaliser(MAPPING, HEADERS).normalise(n, list(cells))


def test_a_good_row() -> None:
    row = _row(2, "T-1", "SN 1", "00-1A-2B-3C-4D-5E", "dhcp", "A", "active", None)
    assert row.issues == ()
    assert row.data is not None
    assert row.data.mac_address == "00:1a:2b:3c:4d:5e"
    assert row.data.ip_address is None
    assert row.data.criticality is Criticality.LIFE_SUSTAINING
    assert row.data.status is AssetStatus.IN_USE
    assert row.data.location.site == "North"  # default of the mapping


def test_rejections_and_warnings_say_where() -> None:
    row = _row(7, None, "n/a", "zz", "10.1", "urgent", "gone", None)
    assert row.data is None
    codes = {(i.code, i.severity, i.column) for i in row.issues}
    assert ("bad-mac", IssueSeverity.ERROR, "MAC") in codes
    assert ("bad-criticality", IssueSeverity.ERROR, "Crit") in codes
    assert ("bad-status", IssueSeverity.ERROR, "State") in codes
    assert ("bad-ip", IssueSeverity.WARNING, "IP") in codes
    assert all(i.row == 7 for i in row.issues)
    assert [i.severity for i in row.issues] == sorted(
        (i.severity for i in row.issues), key=lambda s: s != IssueSeverity.ERROR
    )


def test_no_identifier_rejects_and_too_long_values_are_not_truncated() -> None:
    assert {i.code for i in _row(2, "-", "unknown", None, None, None, None, None).issues} == {
        "no-identifier"
    }
    long_row = _row(3, "T" * 101, "S", None, None, None, None, None)
    assert long_row.data is None
    assert long_row.issues[0].code == "too-long"


def test_formula_cells_are_kept_as_text_with_a_warning() -> None:
    row = _row(2, "=cmd|' /C calc'!A0", "S9", None, None, None, None, None)
    assert row.data is not None and row.data.asset_tag == "=cmd|' /C calc'!A0"
    assert [i.code for i in row.issues] == ["formula-cell"]


def test_dedupe_keeps_exact_duplicates_once_and_rejects_conflicts() -> None:
    rows = [
        _row(2, "T-1", "S1", None, None, None, None, None),
        _row(3, "t 1", "S1", None, None, None, None, None),  # same tag key, different text
        _row(4, "T-2", "S2", None, None, None, None, None),
        _row(5, "T-2", "S2", None, None, None, None, None),  # exact duplicate
        _row(6, "T-3", "S3", "00:00:00:00:00:01", None, None, None, None),
        _row(7, "T-4", "S4", "00:00:00:00:00:01", None, None, None, None),  # MAC shared
        _row(8, "T-5", "S5", None, None, None, None, None),
    ]
    out = dedupe_rows(rows)
    assert [r.row for r in out.kept] == [4, 8]
    assert out.duplicates == 1 and out.conflicts == 4
    by_row = {i.row: i for i in out.issues}
    assert by_row[5].code == "duplicate" and by_row[5].severity is IssueSeverity.WARNING
    assert by_row[2].code == "conflict" and "asset_tag" in by_row[2].message
    assert "row(s) 7" in by_row[6].message


def test_identity_index_matches_and_detects_contradictions() -> None:
    index = IdentityIndex(
        [KnownAsset(1, "T-1", "S1", "00:00:00:00:00:01"), KnownAsset(2, "T-2", "S2", None)]
    )
    assert index.resolve(2, AssetData(asset_tag="t-1")).asset_id == 1
    assert index.resolve(2, AssetData(serial_number="s 2")).asset_id == 2
    assert index.resolve(2, AssetData(asset_tag="T-9")).asset_id is None
    both = index.resolve(3, AssetData(asset_tag="T-1", serial_number="S2"))
    assert both.asset_id is None and both.issue is not None
    assert "asset #1" in both.issue.message and "asset #2" in both.issue.message
    retag = index.resolve(4, AssetData(asset_tag="T-7", serial_number="S1"))
    assert retag.issue is not None and "whose asset tag is 'T-1'" in retag.issue.message
    nic = index.resolve(5, AssetData(asset_tag="T-1", mac_address="00:00:00:00:00:02"))
    assert nic.asset_id == 1
    assert nic.issue is not None and nic.issue.severity is IssueSeverity.WARNING
