"""De-duplication by asset tag, serial number and MAC address.

Within one file, rows sharing any identifier form a group (transitively). A group whose rows
carry identical data is one asset listed several times: the first row is kept and the others
are reported as duplicates. A group whose rows disagree is a conflict: every row of it is
rejected with the differing fields named, because picking one would be a guess.

Against the stored inventory, a row matches the asset its identifiers point to. Identifiers
pointing to two different assets, or an asset tag or serial number that contradicts the matched
asset's, reject the row; a changed MAC address (a replaced network card) is a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from medtrust.domain.asset import AssetData
from medtrust.inventory.normalise import identifier_key
from medtrust.inventory.report import RowIssue, error, warning
from medtrust.inventory.rows import NormalisedRow

_KEY_NAMES = {"t": "asset tag", "s": "serial number", "m": "MAC address"}


@dataclass(frozen=True, slots=True)
class IdentityKeys:
    """Comparison keys of an asset's identifiers (``None`` when absent)."""

    tag: str | None
    serial: str | None
    mac: str | None

    @classmethod
    def of(cls, tag: str | None, serial: str | None, mac: str | None) -> IdentityKeys:
        """Keys from raw identifier values."""
        return cls(
            identifier_key(tag) if tag else None,
            identifier_key(serial) if serial else None,
            mac.lower() if mac else None,
        )

    @classmethod
    def of_data(cls, data: AssetData) -> IdentityKeys:
        """Keys of imported data."""
        return cls.of(data.asset_tag, data.serial_number, data.mac_address)

    def tagged(self) -> list[str]:
        """Keys prefixed by kind (``t:``, ``s:``, ``m:``), strongest first."""
        pairs = (("t", self.tag), ("s", self.serial), ("m", self.mac))
        return [f"{kind}:{value}" for kind, value in pairs if value]


@dataclass(frozen=True, slots=True)
class DedupeOutcome:
    """Rows to apply, and what happened to the others."""

    kept: tuple[NormalisedRow, ...]
    issues: tuple[RowIssue, ...]
    duplicates: int
    conflicts: int


def _differing(rows: Sequence[NormalisedRow]) -> list[str]:
    first = rows[0].data
    assert first is not None
    names = []
    for f in fields(AssetData):
        values = {getattr(r.data, f.name) for r in rows}
        if len(values) > 1:
            names.append(f.name)
    return names


def dedupe_rows(rows: Sequence[NormalisedRow]) -> DedupeOutcome:
    """Group accepted rows by shared identifiers; keep exact duplicates once, reject conflicts."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for index, row in enumerate(rows):
        assert row.data is not None
        for key in IdentityKeys.of_data(row.data).tagged():
            other = first_with.setdefault(key, index)
            if other != index:
                a, b = find(other), find(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for index in range(len(rows)):
        groups.setdefault(find(index), []).append(index)
    kept: list[NormalisedRow] = []
    issues: list[RowIssue] = []
    duplicates = conflicts = 0
    for root in sorted(groups):
        members = [rows[i] for i in groups[root]]
        if len(members) == 1:
            kept.append(members[0])
            continue
        differing = _differing(members)
        if not differing:
            kept.append(members[0])
            for dup in members[1:]:
                duplicates += 1
                issues.append(
                    warning(
                        dup.row,
                        "duplicate",
                        f"same asset as row {members[0].row} with identical data; imported once",
                    )
                )
            continue
        numbers = [m.row for m in members]
        for member in members:
            conflicts += 1
            others = ", ".join(str(n) for n in numbers if n != member.row)
            issues.append(
                error(
                    member.row,
                    "conflict",
                    f"shares an identifier with row(s) {others} but "
                    f"differs in {', '.join(differing)}; fix the source and import again",
                )
            )
    kept.sort(key=lambda r: r.row)
    return DedupeOutcome(tuple(kept), tuple(issues), duplicates, conflicts)


@dataclass(frozen=True, slots=True)
class KnownAsset:
    """Identifiers of a stored asset, for matching."""

    id: int
    asset_tag: str | None
    serial_number: str | None
    mac_address: str | None


@dataclass(frozen=True, slots=True)
class Resolution:
    """Which stored asset a row updates (``None``: a new asset), or why it cannot."""

    asset_id: int | None
    issue: RowIssue | None


class IdentityIndex:
    """Stored assets by identifier key."""

    def __init__(self, assets: Iterable[KnownAsset]) -> None:
        self._by_key: dict[str, int] = {}
        self._assets: dict[int, KnownAsset] = {}
        for asset in assets:
            self.add(asset)

    def add(self, asset: KnownAsset) -> None:
        """Index an asset (a newer entry for a key wins)."""
        self._assets[asset.id] = asset
        keys = IdentityKeys.of(asset.asset_tag, asset.serial_number, asset.mac_address)
        for key in keys.tagged():
            self._by_key[key] = asset.id

    def resolve(self, row: int, data: AssetData) -> Resolution:
        """Match a row's identifiers to at most one stored asset, consistently."""
        keys = IdentityKeys.of_data(data)
        hits = [(key, self._by_key[key]) for key in keys.tagged() if key in self._by_key]
        ids = sorted({asset_id for _, asset_id in hits})
        if not ids:
            return Resolution(None, None)
        if len(ids) > 1:
            described = "; ".join(
                f"{_KEY_NAMES[key[0]]} {key[2:]!r} is asset #{asset_id}" for key, asset_id in hits
            )
            return Resolution(
                None,
                error(
                    row,
                    "identity-conflict",
                    f"identifiers point to different stored assets: {described}",
                ),
            )
        asset = self._assets[ids[0]]
        stored = IdentityKeys.of(asset.asset_tag, asset.serial_number, asset.mac_address)
        for name, new, old, shown in (
            ("asset tag", keys.tag, stored.tag, asset.asset_tag),
            ("serial number", keys.serial, stored.serial, asset.serial_number),
        ):
            if new and old and new != old:
                return Resolution(
                    None,
                    error(
                        row,
                        "identity-conflict",
                        f"matches asset #{asset.id}, whose {name} is {shown!r}, not this row's",
                    ),
                )
        if keys.mac and stored.mac and keys.mac != stored.mac:
            return Resolution(
                asset.id,
                warning(
                    row,
                    "mac-changed",
                    f"asset #{asset.id}'s MAC "
                    f"address changes from {asset.mac_address} to "
                    f"{data.mac_address}",
                ),
            )
        return Resolution(asset.id, None)
