"""Exposure use cases: evaluate the installed base against the knowledge base, incrementally.

A product version is scanned as one group: the components of its latest SBOM plus a *device*
component named after the product (manufacturer, model, version), so CSAF advisories that name
the product (such as CISA's ICSMA advisories) match it by name even without an SBOM. The
organisation's VEX documents are applied as in a scan. Findings are stored per product version,
each a link to a *match* that holds what it says, stored once for all the versions sharing it
(``docs/exposure.md``); assets inherit them through their link. Decisions are computed per
(finding, profile), a profile being the assets of one version alike in criticality, network zone
and status (:mod:`medtrust.exposure`).

A full evaluation covers every product version with assets or an SBOM. An incremental one
(after a feed import) re-evaluates only the product versions a changed record can touch: those
whose stored matching keys meet the changed records' target keys, whose device component does,
or that already have a finding of a changed vulnerability (KEV, EPSS or withdrawals).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import polars as pl
from sqlalchemy.orm import Session

from medtrust.domain.component import (
    Component,
    ComponentType,
    SbomDocument,
    SbomEncoding,
    SbomFormat,
)
from medtrust.domain.tenancy import Principal, Role
from medtrust.domain.vex import VexStatement
from medtrust.exposure.keys import component_keys, target_keys
from medtrust.exposure.settings import ExposureSettings
from medtrust.kb.query import SnapshotProvider
from medtrust.kb.store import KnowledgeBase
from medtrust.matching.components import DocumentViews, document_views
from medtrust.matching.normalise import name_key
from medtrust.matching.portfolio import scan_portfolio
from medtrust.matching.shared import with_paused_gc
from medtrust.sbom.readers.registry import read_sbom_bytes
from medtrust.services import exposure_rows as rows
from medtrust.services.context import ServiceContext, require_role
from medtrust.services.exposure_rows import DEVICE_REF, GROUP
from medtrust.services.sboms import _kb, org_vex_files, store_components
from medtrust.storage.base import utcnow
from medtrust.storage.repositories.accounts import OrganisationRepository
from medtrust.storage.repositories.audit import AuditRepository
from medtrust.storage.repositories.exposure import (
    ExposureRepository,
    ProfileAsset,
)
from medtrust.storage.repositories.sbom_components import SbomComponentRepository, VersionSbom

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What an evaluation did."""

    run_id: int
    kind: str
    product_versions: int
    findings: int
    decisions: int
    counts: dict[str, int]
    seconds: float


def load_settings(ctx: ServiceContext, principal: Principal) -> ExposureSettings:
    """The organisation's exposure settings (defaults when never saved)."""
    return _settings(ctx, principal.organisation_id)


def _settings(ctx: ServiceContext, org: int) -> ExposureSettings:
    with ctx.transaction() as session:
        data = ExposureRepository(session, org).settings()
    return ExposureSettings.model_validate(data or {})


def save_settings(
    ctx: ServiceContext, principal: Principal, settings: ExposureSettings
) -> ExposureSettings:
    """Store the settings (admin); takes effect at the next evaluation."""
    require_role(principal, Role.ADMIN)
    data = settings.model_dump(mode="json")
    with ctx.transaction() as session:
        ExposureRepository(session, principal.organisation_id).save_settings(
            data, user_id=principal.user.id
        )
        AuditRepository(session, principal.organisation_id).record(
            actor_user_id=principal.user.id,
            action="exposure.settings",
            object_type="exposure-settings",
            object_id=str(principal.organisation_id),
            summary="changed exposure settings",
            detail=data,
        )
    return settings


def _group(pv_id: int) -> str:
    return f"{GROUP}{pv_id}"


def _device(ref: tuple[str, str, str]) -> Component:
    maker, product, version = ref
    return Component(
        bom_ref=DEVICE_REF,
        type=ComponentType.DEVICE,
        name=product,
        version=None if version == "unspecified" else version,
        supplier=maker,
    )


def _documents(
    ctx: ServiceContext,
    session: Session,
    org: int,
    refs: dict[int, tuple[str, str, str]],
    sboms: dict[int, VersionSbom],
) -> list[SbomDocument]:
    """One document per product version: its SBOM's components plus the device component."""
    repo = SbomComponentRepository(session, org)
    stored = repo.components([s.sbom_id for s in sboms.values() if s.has_components])
    documents = []
    for pv_id in sorted(refs):
        sbom = sboms.get(pv_id)
        components: list[Component] = []
        vex: tuple[VexStatement, ...] = ()
        if sbom is not None:
            if sbom.has_components and not sbom.embedded_vex:
                components = stored.get(sbom.sbom_id, [])
            else:  # read once: older uploads, and documents with embedded VEX
                data = repo.sbom_content(sbom.sbom_id) or b""
                document = read_sbom_bytes(
                    data, source=sbom.source_name, max_bytes=ctx.settings.max_upload_bytes
                )
                components = list(document.all_components())
                vex = document.vex
                if not sbom.has_components:
                    store_components(session, org, sbom.sbom_id, document)
        device = _device(refs[pv_id])
        # the SBOM may describe the device itself (its subject): then it already stands for it
        named = name_key(device.name)
        if not any(name_key(c.name) == named for c in components):
            components.insert(0, device)
        documents.append(
            SbomDocument(
                _group(pv_id),
                SbomFormat.CYCLONEDX,
                SbomEncoding.JSON,
                None,
                components=tuple(components),
                vex=tuple(vex),
            )
        )
    return documents


@with_paused_gc
def _evaluate(
    ctx: ServiceContext,
    org: int,
    actor_id: int | None,
    kb: KnowledgeBase,
    product_version_ids: Collection[int] | None,
    *,
    kind: str,
    trigger: str,
    progress: Progress | None,
) -> RunSummary:
    """Evaluate the versions (all when ``None``) with the cyclic garbage collector paused:
    an evaluation makes millions of acyclic objects and keeps them until it has written its
    rows, so every full collection meanwhile would walk them all for nothing."""
    started, clock = utcnow(), time.perf_counter()
    say = progress or (lambda _: None)
    settings = _settings(ctx, org)
    with ctx.transaction() as session:
        repo = ExposureRepository(session, org)
        versions = SbomComponentRepository(session, org).version_sboms(product_version_ids)
        sboms = {s.product_version_id: s for s in versions}
        wanted = (
            set(product_version_ids)
            if product_version_ids is not None
            else repo.linked_versions() | set(sboms)
        )
        refs = repo.version_refs(wanted)
        say(f"reading {len(refs)} product versions ({len(sboms)} with an SBOM)")
        documents = _documents(ctx, session, org, refs, sboms)
    full = product_version_ids is None
    # The database works in a second thread while this one computes (SQLite and the PostgreSQL
    # driver release the GIL while they work): it reads the assets while components are
    # matched and clears the old rows while the findings are collected. Row-by-row writes stay
    # in this thread: beside Python work they only wait for the GIL (docs/exposure.md). A
    # session is only ever used by one thread at a time; leaving a pool waits for its thread,
    # before the transaction commits or rolls back.
    with ThreadPoolExecutor(1, thread_name_prefix="medtrust-exposure-read") as reader:
        reading = reader.submit(_asset_inputs, ctx, org, refs, full)
        views = DocumentViews(documents)  # built as needed: matching reads one per identity
        say(f"matching {len(views)} components")
        result = scan_portfolio(
            documents,
            SnapshotProvider(kb),
            vex_files=org_vex_files(ctx, org, views),
            components=views,
        )
        say(f"{len(result)} findings; deciding and writing")
        assets, answers = reading.result()
    with (
        ctx.transaction() as session,
        ThreadPoolExecutor(1, thread_name_prefix="medtrust-exposure-write") as writer,
    ):
        repo = ExposureRepository(session, org)
        clearing = (
            writer.submit(repo.clear_all) if full else writer.submit(repo.clear_versions, refs)
        )
        collected = rows.collect(result, settings)
        profile_rows, members = rows.profiles(assets, answers, settings)
        decided = rows.decide(collected, profile_rows)  # by position: no ids needed yet
        clearing.result()
        matches = rows.match_ids(repo, collected, full)
        finding_ids = repo.new_finding_ids(len(collected.finding_matches))
        profile_ids = repo.add_profiles(profile_rows)
        say(
            f"writing {len(finding_ids)} findings ({sum(matches.new)} new matches)"
            f" and {len(profile_rows)} asset profiles"
        )
        decisions = rows.decision_rows(decided, finding_ids, profile_ids)
        summaries = rows.asset_summaries(decided, profile_rows, profile_ids, members)
        rows.store_findings(repo, collected, matches, finding_ids, full)
        repo.add_decisions(decisions)
        repo.add_asset_summaries(summaries)
        if not full:  # a full evaluation cleared them all
            repo.prune_vulnerabilities(clearing.result() or ())
        counts = repo.totals()
        run_id = repo.add_run(
            kind=kind,
            trigger=trigger[:300],
            kb_updated_at=result.kb_updated_at[:40] if result.kb_updated_at else None,
            product_versions=len(refs),
            counts=counts,
            started_at=started,
            finished_at=utcnow(),
            started_by_id=actor_id,
        )
        AuditRepository(session, org).record(
            actor_user_id=actor_id,
            action="exposure.evaluate",
            object_type="exposure-run",
            object_id=str(run_id),
            summary=f"{kind} exposure evaluation of {len(refs)} product versions ({trigger})",
            detail={"findings": len(finding_ids), "decisions": decided.height},
        )
    return RunSummary(
        run_id,
        kind,
        len(refs),
        len(finding_ids),
        decided.height,
        counts,
        time.perf_counter() - clock,
    )


def _asset_inputs(
    ctx: ServiceContext, org: int, refs: dict[int, tuple[str, str, str]], full: bool
) -> tuple[list[ProfileAsset], dict[int, tuple[str, dict[str, str]]]]:
    """The assets to profile and their versions' latest MDS2 answers (own transaction)."""
    with ctx.transaction() as session:
        repo = ExposureRepository(session, org)
        # a full evaluation covers every linked asset (their versions are all in refs)
        return repo.profile_assets(None if full else refs), repo.latest_answers(refs)


def evaluate_exposure(
    ctx: ServiceContext,
    principal: Principal,
    *,
    product_version_ids: Collection[int] | None = None,
    trigger: str = "requested",
    progress: Progress | None = None,
) -> RunSummary:
    """Evaluate every product version (or the given ones) of the organisation."""
    require_role(principal, Role.EDITOR)
    kind = "full" if product_version_ids is None else "partial"
    return _evaluate(
        ctx,
        principal.organisation_id,
        principal.user.id,
        _kb(ctx),
        product_version_ids,
        kind=kind,
        trigger=trigger,
        progress=progress,
    )


def touched_versions(
    ctx: ServiceContext,
    org: int,
    kb: KnowledgeBase,
    changed_records: Collection[str],
    changed_vulns: Collection[str],
) -> set[int]:
    """Product versions of ``org`` a change of these records or vulnerabilities can affect."""
    records = pl.Series("r", sorted(changed_records), pl.Utf8).implode()
    targets = kb.scan("targets").filter(pl.col("record_key").is_in(records)).collect()
    ids = targets["target_id"].implode()
    names = kb.scan("name_keys").filter(pl.col("target_id").is_in(ids)).collect()
    keys = target_keys(targets, names)
    vulns = set(changed_vulns)
    if vulns:
        meta = SnapshotProvider(kb).meta_for(vulns)
        vulns |= {meta.primary_of(v) for v in vulns}
    with ctx.transaction() as session:
        repo = ExposureRepository(session, org)
        found = SbomComponentRepository(session, org).versions_with_keys(keys) if keys else set()
        found |= repo.versions_with_findings(vulns) if vulns else set()
        if keys:  # device components are not stored: compute their keys (one per version)
            refs = repo.version_refs(repo.linked_versions())
            devices = [
                SbomDocument(
                    _group(pv_id),
                    SbomFormat.CYCLONEDX,
                    SbomEncoding.JSON,
                    None,
                    components=(_device(ref),),
                )
                for pv_id, ref in refs.items()
            ]
            for view in document_views(devices):
                if component_keys([view]) & keys:
                    found.add(int(view.group.removeprefix(GROUP)))
    return found


def refresh_exposure(
    ctx: ServiceContext,
    principal: Principal,
    *,
    changed_records: Collection[str],
    changed_vulns: Collection[str],
    trigger: str,
    progress: Progress | None = None,
) -> RunSummary | None:
    """Re-evaluate only what a feed change touches; None when it touches nothing."""
    require_role(principal, Role.EDITOR)
    return _refresh(
        ctx,
        principal.organisation_id,
        principal.user.id,
        _kb(ctx),
        changed_records,
        changed_vulns,
        trigger,
        progress,
    )


def _refresh(
    ctx: ServiceContext,
    org: int,
    actor_id: int | None,
    kb: KnowledgeBase,
    changed_records: Collection[str],
    changed_vulns: Collection[str],
    trigger: str,
    progress: Progress | None,
) -> RunSummary | None:
    touched = touched_versions(ctx, org, kb, changed_records, changed_vulns)
    if not touched:
        return None
    return _evaluate(
        ctx, org, actor_id, kb, touched, kind="incremental", trigger=trigger, progress=progress
    )


def refresh_after_import(
    ctx: ServiceContext,
    *,
    changed_records: Collection[str],
    changed_vulns: Collection[str],
    trigger: str,
    progress: Progress | None = None,
) -> list[tuple[str, RunSummary | None]]:
    """After a feed import: re-evaluate, in every organisation that has evaluated its exposure
    before, the product versions the import touched (recorded as done by the system)."""
    if not changed_records and not changed_vulns:
        return []
    kb = _kb(ctx)
    with ctx.transaction() as session:
        organisations = [
            (o.id, o.name)
            for o in OrganisationRepository(session).list()
            if ExposureRepository(session, o.id).runs(limit=1)
        ]
    return [
        (name, _refresh(ctx, org, None, kb, changed_records, changed_vulns, trigger, progress))
        for org, name in organisations
    ]


def last_evaluated(ctx: ServiceContext, principal: Principal) -> datetime | None:
    """When the organisation's exposure was last evaluated."""
    with ctx.transaction() as session:
        runs = ExposureRepository(session, principal.organisation_id).runs(limit=1)
    return runs[-1].finished_at if runs else None
