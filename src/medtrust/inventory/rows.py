"""Turning one source row into :class:`AssetData`, with a finding for everything changed or
refused.

A row is rejected (errors) when a value cannot be stored faithfully: a malformed MAC address
(it is a de-duplication key), a value longer than its column, a criticality or status outside
the vocabulary, or no identifier at all. Problems that lose nothing important are warnings: an
unparseable IP address is dropped, a formula-like cell is stored as plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from medtrust.domain.asset import AssetData, AssetLocation, AssetStatus, Criticality
from medtrust.inventory.fields import IDENTITY_FIELDS, MAX_LENGTH, AssetField, header_key
from medtrust.inventory.mapping import ColumnMapping
from medtrust.inventory.normalise import (
    clean_text,
    is_formula_like,
    is_placeholder,
    normalise_hostname,
    normalise_ip,
    normalise_mac,
    normalise_udi_di,
    normalise_vlan,
    parse_criticality,
    parse_status,
)
from medtrust.inventory.report import RowIssue, error, warning


@dataclass(frozen=True, slots=True)
class NormalisedRow:
    """The outcome for one row: data (``None`` when rejected) and its findings."""

    row: int
    data: AssetData | None
    issues: tuple[RowIssue, ...]


class RowNormaliser:
    """Applies a column mapping to rows of one file (header positions resolved once)."""

    def __init__(self, mapping: ColumnMapping, headers: Sequence[str]) -> None:
        by_key: dict[str, int] = {}
        for index, header in enumerate(headers):
            by_key.setdefault(header_key(header), index)
        self._positions: list[tuple[AssetField, int, str]] = []
        for field, header in mapping.columns:
            position = by_key.get(header_key(header))
            if position is not None:
                self._positions.append((field, position, headers[position]))
        self._defaults = dict(mapping.defaults)
        self._criticality_map = mapping.value_map(AssetField.CRITICALITY)
        self._status_map = mapping.value_map(AssetField.STATUS)

    @property
    def mapped_fields(self) -> frozenset[AssetField]:
        """Fields filled from a column or a default."""
        return frozenset(f for f, _, _ in self._positions) | frozenset(self._defaults)

    def normalise(self, row: int, cells: Sequence[str | None]) -> NormalisedRow:
        """Normalise one row; ``row`` is the 1-based row number in the file."""
        issues: list[RowIssue] = []
        raw: dict[AssetField, tuple[str, str | None]] = {
            f: (v, None) for f, v in self._defaults.items()
        }
        for field, index, header in self._positions:
            cell = cells[index] if index < len(cells) else None
            if cell is None:
                continue
            text = cell.strip()
            if not text:
                continue
            if is_formula_like(text) and not is_placeholder(text):
                issues.append(
                    warning(
                        row,
                        "formula-cell",
                        "starts like a spreadsheet formula; stored as "
                        "plain text and neutralised on export",
                        column=header,
                        field=field.value,
                    )
                )
            limit = MAX_LENGTH[field]
            if len(text) > limit:
                issues.append(
                    error(
                        row,
                        "too-long",
                        f"{len(text)} characters, more than {limit}",
                        column=header,
                        field=field.value,
                    )
                )
                continue
            raw[field] = (text, header)
        values = _Converter(row, raw, issues, self._criticality_map, self._status_map).run()
        if not any(values.get(f) for f in IDENTITY_FIELDS):
            issues.append(
                error(
                    row,
                    "no-identifier",
                    "no asset tag, serial number or MAC address: the "
                    "asset could not be recognised on the next import",
                )
            )
        issues.sort(key=lambda i: i.sort_key)
        if any(i.severity == "error" for i in issues):
            return NormalisedRow(row, None, tuple(issues))
        return NormalisedRow(row, _to_data(values), tuple(issues))


class _Converter:
    def __init__(
        self,
        row: int,
        raw: dict[AssetField, tuple[str, str | None]],
        issues: list[RowIssue],
        criticality_map: dict[str, str],
        status_map: dict[str, str],
    ) -> None:
        self.row, self.raw, self.issues = row, raw, issues
        self.criticality_map, self.status_map = criticality_map, status_map
        self.values: dict[AssetField, object] = {}

    def _err(self, field: AssetField, column: str | None, code: str, message: str) -> None:
        self.issues.append(error(self.row, code, message, column=column, field=field.value))

    def _warn(self, field: AssetField, column: str | None, code: str, message: str) -> None:
        self.issues.append(warning(self.row, code, message, column=column, field=field.value))

    def run(self) -> dict[AssetField, object]:
        for field, (text, column) in self.raw.items():
            identifier = field in IDENTITY_FIELDS
            if is_placeholder(text, identifier=identifier):
                continue
            handler = _HANDLERS.get(field)
            if handler is None:
                self.values[field] = clean_text(text)
            else:
                handler(self, field, text, column)
        return self.values

    def mac(self, field: AssetField, text: str, column: str | None) -> None:
        try:
            self.values[field] = normalise_mac(text)
        except ValueError as exc:
            self._err(field, column, "bad-mac", str(exc))

    def ip(self, field: AssetField, text: str, column: str | None) -> None:
        try:
            value = normalise_ip(text)
        except ValueError as exc:
            self._warn(field, column, "bad-ip", f"{exc}; the IP address was not stored")
            return
        if value is not None:
            self.values[field] = value

    def hostname(self, field: AssetField, text: str, column: str | None) -> None:
        value, valid = normalise_hostname(text)
        if not valid:
            self._warn(
                field,
                column,
                "odd-hostname",
                f"{text!r} is not a valid DNS name; stored as written",
            )
            value = clean_text(text)
        self.values[field] = value

    def vlan(self, field: AssetField, text: str, column: str | None) -> None:
        self.values[field] = normalise_vlan(text)

    def udi(self, field: AssetField, text: str, column: str | None) -> None:
        value, check_ok = normalise_udi_di(text)
        if check_ok is False:
            self._warn(
                field,
                column,
                "bad-udi-check-digit",
                f"{value} fails the GS1 check digit; stored as written",
            )
        self.values[field] = value

    def criticality(self, field: AssetField, text: str, column: str | None) -> None:
        try:
            self.values[field] = parse_criticality(text, self.criticality_map)
        except ValueError as exc:
            self._err(field, column, "bad-criticality", str(exc))

    def status(self, field: AssetField, text: str, column: str | None) -> None:
        try:
            self.values[field] = parse_status(text, self.status_map)
        except ValueError as exc:
            self._err(field, column, "bad-status", str(exc))


_Handler = Callable[[_Converter, AssetField, str, str | None], None]
_HANDLERS: dict[AssetField, _Handler] = {
    AssetField.MAC_ADDRESS: _Converter.mac,
    AssetField.IP_ADDRESS: _Converter.ip,
    AssetField.HOSTNAME: _Converter.hostname,
    AssetField.VLAN: _Converter.vlan,
    AssetField.UDI_DI: _Converter.udi,
    AssetField.CRITICALITY: _Converter.criticality,
    AssetField.STATUS: _Converter.status,
}


def _text(values: dict[AssetField, object], field: AssetField) -> str | None:
    value = values.get(field)
    return value if isinstance(value, str) else None


def _to_data(values: dict[AssetField, object]) -> AssetData:
    criticality = values.get(AssetField.CRITICALITY, Criticality.UNKNOWN)
    status = values.get(AssetField.STATUS, AssetStatus.IN_USE)
    assert isinstance(criticality, Criticality) and isinstance(status, AssetStatus)
    f = AssetField
    return AssetData(
        asset_tag=_text(values, f.ASSET_TAG),
        serial_number=_text(values, f.SERIAL_NUMBER),
        mac_address=_text(values, f.MAC_ADDRESS),
        ip_address=_text(values, f.IP_ADDRESS),
        hostname=_text(values, f.HOSTNAME),
        location=AssetLocation(
            site=_text(values, f.SITE),
            building=_text(values, f.BUILDING),
            department=_text(values, f.DEPARTMENT),
        ),
        network_zone=_text(values, f.NETWORK_ZONE),
        vlan=_text(values, f.VLAN),
        owner=_text(values, f.OWNER),
        clinical_use=_text(values, f.CLINICAL_USE),
        criticality=criticality,
        status=status,
        manufacturer_text=_text(values, f.MANUFACTURER),
        model_text=_text(values, f.MODEL),
        software_version=_text(values, f.SOFTWARE_VERSION),
        operating_system=_text(values, f.OPERATING_SYSTEM),
        udi_di=_text(values, f.UDI_DI),
    )
