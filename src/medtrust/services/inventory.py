"""Installed-base use cases: preview and import CMMS exports, browse assets, link products.

An import reads the whole file and decides every row before anything is written; the writes
then happen in one transaction (all or nothing). A dry run does the same work and writes
nothing. Re-importing a file updates the assets it identifies (asset tag, serial number, MAC
address) instead of adding them again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from sqlalchemy.exc import IntegrityError

from medtrust.domain.asset import Asset, AssetPage, AssetQuery, LinkState
from medtrust.domain.tenancy import Principal, Role
from medtrust.errors import ConflictError, NotFoundError
from medtrust.inventory.dedupe import IdentityIndex, KnownAsset, dedupe_rows
from medtrust.inventory.errors import InventoryInputError
from medtrust.inventory.fields import IDENTITY_FIELDS
from medtrust.inventory.importers.base import TableInfo
from medtrust.inventory.importers.registry import read_table
from medtrust.inventory.linking import ProductLinker
from medtrust.inventory.mapping import ColumnGuess, ColumnMapping, guess_mapping
from medtrust.inventory.normalise import identifier_key
from medtrust.inventory.report import IssueSeverity, RowIssue, error
from medtrust.inventory.rows import NormalisedRow, RowNormaliser
from medtrust.services.context import ServiceContext, require_role
from medtrust.storage.base import utcnow
from medtrust.storage.repositories.audit import AuditRepository
from medtrust.storage.repositories.disclosures import ProductRepository
from medtrust.storage.repositories.inventory import AssetRepository, data_columns
from medtrust.storage.repositories.inventory_meta import (
    ImportRunInfo,
    ImportRunRepository,
    LinkRuleRepository,
    SourceInfo,
    SourceRepository,
)

#: largest number of data rows accepted in one file
MAX_ROWS = 1_000_000
PREVIEW_ROWS = 10


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """How a file reads and the mapping that would be used (saved for the source, or guessed)."""

    info: TableInfo
    headers: tuple[str, ...]
    guesses: tuple[ColumnGuess, ...]
    mapping: ColumnMapping
    mapping_origin: str  # "saved" or "guessed"
    sample: tuple[tuple[int, tuple[str | None, ...]], ...]
    missing_headers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Outcome of an import or dry run: counts and every row finding."""

    dry_run: bool
    run_id: int | None
    info: TableInfo
    mapping: ColumnMapping
    content_digest: str
    counts: dict[str, int]
    issues: tuple[RowIssue, ...] = field(default=())

    @property
    def rejected_rows(self) -> tuple[int, ...]:
        """Row numbers that were not imported."""
        return tuple(sorted({i.row for i in self.issues if i.severity is IssueSeverity.ERROR}))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _saved_mapping(ctx: ServiceContext, principal: Principal, source: str | None) -> Any:
    if not source:
        return None
    with ctx.transaction() as session:
        found = SourceRepository(session, principal.organisation_id).get_by_name(source)
    return ColumnMapping.from_dict(found.mapping) if found and found.mapping else None


def preview_import(
    ctx: ServiceContext,
    principal: Principal,
    *,
    data: bytes,
    filename: str | None,
    source: str | None = None,
) -> ImportPreview:
    """Read a file's header and first rows; propose a mapping."""
    table = read_table(data, filename=filename)
    sample = []
    for number, cells in table.rows:
        sample.append((number, tuple(cells)))
        if len(sample) >= PREVIEW_ROWS:
            break
    guessed, guesses = guess_mapping(table.headers, [list(c) for _, c in sample])
    saved = _saved_mapping(ctx, principal, source)
    mapping = saved or guessed
    return ImportPreview(
        info=table.info,
        headers=table.headers,
        guesses=guesses,
        mapping=mapping,
        mapping_origin="saved" if saved else "guessed",
        sample=tuple(sample),
        missing_headers=tuple(mapping.missing_headers(table.headers)),
    )


def _check_mapping(mapping: ColumnMapping, headers: tuple[str, ...]) -> None:
    if not any(mapping.column_for(f) or mapping.default_for(f) for f in IDENTITY_FIELDS):
        raise InventoryInputError(
            "the column mapping maps none of asset tag, serial number and MAC address; "
            "assets could not be recognised on re-import"
        )
    missing = mapping.missing_headers(headers)
    if missing:
        raise InventoryInputError(
            f"the file has no column(s) {', '.join(repr(m) for m in missing)} named in the "
            "mapping; check the source or map the columns again"
        )


def _normalise_all(
    table_rows: Any, normaliser: RowNormaliser
) -> tuple[list[NormalisedRow], list[RowIssue], int]:
    accepted: list[NormalisedRow] = []
    issues: list[RowIssue] = []
    read = 0
    for number, cells in table_rows:
        read += 1
        if read > MAX_ROWS:
            raise InventoryInputError(
                f"more than {MAX_ROWS:,} data rows; split the file and import the parts"
            )
        outcome = normaliser.normalise(number, cells)
        issues.extend(outcome.issues)
        if outcome.data is not None:
            accepted.append(outcome)
    return accepted, issues, read


def import_assets(
    ctx: ServiceContext,
    principal: Principal,
    *,
    data: bytes,
    filename: str | None,
    mapping: ColumnMapping | None = None,
    source: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import (or dry-run) a CMMS export; see the module docstring for the guarantees."""
    require_role(principal, Role.EDITOR)
    started = utcnow()
    table = read_table(data, filename=filename)
    chosen = mapping or _saved_mapping(ctx, principal, source)
    if chosen is None:
        head: list[tuple[int, list[str | None]]] = []
        rows_iter = table.rows
        for item in rows_iter:
            head.append(item)
            if len(head) >= PREVIEW_ROWS:
                break
        chosen, _ = guess_mapping(table.headers, [c for _, c in head])
        table_rows: Any = chain(head, rows_iter)
    else:
        table_rows = table.rows
    _check_mapping(chosen, table.headers)
    accepted, issues, read = _normalise_all(table_rows, RowNormaliser(chosen, table.headers))
    deduped = dedupe_rows(accepted)
    issues.extend(deduped.issues)
    digest = _digest(data)
    org = principal.organisation_id
    try:
        with ctx.transaction() as session:
            plan = _plan(session, org, deduped.kept, issues)
            counts = {
                "rows": read,
                "created": len(plan.inserts),
                "updated": len(plan.updates),
                "unchanged": plan.unchanged,
                "duplicates": deduped.duplicates,
                "rejected": len({i.row for i in issues if i.severity is IssueSeverity.ERROR}),
                "warnings": sum(1 for i in issues if i.severity is IssueSeverity.WARNING),
                **{f"link_{k}": v for k, v in sorted(plan.link_counts.items())},
            }
            ordered = tuple(sorted(issues, key=lambda i: i.sort_key))
            if dry_run:
                return ImportReport(True, None, table.info, chosen, digest, counts, ordered)
            run_id = _write(
                session,
                principal,
                plan,
                chosen,
                source,
                table.info,
                filename,
                digest,
                counts,
                ordered,
                started,
            )
    except IntegrityError as exc:
        raise ConflictError(
            "the import conflicts with a concurrent change (duplicate asset tag); try again"
        ) from exc
    return ImportReport(False, run_id, table.info, chosen, digest, counts, ordered)


@dataclass
class _Plan:
    inserts: list[dict[str, Any]]
    updates: list[dict[str, Any]]
    unchanged: int
    link_counts: dict[str, int]


def _keys(values: dict[str, Any]) -> dict[str, Any]:
    tag, serial = values.get("asset_tag"), values.get("serial_number")
    return {
        "tag_key": identifier_key(tag) if tag else None,
        "serial_key": identifier_key(serial) if serial else None,
    }


def _plan(session: Any, org: int, kept: Any, issues: list[RowIssue]) -> _Plan:
    assets = AssetRepository(session, org)
    stored = {s.id: s for s in assets.stored_identities()}
    index = IdentityIndex(
        KnownAsset(s.id, s.asset_tag, s.serial_number, s.mac_address) for s in stored.values()
    )
    linker = ProductLinker(
        ProductRepository(session, org).list_versions(), LinkRuleRepository(session, org).list()
    )
    plan = _Plan([], [], 0, {s.value: 0 for s in LinkState})
    claimed: dict[int, int] = {}
    columns_order = list(data_columns(kept[0].data)) if kept else []
    text_positions = (
        [columns_order.index(c) for c in ("manufacturer_text", "model_text", "software_version")]
        if kept
        else []
    )
    for row in kept:
        assert row.data is not None
        resolution = index.resolve(row.row, row.data)
        if resolution.issue is not None:
            issues.append(resolution.issue)
            if resolution.issue.severity is IssueSeverity.ERROR:
                continue
        values = data_columns(row.data)
        decision = linker.link(
            row.data.manufacturer_text, row.data.model_text, row.data.software_version
        )
        link: dict[str, Any] = {
            "product_version_id": decision.product_version.id if decision.product_version else None,
            "link_state": decision.state.value,
            "link_score": decision.score,
            "link_reason": decision.reason[:300],
        }
        asset_id = resolution.asset_id
        if asset_id is None:
            plan.inserts.append({**values, **_keys(values), **link})
            plan.link_counts[decision.state.value] += 1
            continue
        if asset_id in claimed:
            issues.append(
                error(
                    row.row,
                    "identity-conflict",
                    f"matches asset #{asset_id}, which row {claimed[asset_id]} already updates",
                )
            )
            continue
        claimed[asset_id] = row.row
        old = stored[asset_id]
        new_columns = tuple(values[c] for c in columns_order)
        same_texts = all(old.columns[i] == new_columns[i] for i in text_positions)
        if same_texts and old.link_state == LinkState.LINKED.value:
            link = {}  # keep a confirmed or exact link
        plan.link_counts[str(link.get("link_state", old.link_state))] += 1
        link_changed = bool(link) and (
            link["link_state"] != old.link_state
            or link["product_version_id"] != old.product_version_id
        )
        if new_columns == old.columns and not link_changed:
            plan.unchanged += 1
            continue
        plan.updates.append({"id": asset_id, **values, **_keys(values), **link})
    return plan


def _write(
    session: Any,
    principal: Principal,
    plan: _Plan,
    mapping: ColumnMapping,
    source: str | None,
    info: TableInfo,
    filename: str | None,
    digest: str,
    counts: dict[str, int],
    issues: tuple[RowIssue, ...],
    started: Any,
) -> int:
    org = principal.organisation_id
    source_id = None
    if source:
        source_id = SourceRepository(session, org).upsert(source, mapping.to_dict()).id
    for row in plan.inserts:
        row["source_id"] = source_id
    for row in plan.updates:
        if source_id is not None:
            row["source_id"] = source_id
    assets = AssetRepository(session, org)
    assets.insert_many(plan.inserts)
    assets.update_many(plan.updates)
    run_id = ImportRunRepository(session, org).add(
        source_id=source_id,
        issues=issues,
        filename=(filename or None) and filename[:255],
        content_digest=digest,
        reader=info.format,
        encoding=info.encoding,
        delimiter=info.delimiter,
        sheet=info.sheet and info.sheet[:120],
        header_row=info.header_row,
        mapping=mapping.to_dict(),
        counts=counts,
        notes=info.notes,
        imported_by_id=principal.user.id,
        started_at=started,
        finished_at=utcnow(),
    )
    AuditRepository(session, org).record(
        actor_user_id=principal.user.id,
        action="assets.import",
        object_type="asset_import_run",
        object_id=str(run_id),
        summary=(
            f"imported {filename or 'a file'}: {counts['created']} created, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
            f"{counts['rejected']} rows rejected"
        ),
        detail={"digest": digest, "source": source, "counts": counts},
    )
    return run_id


def list_assets(ctx: ServiceContext, principal: Principal, query: AssetQuery) -> AssetPage:
    """A page of the organisation's assets."""
    with ctx.transaction() as session:
        return AssetRepository(session, principal.organisation_id).list(query)


def asset_facets(ctx: ServiceContext, principal: Principal) -> dict[str, list[str]]:
    """Values for the list filters."""
    with ctx.transaction() as session:
        return AssetRepository(session, principal.organisation_id).facets()


def get_asset(ctx: ServiceContext, principal: Principal, asset_id: int) -> Asset:
    """One asset; NotFoundError for absent ids and other tenants' ids alike."""
    with ctx.transaction() as session:
        found = AssetRepository(session, principal.organisation_id).get(asset_id)
    if found is None:
        raise NotFoundError(f"no asset {asset_id}")
    return found


def list_imports(ctx: ServiceContext, principal: Principal) -> list[ImportRunInfo]:
    """Committed imports, newest first."""
    with ctx.transaction() as session:
        return ImportRunRepository(session, principal.organisation_id).list()


def get_import(
    ctx: ServiceContext, principal: Principal, run_id: int, *, offset: int = 0, limit: int = 500
) -> tuple[ImportRunInfo, list[RowIssue], int]:
    """An import run, a page of its row issues, and the number of issues."""
    with ctx.transaction() as session:
        runs = ImportRunRepository(session, principal.organisation_id)
        run = runs.get(run_id)
        if run is None:
            raise NotFoundError(f"no import {run_id}")
        return run, runs.issues(run_id, offset=offset, limit=limit), runs.issue_count(run_id)


def list_sources(ctx: ServiceContext, principal: Principal) -> list[SourceInfo]:
    """Asset sources with their saved mappings."""
    with ctx.transaction() as session:
        return SourceRepository(session, principal.organisation_id).list()


def save_source_mapping(
    ctx: ServiceContext, principal: Principal, *, source: str, mapping: ColumnMapping
) -> SourceInfo:
    """Save (create or replace) the column mapping of a source."""
    require_role(principal, Role.EDITOR)
    name = source.strip()[:120]
    if not name:
        raise InventoryInputError("a source needs a name")
    with ctx.transaction() as session:
        info = SourceRepository(session, principal.organisation_id).upsert(name, mapping.to_dict())
        AuditRepository(session, principal.organisation_id).record(
            actor_user_id=principal.user.id,
            action="asset_source.mapping",
            object_type="asset_source",
            object_id=str(info.id),
            summary=f"saved the column mapping of source {name!r}",
            detail=mapping.to_dict(),
        )
    return info
