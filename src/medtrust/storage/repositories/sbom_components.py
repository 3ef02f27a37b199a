"""The stored components of an organisation's SBOMs and their matching keys.

An SBOM's components are stored when it is uploaded, so an exposure evaluation reads them
instead of parsing thousands of documents again; the matching keys (purl package, CPE
part/vendor/product, normalised names) let an incremental evaluation find the product versions
a changed knowledge-base record can touch. Every statement is scoped to the organisation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from medtrust.domain.component import Component, ComponentType
from medtrust.storage import exposure_models as em
from medtrust.storage.bulk import insert_dicts
from medtrust.storage.sbom_models import StoredSbom


def _cut(value: str | None, size: int) -> str | None:
    return None if value is None else value[:size]


@dataclass(frozen=True, slots=True)
class VersionSbom:
    """The SBOM an evaluation uses for a product version (its latest upload)."""

    product_version_id: int
    sbom_id: int
    source_name: str
    embedded_vex: int
    has_components: bool


class SbomComponentRepository:
    """Stored SBOM components and keys, always scoped to ``organisation_id``."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    def store_components(
        self, sbom_id: int, components: Sequence[Component], keys: Collection[str]
    ) -> None:
        """Replace the stored components and matching keys of one SBOM of this organisation."""
        owner = self._session.scalar(
            select(StoredSbom.id).where(
                StoredSbom.id == sbom_id, StoredSbom.organisation_id == self._org
            )
        )
        if owner is None:
            raise KeyError(sbom_id)
        for model in (em.SbomComponent, em.SbomComponentKey):
            self._session.execute(
                delete(model).where(model.organisation_id == self._org, model.sbom_id == sbom_id)
            )
        rows = [
            {
                "organisation_id": self._org,
                "sbom_id": sbom_id,
                "position": position,
                "bom_ref": c.bom_ref[:500],
                "type": c.type.value,
                "name": c.name[:500],
                "version": _cut(c.version, 200),
                "group": _cut(c.group, 300),
                "supplier": _cut(c.supplier, 300),
                "purl": _cut(c.purl, 1000),
                "cpe": _cut(c.cpe, 1000),
            }
            for position, c in enumerate(components)
        ]
        insert_dicts(self._session, em.SbomComponent, rows)
        key_rows = [
            {"organisation_id": self._org, "sbom_id": sbom_id, "key": k[:600]}
            for k in sorted({k[:600] for k in keys})
        ]
        insert_dicts(self._session, em.SbomComponentKey, key_rows)

    def version_sboms(self, product_version_ids: Collection[int] | None) -> list[VersionSbom]:
        """The latest SBOM of each product version (all versions when ``None``)."""
        s = StoredSbom
        latest = (
            select(s.product_version_id, func.max(s.id).label("sbom_id"))
            .where(s.organisation_id == self._org, s.product_version_id.is_not(None))
            .group_by(s.product_version_id)
        )
        if product_version_ids is not None:
            latest = latest.where(s.product_version_id.in_(sorted(product_version_ids)))
        sub = latest.subquery()
        has = (
            select(em.SbomComponent.sbom_id)
            .where(em.SbomComponent.organisation_id == self._org)
            .distinct()
            .subquery()
        )
        stmt = (
            select(s.product_version_id, s.id, s.source_name, s.embedded_vex, has.c.sbom_id)
            .join(sub, sub.c.sbom_id == s.id)
            .outerjoin(has, has.c.sbom_id == s.id)
            .order_by(s.product_version_id)
        )
        return [
            VersionSbom(pv, sid, name, vex or 0, marker is not None)
            for pv, sid, name, vex, marker in self._session.execute(stmt)
        ]

    def sbom_content(self, sbom_id: int) -> bytes | None:
        """The stored bytes of an SBOM of this organisation."""
        return self._session.scalar(
            select(StoredSbom.content).where(
                StoredSbom.id == sbom_id, StoredSbom.organisation_id == self._org
            )
        )

    def components(self, sbom_ids: Collection[int]) -> dict[int, list[Component]]:
        """Stored components per SBOM, in document order."""
        connection = self._session.connection()
        quote = connection.dialect.identifier_preparer.quote
        marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        columns = ("sbom_id", "bom_ref", "type", "name", "version", "group", "supplier", "purl")
        column_list = ", ".join(quote(n) for n in (*columns, "cpe"))
        rows: list[tuple[Any, ...]] = []
        ids = sorted(sbom_ids)
        # the driver's own tuples (strings and integers need no conversion): an evaluation
        # reads hundreds of thousands of rows, and result rows would cost a third more
        cursor = connection.connection.cursor()
        try:
            for start in range(0, len(ids), 900):
                part = ids[start : start + 900]
                in_list = ", ".join([marker] * len(part))
                # our own table and columns, quoted; every value is a bound parameter
                cursor.execute(
                    f"SELECT {column_list} FROM sbom_component"  # noqa: S608
                    f" WHERE organisation_id = {marker} AND sbom_id IN ({in_list})"
                    " ORDER BY sbom_id, position",
                    (self._org, *part),
                )
                rows.extend(cursor.fetchall())
        finally:
            cursor.close()
        types = {t.value: t for t in ComponentType}
        # one object per distinct stored component: versions of a product line repeat most
        # of theirs, and components are immutable
        made: dict[tuple[Any, ...], Component] = {}
        found: dict[int, list[Component]] = defaultdict(list)
        for row in rows:
            key = row[1:]
            component = made.get(key)
            if component is None:
                ref, kind, name, version, group, supplier, purl, cpe = key
                component = made[key] = Component(
                    bom_ref=ref,
                    type=types[kind],
                    name=name,
                    version=version,
                    group=group,
                    supplier=supplier,
                    purl=purl,
                    cpe=cpe,
                )
            found[row[0]].append(component)
        return found

    def versions_with_keys(self, keys: Collection[str]) -> set[int]:
        """Product versions whose latest SBOM has one of the matching keys."""
        k = em.SbomComponentKey
        wanted = sorted(keys)
        found: set[int] = set()
        for start in range(0, len(wanted), 900):
            stmt = (
                select(StoredSbom.product_version_id)
                .join(k, k.sbom_id == StoredSbom.id)
                .where(
                    k.organisation_id == self._org,
                    StoredSbom.organisation_id == self._org,
                    StoredSbom.product_version_id.is_not(None),
                    k.key.in_(wanted[start : start + 900]),
                )
                .distinct()
            )
            found.update(pv for pv in self._session.scalars(stmt) if pv is not None)
        return found
