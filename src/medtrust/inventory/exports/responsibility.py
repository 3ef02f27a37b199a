"""Shared-responsibility views as register tables (xlsx, PDF, CSV, JSON) and JSON-ready dicts.

For contracts and audits: who the product version is (manufacturer, product, version), which
MDS2 disclosure the matrix rests on (id, revision, issue date), when it was generated, and per
TR 80001-2-2 capability what the manufacturer provides, what the device leaves open, what the
hospital must do, the asset's operational status and the MDS2 questions behind it. The MDCG
2019-16 Annex I operator measures follow as the hospital's own rows. Rendering goes through
:mod:`medtrust.inventory.exports.formats`, which neutralises formula-like cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.compliance.org_views import capability_dict, requirement_status_dict
from medtrust.compliance.responsibility import CapabilityRow, ResponsibilityMatrix
from medtrust.inventory.exports.table import RegisterTable
from medtrust.inventory.responsibility_ops import (
    AssetResponsibility,
    AssetRow,
    OperationalStatus,
    VersionResponsibility,
)

VERSION_COLUMNS = (
    "Capability (IEC TR 80001-2-2)",
    "Carried by",
    "Manufacturer provides (MDS2)",
    "Left open by the device (MDS2)",
    "Unknown: ask the manufacturer",
    "Hospital must do",
    "MDS2 questions",
)
ASSET_COLUMNS = (*VERSION_COLUMNS[:6], "Operational status (this asset)", VERSION_COLUMNS[6])
VERSION_WIDTHS = (1.6, 0.8, 2.6, 2.2, 1.4, 3.0, 1.4)
ASSET_WIDTHS = (1.4, 0.7, 2.2, 1.9, 1.2, 2.6, 3.0, 1.2)
OPERATOR_NOTE = "MDCG 2019-16 Annex I operator measure"


def slug(text: str) -> str:
    """A file-name-safe form of a label (ASCII letters, digits, dot, dash, underscore)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")[:60] or "item"


def _described(ids: Iterable[str], descriptions: Mapping[str, str]) -> str:
    return "; ".join(f"{q} {descriptions.get(q, '')}".strip() for q in ids)


def _descriptions() -> dict[str, str]:
    return {q.id: q.description for q in load_mds2_catalogue().questions}


def operational_text(statuses: Iterable[OperationalStatus]) -> str:
    """Statuses as one cell: ``[state] text`` joined with `` | ``."""
    return " | ".join(f"[{s.state.value}] {s.text}" for s in statuses)


def _capability_cells(row: CapabilityRow, descriptions: Mapping[str, str]) -> list[str]:
    return [
        f"{row.capability.ref_id} {row.capability.name}",
        row.party.value,
        _described(row.provided, descriptions),
        _described(row.open, descriptions),
        _described(row.unknown, descriptions),
        row.hospital_action,
    ]


def _operator_rows(matrix: ResponsibilityMatrix, width: int) -> list[tuple[str, ...]]:
    rows = []
    for m in matrix.operator_measures:
        name = m.node.name if m.node.name != m.node.ref_id else ""
        status = m.status.label if m.status else "open"
        cells = [
            f"{m.node.ref_id} {name} ({OPERATOR_NOTE})".replace("  ", " "),
            "hospital",
            "",
            "",
            "",
            f"{m.node.description or name}; self-assessment status: {status} ({m.explanation})",
        ]
        rows.append(tuple(cells + [""] * (width - len(cells))))
    return rows


def _version_summary(view: VersionResponsibility) -> list[str]:
    pv = view.product_version
    lines = [
        f"Manufacturer: {pv.manufacturer}",
        f"Product: {pv.product}",
        f"Version: {pv.version}",
        f"Source: {view.disclosure_label}",
    ]
    if view.matrix is None:
        lines.append("Matrix: none - upload the product version's MDS2 disclosure to compute it")
    else:
        counts = ", ".join(f"{k} {n}" for k, n in view.matrix.party_counts().items())
        lines.append(f"Capabilities carried by: {counts}")
        lines.append(
            "Basis: MDS2 (HN 1-2019) answers mapped onto IEC TR 80001-2-2 capabilities; operator "
            "measures of MDCG 2019-16 rev.1 Annex I with the NIS2 self-assessment status"
        )
    return lines


def version_table(view: VersionResponsibility) -> RegisterTable:
    """A product version's matrix as a register table."""
    rows: list[tuple[str, ...]] = []
    if view.matrix is not None:
        descriptions = _descriptions()
        for row in view.matrix.capabilities:
            questions = sorted({*row.provided, *row.open, *row.unknown, *row.not_applicable})
            rows.append((*_capability_cells(row, descriptions), ", ".join(questions)))
        rows.extend(_operator_rows(view.matrix, len(VERSION_COLUMNS)))
    return RegisterTable(
        title=f"Shared responsibility: {view.product_version.label}",
        generated_at=view.generated_at,
        summary=tuple(_version_summary(view)),
        columns=VERSION_COLUMNS,
        rows=tuple(rows),
        widths=VERSION_WIDTHS,
    )


def _asset_summary(view: AssetResponsibility) -> list[str]:
    a, d = view.asset, view.asset.data
    lines = [
        f"Asset: {a.label} ({d.device_label}); serial {d.serial_number or '-'}",
        f"Location: {d.location.label or '-'}; criticality {d.criticality.value}",
        f"Network zone: {d.network_zone or 'not recorded'}"
        + (f", VLAN {d.vlan}" if d.vlan else ""),
        f"Lifecycle: {view.lifecycle.status.value}"
        + (
            f", decisive end of support {view.lifecycle.decisive.explanation}"
            if view.lifecycle.decisive
            else ""
        ),
    ]
    if view.version is None:
        lines.append("Product version: not linked - link the asset to compute the matrix")
        return lines
    lines.append(f"Product version link: {a.link_state.value}")
    lines.extend(_version_summary(view.version))
    if view.rows:
        counts = ", ".join(f"{k} {n}" for k, n in view.state_counts().items())
        lines.append(f"Operational statuses: {counts}")
    return lines


def _asset_row(item: AssetRow, descriptions: Mapping[str, str]) -> tuple[str, ...]:
    return (
        *_capability_cells(item.row, descriptions),
        operational_text(item.operational),
        ", ".join(item.questions),
    )


def asset_table(view: AssetResponsibility) -> RegisterTable:
    """An asset's matrix with its operational statuses as a register table."""
    rows: list[tuple[str, ...]] = []
    if view.rows:
        descriptions = _descriptions()
        rows.extend(_asset_row(item, descriptions) for item in view.rows)
    if view.version is not None and view.version.matrix is not None:
        rows.extend(_operator_rows(view.version.matrix, len(ASSET_COLUMNS)))
    return RegisterTable(
        title=f"Shared responsibility: asset {view.asset.label}",
        generated_at=view.generated_at,
        summary=tuple(_asset_summary(view)),
        columns=ASSET_COLUMNS,
        rows=tuple(rows),
        widths=ASSET_WIDTHS,
    )


# --- JSON ----------------------------------------------------------------------------------------


def version_dict(view: VersionResponsibility) -> dict[str, Any]:
    """A product version's matrix, JSON-ready."""
    pv, d = view.product_version, view.disclosure
    return {
        "product_version": {
            "id": pv.id,
            "manufacturer": pv.manufacturer,
            "product": pv.product,
            "version": pv.version,
            "label": pv.label,
        },
        "state": "ok" if view.matrix is not None else "no-mds2",
        "disclosure": (
            {
                "id": d.id,
                "revision": d.revision,
                "issued": view.issued,
                "uploaded_at": d.uploaded_at.isoformat(),
            }
            if d is not None
            else None
        ),
        "source": view.disclosure_label,
        "generated_at": view.generated_at.isoformat(),
        "party_counts": view.matrix.party_counts() if view.matrix else None,
        "capabilities": (
            [capability_dict(r) for r in view.matrix.capabilities] if view.matrix else []
        ),
        "operator_measures": (
            [requirement_status_dict(m) for m in view.matrix.operator_measures]
            if view.matrix
            else []
        ),
    }


def _status_dict(status: OperationalStatus) -> dict[str, Any]:
    return {
        "rule": status.rule,
        "state": status.state.value,
        "text": status.text,
        "questions": list(status.questions),
    }


def asset_dict(view: AssetResponsibility) -> dict[str, Any]:
    """An asset's matrix with operational statuses, JSON-ready."""
    a, lc = view.asset, view.lifecycle
    base = version_dict(view.version) if view.version else {"capabilities": []}
    capabilities = [
        {
            **capability_dict(item.row),
            "operational": [_status_dict(s) for s in item.operational],
            "questions": list(item.questions),
        }
        for item in view.rows
    ]
    return {
        "asset": {
            "id": a.id,
            "label": a.label,
            "asset_tag": a.data.asset_tag,
            "network_zone": a.data.network_zone,
            "vlan": a.data.vlan,
            "link_state": a.link_state.value,
        },
        "lifecycle": {
            "status": lc.status.value,
            "decisive": lc.decisive.explanation if lc.decisive else None,
            "compensations": [c.explanation for c in lc.compensations],
        },
        "state": view.state,
        "product_version": base.get("product_version"),
        "disclosure": base.get("disclosure"),
        "source": base.get("source"),
        "generated_at": view.generated_at.isoformat(),
        "party_counts": base.get("party_counts"),
        "state_counts": view.state_counts(),
        "capabilities": capabilities,
        "operator_measures": base.get("operator_measures", []),
    }
