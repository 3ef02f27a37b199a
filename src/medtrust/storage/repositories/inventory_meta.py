"""Asset sources (saved mappings), import runs and their row issues, confirmed link rules, and
product-version lifecycle rows, per organisation."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from medtrust.domain.asset import EndOfSupport, SupportSource
from medtrust.inventory.linking import LinkRule
from medtrust.inventory.report import IssueSeverity, RowIssue
from medtrust.storage import inventory_models as im
from medtrust.storage.base import utcnow

_BATCH = 5000


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """An asset source and its saved mapping (``ColumnMapping.to_dict`` form)."""

    id: int
    name: str
    mapping: dict[str, Any]
    updated_at: datetime


class SourceRepository:
    """Asset sources of one organisation."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    @staticmethod
    def _info(row: im.AssetSource) -> SourceInfo:
        return SourceInfo(row.id, row.name, dict(row.mapping), row.updated_at)

    def get_by_name(self, name: str) -> SourceInfo | None:
        """The source called ``name``, or None."""
        row = self._session.scalar(
            select(im.AssetSource).where(
                im.AssetSource.organisation_id == self._org, im.AssetSource.name == name
            )
        )
        return self._info(row) if row else None

    def upsert(self, name: str, mapping: dict[str, Any]) -> SourceInfo:
        """Create the source or replace its mapping."""
        row = self._session.scalar(
            select(im.AssetSource).where(
                im.AssetSource.organisation_id == self._org, im.AssetSource.name == name
            )
        )
        if row is None:
            row = im.AssetSource(organisation_id=self._org, name=name, mapping=mapping)
            self._session.add(row)
        else:
            row.mapping = mapping
            row.updated_at = utcnow()
        self._session.flush()
        return self._info(row)

    def list(self) -> builtins.list[SourceInfo]:
        """All sources by name."""
        rows = self._session.scalars(
            select(im.AssetSource)
            .where(im.AssetSource.organisation_id == self._org)
            .order_by(im.AssetSource.name)
        )
        return [self._info(r) for r in rows]


@dataclass(frozen=True, slots=True)
class ImportRunInfo:
    """A committed import."""

    id: int
    source: str | None
    filename: str | None
    content_digest: str
    reader: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    mapping: dict[str, Any]
    counts: dict[str, int]
    notes: tuple[str, ...]
    imported_by: int | None
    started_at: datetime
    finished_at: datetime


class ImportRunRepository:
    """Import runs and their row issues, of one organisation."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    def add(self, *, source_id: int | None, issues: Sequence[RowIssue], **fields: Any) -> int:
        """Store a run and all its row issues; returns the run id."""
        notes = fields.pop("notes", ())
        row = im.AssetImportRun(
            organisation_id=self._org, source_id=source_id, notes={"notes": list(notes)}, **fields
        )
        self._session.add(row)
        self._session.flush()
        values = [
            {
                "organisation_id": self._org,
                "import_run_id": row.id,
                "row": i.row,
                "severity": i.severity.value,
                "code": i.code,
                "message": i.message,
                "column": i.column[:200] if i.column else None,
                "field": i.field,
            }
            for i in issues
        ]
        for start in range(0, len(values), _BATCH):
            self._session.execute(insert(im.AssetImportIssue), values[start : start + _BATCH])
        return row.id

    def _select(self) -> Any:
        return (
            select(im.AssetImportRun, im.AssetSource.name)
            .outerjoin(im.AssetSource, im.AssetSource.id == im.AssetImportRun.source_id)
            .where(im.AssetImportRun.organisation_id == self._org)
        )

    @staticmethod
    def _info(row: Any) -> ImportRunInfo:
        r: im.AssetImportRun = row[0]
        return ImportRunInfo(
            id=r.id,
            source=row[1],
            filename=r.filename,
            content_digest=r.content_digest,
            reader=r.reader,
            encoding=r.encoding,
            delimiter=r.delimiter,
            sheet=r.sheet,
            header_row=r.header_row,
            mapping=dict(r.mapping),
            counts={k: int(v) for k, v in r.counts.items()},
            notes=tuple(r.notes.get("notes", [])),
            imported_by=r.imported_by_id,
            started_at=r.started_at,
            finished_at=r.finished_at,
        )

    def get(self, run_id: int) -> ImportRunInfo | None:
        """A run of this organisation, or None."""
        row = self._session.execute(self._select().where(im.AssetImportRun.id == run_id)).first()
        return self._info(row) if row else None

    def list(self, *, limit: int = 100) -> builtins.list[ImportRunInfo]:
        """Newest runs first."""
        rows = self._session.execute(
            self._select().order_by(im.AssetImportRun.id.desc()).limit(limit)
        )
        return [self._info(r) for r in rows]

    def issues(
        self, run_id: int, *, offset: int = 0, limit: int | None = None
    ) -> builtins.list[RowIssue]:
        """Row issues of a run in row order."""
        stmt = (
            select(im.AssetImportIssue)
            .where(
                im.AssetImportIssue.organisation_id == self._org,
                im.AssetImportIssue.import_run_id == run_id,
            )
            .order_by(im.AssetImportIssue.row, im.AssetImportIssue.id)
            .offset(offset)
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        return [
            RowIssue(i.row, IssueSeverity(i.severity), i.code, i.message, i.column, i.field)
            for i in self._session.scalars(stmt)
        ]

    def issue_count(self, run_id: int) -> int:
        """Number of issues of a run."""
        return int(
            self._session.scalar(
                select(func.count(im.AssetImportIssue.id)).where(
                    im.AssetImportIssue.organisation_id == self._org,
                    im.AssetImportIssue.import_run_id == run_id,
                )
            )
            or 0
        )


class LinkRuleRepository:
    """Confirmed product links of one organisation."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    def list(self) -> builtins.list[LinkRule]:
        """All rules."""
        rows = self._session.scalars(
            select(im.AssetLinkRule)
            .where(im.AssetLinkRule.organisation_id == self._org)
            .order_by(im.AssetLinkRule.id)
        )
        return [
            LinkRule(r.manufacturer_key, r.model_key, r.version_key, r.product_version_id)
            for r in rows
        ]

    def upsert(self, rule: LinkRule, *, user_id: int | None) -> None:
        """Save a rule (replacing the target of an existing one with the same keys)."""
        row = self._session.scalar(
            select(im.AssetLinkRule).where(
                im.AssetLinkRule.organisation_id == self._org,
                im.AssetLinkRule.manufacturer_key == rule.manufacturer_key,
                im.AssetLinkRule.model_key == rule.model_key,
                im.AssetLinkRule.version_key == rule.version_key,
            )
        )
        if row is None:
            self._session.add(
                im.AssetLinkRule(
                    organisation_id=self._org,
                    manufacturer_key=rule.manufacturer_key[:200],
                    model_key=rule.model_key[:200],
                    version_key=rule.version_key[:100],
                    product_version_id=rule.product_version_id,
                    created_by_id=user_id,
                )
            )
        else:
            row.product_version_id = rule.product_version_id
        self._session.flush()


@dataclass(frozen=True, slots=True)
class LifecycleInfo:
    """Stored lifecycle of a product version."""

    product_version_id: int
    end: EndOfSupport | None
    operating_system: str | None
    updated_at: datetime


class LifecycleRepository:
    """End of support per product version, of one organisation."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    def _row(self, product_version_id: int) -> im.ProductVersionLifecycle | None:
        return self._session.scalar(
            select(im.ProductVersionLifecycle).where(
                im.ProductVersionLifecycle.organisation_id == self._org,
                im.ProductVersionLifecycle.product_version_id == product_version_id,
            )
        )

    def get(self, product_version_id: int) -> LifecycleInfo | None:
        """The lifecycle row of a product version, or None."""
        row = self._row(product_version_id)
        if row is None:
            return None
        end = None
        if row.end_of_support is not None and row.source:
            end = EndOfSupport(row.end_of_support, SupportSource(row.source), row.reference or "")
        return LifecycleInfo(row.product_version_id, end, row.operating_system, row.updated_at)

    def upsert(
        self,
        product_version_id: int,
        *,
        end_of_support: date | None,
        source: SupportSource | None,
        reference: str | None,
        operating_system: str | None,
        user_id: int | None,
    ) -> None:
        """Create or replace the lifecycle of a product version."""
        row = self._row(product_version_id)
        if row is None:
            row = im.ProductVersionLifecycle(
                organisation_id=self._org, product_version_id=product_version_id
            )
            self._session.add(row)
        row.end_of_support = end_of_support
        row.source = source.value if source else None
        row.reference = reference[:300] if reference else None
        row.operating_system = operating_system[:100] if operating_system else None
        row.updated_by_id = user_id
        row.updated_at = utcnow()
        self._session.flush()
