"""SBOM and VEX use cases: upload, list, read with quality, scan with findings, vulnerabilities.

Uploaded documents are stored as their original bytes (with a SHA-256 digest), so a scan always
re-reads what was uploaded with today's readers and today's knowledge base. A scan applies the
organisation's stored VEX documents in upload order (a later document wins), ranked above the
KB's own VEX and the SBOM's embedded VEX (see ``matching.scan.ranked_statements``).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from sqlalchemy.orm import Session

from medtrust.domain.advisory import Advisory
from medtrust.domain.component import SbomDocument
from medtrust.domain.tenancy import Principal, Role
from medtrust.domain.vex import VexStatement
from medtrust.errors import InputError, NotFoundError
from medtrust.exposure.keys import component_keys
from medtrust.feeds.batch import FeedSummary, read_all
from medtrust.feeds.readers.csaf_vex import vex_statements
from medtrust.formats.registry import get_format
from medtrust.kb.query import SnapshotProvider
from medtrust.kb.settings import KbSettings
from medtrust.kb.store import KnowledgeBase
from medtrust.kb.vex_files import VexFileError, read_vex_file
from medtrust.matching.components import ComponentView, document_views
from medtrust.matching.model import Cvss
from medtrust.matching.scan import ScanResult, scan_documents
from medtrust.sbom.quality import QualityReport, assess
from medtrust.sbom.readers.registry import read_sbom_bytes
from medtrust.services.context import ServiceContext, require_role
from medtrust.storage.repositories.audit import AuditRepository
from medtrust.storage.repositories.disclosures import ProductRepository
from medtrust.storage.repositories.sbom_components import SbomComponentRepository
from medtrust.storage.repositories.sboms import SbomRepository, SbomRow, VexRow
from medtrust.storage.sbom_models import StoredSbom, StoredVex

UNSPECIFIED_VERSION = "unspecified"
#: output formats offered for findings (all from ``formats.registry``)
FINDING_FORMATS = ("csaf-vex", "cyclonedx-vex", "json", "sarif")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
#: the shape of vulnerability ids (CVE-…, GHSA-…, GO-…, ALSA-…, ICSMA-…): prefix, dash, rest
_VULN_ID = re.compile(r"[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9._:-]+")


@dataclass(frozen=True, slots=True)
class SbomUpload:
    """An uploaded SBOM as stored (or the identical one already stored) and its quality."""

    sbom: SbomRow
    quality: QualityReport
    created: bool


@dataclass(frozen=True, slots=True)
class VexUpload:
    """An uploaded VEX document as stored (or the identical one already stored)."""

    vex: VexRow
    created: bool


@dataclass(frozen=True, slots=True)
class SbomDetail:
    """A stored SBOM read back: its document and quality report."""

    sbom: SbomRow
    document: SbomDocument
    quality: QualityReport


@dataclass(frozen=True, slots=True)
class VulnerabilityRecord:
    """One knowledge-base record about a vulnerability (one id from one source)."""

    vuln_id: str
    source: str
    origin: str
    published: str | None
    modified: str | None
    withdrawn: bool


@dataclass(frozen=True, slots=True)
class VulnerabilityView:
    """What the knowledge base knows about a vulnerability's alias group."""

    vuln_id: str
    primary_id: str
    aliases: tuple[str, ...]
    summary: str
    cvss: Cvss | None
    cwes: tuple[str, ...]
    kev: bool
    kev_date_added: str | None
    epss: float | None
    epss_percentile: float | None
    records: tuple[VulnerabilityRecord, ...]
    affected: tuple[tuple[str, str, str], ...]  # (source record, identifier, range)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _name(filename: str | None, default: str) -> str:
    return ((filename or "").strip() or default)[:255]


def _kb(ctx: ServiceContext) -> KnowledgeBase:
    """The live KB (``MEDTRUST_KB_DIR`` or ``<data_dir>/kb``); KbUnavailableError when absent."""
    return KnowledgeBase.open(KbSettings(data_dir=ctx.settings.data_dir).resolved_kb_dir())


def _read(data: bytes, source: str, ctx: ServiceContext) -> SbomDocument:
    return read_sbom_bytes(data, source=source, max_bytes=ctx.settings.max_upload_bytes)


def upload_sbom(
    ctx: ServiceContext,
    principal: Principal,
    *,
    data: bytes,
    filename: str | None,
    manufacturer: str | None = None,
    product: str | None = None,
    version: str | None = None,
) -> SbomUpload:
    """Read an SBOM, assess its quality and store it; unreadable input stores nothing.

    With a manufacturer and product, the SBOM is linked to that product version (created as
    needed; the version defaults to "unspecified"). An identical SBOM already stored for the
    same product version is returned instead of a copy.
    """
    require_role(principal, Role.EDITOR)
    source = _name(filename, "upload.sbom")
    document = _read(data, source, ctx)
    quality = assess(document)
    maker, model = (manufacturer or "").strip()[:200], (product or "").strip()[:200]
    if bool(maker) != bool(model):
        raise InputError("give both manufacturer and product, or neither")
    digest = _digest(data)
    org = principal.organisation_id
    with ctx.transaction() as session:
        repo = SbomRepository(session, org)
        pv_id = None
        if maker:
            ver = ((version or "").strip() or UNSPECIFIED_VERSION)[:100]
            pv_id = (
                ProductRepository(session, org)
                .ensure_version(manufacturer=maker, product=model, version=ver)
                .id
            )
        existing = repo.find_sbom_by_digest(digest, pv_id)
        sbom_id = existing or repo.add_sbom(
            StoredSbom(
                organisation_id=org,
                product_version_id=pv_id,
                source_name=source,
                source_format=document.format.value,
                spec_version=(document.spec_version or None) and document.spec_version[:20],
                component_count=quality.component_count,
                quality_score=quality.score,
                embedded_vex=len(document.vex),
                content=data,
                content_digest=digest,
                uploaded_by_id=principal.user.id,
            )
        )
        if existing is None:
            store_components(session, org, sbom_id, document)
            AuditRepository(session, org).record(
                actor_user_id=principal.user.id,
                action="sbom.upload",
                object_type="sbom",
                object_id=str(sbom_id),
                summary=f"uploaded SBOM {source} ({quality.component_count} components)",
                detail={"digest": digest, "format": document.format.value},
            )
        stored = repo.get_sbom(sbom_id)
    assert stored is not None  # just written in this organisation
    return SbomUpload(stored[0], quality, existing is None)


def _vex_format(records: list[object]) -> str:
    if any(isinstance(r, Advisory) for r in records):
        return "csaf"
    sources = {r.source for r in records if isinstance(r, VexStatement)}
    return "openvex" if any("openvex" in s.lower() for s in sources) else "vex"


def _vex_records(data: bytes, source: str) -> list[object]:
    """Every record a feed reader finds in the bytes (read from a private temporary file)."""
    safe = _SAFE_NAME.sub("_", Path(source).name) or "upload.json"
    with tempfile.TemporaryDirectory(prefix="medtrust-vex-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        return [
            r
            for r in read_all([path], summary=FeedSummary())
            if isinstance(r, Advisory | VexStatement)
        ]


def upload_vex(
    ctx: ServiceContext, principal: Principal, *, data: bytes, filename: str | None
) -> VexUpload:
    """Store a VEX document (CycloneDX VEX, CSAF, OpenVEX); one with no statements is refused."""
    require_role(principal, Role.EDITOR)
    source = _name(filename, "upload.vex.json")
    records = _vex_records(data, source)
    count = sum(
        len(list(vex_statements(r))) if isinstance(r, Advisory) else 1
        for r in records
        if isinstance(r, Advisory | VexStatement)
    )
    if count == 0:
        raise VexFileError(f"{source}: no VEX statements found")
    digest = _digest(data)
    org = principal.organisation_id
    with ctx.transaction() as session:
        repo = SbomRepository(session, org)
        existing = repo.find_vex_by_digest(digest)
        vex_id = existing or repo.add_vex(
            StoredVex(
                organisation_id=org,
                source_name=source,
                source_format=_vex_format(records),
                statement_count=count,
                content=data,
                content_digest=digest,
                uploaded_by_id=principal.user.id,
            )
        )
        if existing is None:
            AuditRepository(session, org).record(
                actor_user_id=principal.user.id,
                action="vex.upload",
                object_type="vex",
                object_id=str(vex_id),
                summary=f"uploaded VEX {source} ({count} statements)",
                detail={"digest": digest},
            )
        stored = repo.get_vex(vex_id)
    assert stored is not None  # just written in this organisation
    return VexUpload(stored[0], existing is None)


def list_sboms(ctx: ServiceContext, principal: Principal) -> list[SbomRow]:
    """The organisation's SBOMs, newest first."""
    with ctx.transaction() as session:
        return SbomRepository(session, principal.organisation_id).list_sboms()


def list_vex(ctx: ServiceContext, principal: Principal) -> list[VexRow]:
    """The organisation's VEX documents, in the order they are applied (later wins)."""
    with ctx.transaction() as session:
        return SbomRepository(session, principal.organisation_id).list_vex()


def _stored(ctx: ServiceContext, principal: Principal, sbom_id: int) -> tuple[SbomRow, bytes]:
    with ctx.transaction() as session:
        found = SbomRepository(session, principal.organisation_id).get_sbom(sbom_id)
    if found is None:
        raise NotFoundError(f"SBOM {sbom_id} not found")
    return found


def get_sbom(ctx: ServiceContext, principal: Principal, sbom_id: int) -> SbomDetail:
    """A stored SBOM with its components and quality report."""
    row, data = _stored(ctx, principal, sbom_id)
    document = _read(data, row.source_name, ctx)
    return SbomDetail(row, document, assess(document))


def store_components(session: Session, org: int, sbom_id: int, document: SbomDocument) -> None:
    """Keep an SBOM's components and matching keys, so evaluations need not re-read it."""
    components = list(document.all_components())
    views = document_views([document], ())
    SbomComponentRepository(session, org).store_components(
        sbom_id, components, component_keys(views)
    )


def org_vex_files(
    ctx: ServiceContext, org: int, views: Sequence[ComponentView]
) -> list[tuple[str, list[VexStatement]]]:
    """The organisation's stored VEX documents as ``scan_documents`` takes them (upload order).

    CSAF VEX documents are resolved against ``views`` (the components being scanned).
    """
    with ctx.transaction() as session:
        stored_vex = SbomRepository(session, org).vex_contents()
    vex_files: list[tuple[str, list[VexStatement]]] = []
    for vex, content in stored_vex:
        label = f"{vex.source_name} (VEX #{vex.id})"
        with tempfile.TemporaryDirectory(prefix="medtrust-vex-") as tmp:
            path = Path(tmp) / (_SAFE_NAME.sub("_", Path(vex.source_name).name) or "vex.json")
            path.write_bytes(content)
            statements = read_vex_file(path, views)
        vex_files.append((label, statements))
    return vex_files


def scan_sbom(ctx: ServiceContext, principal: Principal, sbom_id: int) -> ScanResult:
    """Match a stored SBOM against the KB, applying the organisation's stored VEX documents."""
    row, data = _stored(ctx, principal, sbom_id)
    document = _read(data, row.source_name, ctx)
    kb = _kb(ctx)
    views = document_views([document], ())
    vex_files = org_vex_files(ctx, principal.organisation_id, views)
    return scan_documents([document], SnapshotProvider(kb), vex_files=vex_files, components=views)


def render_findings(
    ctx: ServiceContext, principal: Principal, sbom_id: int, fmt: str
) -> tuple[str, str]:
    """(text, media type) of a stored SBOM's findings in one of :data:`FINDING_FORMATS`."""
    if fmt not in FINDING_FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FINDING_FORMATS)}")
    renderer = get_format(fmt)
    result = scan_sbom(ctx, principal, sbom_id)
    return renderer.render(result, generated_at=datetime.now(UTC)), renderer.media_type


def _iso(value: object) -> str | None:
    return None if value is None else str(getattr(value, "isoformat", lambda: value)())


def vulnerability(ctx: ServiceContext, principal: Principal, vuln_id: str) -> VulnerabilityView:
    """What the knowledge base knows about ``vuln_id`` and its aliases; NotFoundError if nothing."""
    del principal  # the knowledge base is public data shared by every organisation
    vuln_id = vuln_id.strip()[:100]
    if not _VULN_ID.fullmatch(vuln_id):
        raise NotFoundError(f"{vuln_id!r} is not a vulnerability id")
    kb = _kb(ctx)
    meta = SnapshotProvider(kb).meta_for([vuln_id])
    primary = meta.primary_of(vuln_id)
    members = meta.members(primary)
    wanted = pl.Series("m", list(members), pl.Utf8).implode()
    rows = (
        kb.scan("vulnerabilities")
        .filter(pl.col("vuln_id").is_in(wanted))
        .select("record_key", "vuln_id", "source", "origin", "published", "modified", "withdrawn")
        .sort("vuln_id", "source", "record_key")
        .collect()
    )
    if rows.height == 0:
        raise NotFoundError(f"{vuln_id} is not in the knowledge base")
    keys = pl.Series("k", rows["record_key"].to_list(), pl.Utf8).implode()
    targets = (
        kb.scan("targets")
        .filter(pl.col("record_key").is_in(keys))
        .select("record_key", "identifier", "range_text")
        .unique()
        .sort("record_key", "identifier", "range_text")
        .collect()
    )
    cvss, cwes, summary = meta.group_facts(members)
    kev, kev_date = meta.kev_of(members)
    epss, percentile = meta.epss_of(members)
    return VulnerabilityView(
        vuln_id=vuln_id,
        primary_id=primary,
        aliases=tuple(m for m in members if m != vuln_id),
        summary=summary,
        cvss=cvss,
        cwes=cwes,
        kev=kev,
        kev_date_added=kev_date,
        epss=epss,
        epss_percentile=percentile,
        records=tuple(
            VulnerabilityRecord(
                r["vuln_id"],
                r["source"],
                r["origin"] or "",
                _iso(r["published"]),
                _iso(r["modified"]),
                bool(r["withdrawn"]),
            )
            for r in rows.iter_rows(named=True)
        ),
        affected=tuple(
            (r["record_key"], r["identifier"] or "", r["range_text"] or "")
            for r in targets.iter_rows(named=True)
        ),
    )
