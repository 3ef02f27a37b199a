"""Registers as plain tables (title, columns, text rows), built from domain objects.

Every exporter renders a :class:`RegisterTable`, so the inventory and the legacy register come
out identically in every format. Cells are text as stored; the exporters neutralise
formula-like cells (see :func:`medtrust.inventory.normalise.neutralise_cell`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from medtrust.domain.asset import Asset, LegacyRegister


@dataclass(frozen=True, slots=True)
class RegisterTable:
    """A titled table with summary lines."""

    title: str
    generated_at: datetime
    summary: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: relative column widths (for PDF)
    widths: tuple[float, ...]


def _t(value: object) -> str:
    return "" if value is None else str(value)


def _asset_cells(asset: Asset) -> tuple[str, ...]:
    d = asset.data
    return (
        _t(d.asset_tag),
        _t(d.serial_number),
        d.device_label,
        _t(d.software_version),
        asset.product_version.label if asset.product_version else f"({asset.link_state.value})",
        d.location.label,
        _t(d.network_zone),
        d.criticality.value,
        d.status.value,
        _t(d.operating_system),
        _t(d.mac_address),
        _t(d.ip_address),
        _t(d.hostname),
    )


INVENTORY_COLUMNS = (
    "Asset tag",
    "Serial number",
    "Device (as in source)",
    "Software version",
    "Product version",
    "Location",
    "Network zone",
    "Criticality",
    "Status",
    "Operating system",
    "MAC address",
    "IP address",
    "Hostname",
)


def inventory_table(assets: Sequence[Asset], *, generated_at: datetime) -> RegisterTable:
    """The inventory register."""
    return RegisterTable(
        title="Medical device inventory",
        generated_at=generated_at,
        summary=(f"{len(assets)} asset(s)",),
        columns=INVENTORY_COLUMNS,
        rows=tuple(_asset_cells(a) for a in assets),
        widths=(1.2, 1.2, 2.2, 1.0, 2.2, 2.0, 1.1, 1.1, 0.8, 1.4, 1.3, 1.1, 1.2),
    )


LEGACY_COLUMNS = (
    "Status",
    "End of support",
    "Source",
    "Asset tag",
    "Serial number",
    "Device",
    "Product version",
    "Location",
    "Criticality",
    "Operating system",
    "Network zone",
    "Compensating measures",
    "Reasons",
)


def legacy_table(register: LegacyRegister) -> RegisterTable:
    """The legacy register: assets past or near end of support and what compensates."""
    rows = []
    for entry in register.entries:
        a, lc = entry.asset, entry.assessment
        d = a.data
        rows.append(
            (
                lc.status.value,
                lc.decisive.date.isoformat() if lc.decisive else "",
                lc.decisive.source.value if lc.decisive else "",
                _t(d.asset_tag),
                _t(d.serial_number),
                d.device_label,
                a.product_version.label if a.product_version else "(not linked)",
                d.location.label,
                d.criticality.value,
                _t(d.operating_system),
                _t(d.network_zone),
                "; ".join(c.explanation for c in lc.compensations) or "none recorded",
                " | ".join(lc.reasons),
            )
        )
    counts = ", ".join(f"{k}: {v}" for k, v in sorted(register.counts.items()))
    return RegisterTable(
        title="Legacy device register",
        generated_at=register.generated_at,
        summary=(
            f"as of {register.today.isoformat()}, horizon {register.horizon_days} days",
            f"{len(register.entries)} asset(s) listed; all assets by support status: {counts}",
        ),
        columns=LEGACY_COLUMNS,
        rows=tuple(rows),
        widths=(0.8, 1.0, 0.9, 1.0, 1.0, 1.8, 1.8, 1.6, 1.0, 1.3, 1.0, 2.6, 3.5),
    )
