"""Reading exposure: the ordered worklist, an asset's and a version's findings, chart data.

Worklist order: decision (Act first), then KEV, EPSS, CVSS (missing last), then the number of
assets, then vulnerability id, product version and profile ids, so equal items keep a stable
order. Every item carries the inputs its decision was made from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from medtrust.domain.product import ProductVersionRef
from medtrust.domain.tenancy import Principal
from medtrust.errors import NotFoundError
from medtrust.exposure.model import Decision, Input
from medtrust.exposure.policy import load_policy
from medtrust.services.context import ServiceContext
from medtrust.storage import exposure_models as em
from medtrust.storage import inventory_models as im
from medtrust.storage import models
from medtrust.storage.repositories.exposure import ExposureRepository

MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class WorklistQuery:
    """Filters of the worklist; ``decisions`` empty means every decision."""

    decisions: tuple[Decision, ...] = (Decision.ACT, Decision.ATTEND)
    q: str | None = None
    product_version_id: int | None = None
    kev_only: bool = False
    page: int = 1
    page_size: int = 50


@dataclass(frozen=True, slots=True)
class FindingView:
    """A stored finding of a product version."""

    id: int
    vulnerability: str
    aliases: tuple[str, ...]
    summary: str
    component: str
    component_version: str | None
    component_purl: str | None
    component_cpe: str | None
    component_source: str
    status: str
    status_source: str
    justification: str | None
    method: str
    confidence: str
    detail: str
    cvss_score: float | None
    cvss_vector: str | None
    severity: str
    kev: bool
    kev_date: str | None
    epss: float | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProfileView:
    """Assets of a version alike in criticality, zone and status, with asset-side inputs."""

    id: int
    criticality: str
    network_zone: str | None
    asset_status: str
    exposure: str
    impact: str
    reasons: dict[str, Any]
    asset_count: int


@dataclass(frozen=True, slots=True)
class WorklistItem:
    """One decision: a finding on a profile's assets, with its inputs."""

    decision: Decision
    rule: str
    rule_reason: str
    finding: FindingView
    product_version: ProductVersionRef
    profile: ProfileView
    inputs: tuple[Input, ...]
    asset_tags: tuple[str, ...] = ()

    def explanation(self) -> str:
        """One line: decision, rule, inputs."""
        parts = "; ".join(f"{i.name} {i.value} ({', '.join(i.reasons)})" for i in self.inputs)
        return f"{self.decision.label} by rule {self.rule}: {self.rule_reason}. Inputs: {parts}"


@dataclass(frozen=True, slots=True)
class WorklistPage:
    """A page of the worklist with totals per decision."""

    items: tuple[WorklistItem, ...]
    total: int
    page: int
    page_size: int
    totals: dict[str, int]
    evaluated_at: datetime | None


@dataclass(frozen=True, slots=True)
class AssetExposureView:
    """An asset's decisions and the findings its version carries that need none."""

    asset_id: int
    evaluated: bool
    items: tuple[WorklistItem, ...]
    resolved: tuple[FindingView, ...]
    #: open vulnerabilities per decision (Track ones are counted, not listed)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class VersionExposureView:
    """A product version's findings and profiles."""

    product_version: ProductVersionRef
    findings: tuple[FindingView, ...]
    profiles: tuple[ProfileView, ...]
    decisions: dict[int, dict[str, int]] = field(default_factory=dict)  # finding -> counts


@dataclass(frozen=True, slots=True)
class DepartmentBar:
    """Assets of a department by their most urgent decision (``none``: no open finding)."""

    department: str
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """Totals after one evaluation run."""

    at: datetime
    kind: str
    act: int
    attend: int
    track_star: int


def _finding(
    f: em.ExposureFinding, m: em.ExposureMatch, v: em.ExposureVulnerability | None
) -> FindingView:
    return FindingView(
        f.id,
        m.vulnerability,
        _lines(v.aliases) if v else (),
        v.summary if v else "",
        m.component_name,
        m.component_version,
        m.component_purl,
        m.component_cpe,
        m.component_source,
        m.status,
        m.status_source,
        m.justification,
        m.method,
        m.confidence,
        m.detail,
        m.cvss_score,
        v.cvss_vector if v else None,
        v.severity if v else "unknown",
        m.kev,
        v.kev_date if v else None,
        m.epss,
        _lines(m.sources),
    )


def _with_match(stmt: Select[Any], org: int) -> Select[Any]:
    """Add the finding's match and vulnerability rows (outer join: older runs may lack it)."""
    v, f, m = em.ExposureVulnerability, em.ExposureFinding, em.ExposureMatch
    return (
        stmt.add_columns(m, v)
        .join(m, (m.id == f.match_id) & (m.organisation_id == org))
        .outerjoin(v, (v.organisation_id == org) & (v.vulnerability == m.vulnerability))
    )


def _profile(p: em.ExposureProfile) -> ProfileView:
    return ProfileView(
        p.id,
        p.criticality,
        p.network_zone,
        p.asset_status,
        p.exposure,
        p.impact,
        dict(p.reasons or {}),
        p.asset_count,
    )


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(x for x in (text or "").split("\n") if x)


def _inputs(v: em.ExposureVulnerability | None, p: em.ExposureProfile) -> tuple[Input, ...]:
    pr = p.reasons or {}
    compensating = tuple(pr.get("compensating") or ())
    return (
        Input(
            "exploitation",
            v.exploitation if v else "",
            _lines(v.exploitation_reasons) if v else (),
        ),
        Input(
            "automatable",
            v.automatable if v else "",
            _lines(v.automatable_reasons) if v else (),
        ),
        Input("exposure", p.exposure, tuple(pr.get("exposure") or ())),
        Input("impact", p.impact, tuple(pr.get("impact") or ())),
        Input(
            "compensating",
            str(len([c for c in compensating if c != "none known"])),
            compensating,
        ),
    )


def _rule_reasons() -> dict[str, str]:
    return {r.id: r.reason for r in load_policy().rules}


def _ref(
    pv: models.ProductVersion, product: models.Product, maker: models.Manufacturer
) -> ProductVersionRef:
    return ProductVersionRef(pv.id, maker.name, product.name, pv.version)


def _base(org: int) -> Select[Any]:
    d, f, p = em.ExposureDecision, em.ExposureFinding, em.ExposureProfile
    pv, prod, maker = models.ProductVersion, models.Product, models.Manufacturer
    stmt = (
        select(d, f, p, pv, prod, maker)
        .join(f, f.id == d.finding_id)
        .join(p, p.id == d.profile_id)
        .join(pv, pv.id == f.product_version_id)
        .join(prod, prod.id == pv.product_id)
        .join(maker, maker.id == prod.manufacturer_id)
        .where(
            d.organisation_id == org,
            f.organisation_id == org,
            p.organisation_id == org,
            pv.organisation_id == org,
        )
    )
    return _with_match(cast("Select[Any]", stmt), org)


def _order(stmt: Select[Any]) -> Select[Any]:
    """Worklist order, all descending so the ``ix_exposure_decision_worklist`` index gives it."""
    d = em.ExposureDecision
    return stmt.order_by(
        d.urgency.desc(),
        d.kev.desc(),
        d.epss_sort.desc(),
        d.cvss_sort.desc(),
        d.asset_count.desc(),
        d.id.desc(),
    )


def _item(row: Any, reasons: dict[str, str], tags: tuple[str, ...] = ()) -> WorklistItem:
    d, f, p, pv, prod, maker, m, v = row
    return WorklistItem(
        Decision(d.decision),
        d.rule,
        reasons.get(d.rule, ""),
        _finding(f, m, v),
        _ref(pv, prod, maker),
        _profile(p),
        _inputs(v, p),
        tags,
    )


def _decision_filters(query: WorklistQuery) -> list[Any]:
    """Conditions on the decision table alone (index friendly)."""
    d = em.ExposureDecision
    conditions: list[Any] = []
    urgencies = sorted({x.urgency for x in query.decisions})
    if urgencies:
        if urgencies == list(range(urgencies[0], Decision.ACT.urgency + 1)):
            conditions.append(d.urgency >= urgencies[0])  # one range of the index, in order
        else:
            conditions.append(d.urgency.in_(urgencies))
    if query.kev_only:
        conditions.append(d.kev.is_(True))
    return conditions


def _filters(stmt: Select[Any], query: WorklistQuery) -> Select[Any]:
    f, m = em.ExposureFinding, em.ExposureMatch
    stmt = stmt.where(*_decision_filters(query))
    if query.product_version_id is not None:
        stmt = stmt.where(f.product_version_id == query.product_version_id)
    if query.q and query.q.strip():
        text = query.q.strip().lower()
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            func.lower(m.vulnerability).like(like, escape="\\")
            | func.lower(m.component_name).like(like, escape="\\")
            | func.lower(models.Product.name).like(like, escape="\\")
            | func.lower(models.Manufacturer.name).like(like, escape="\\")
        )
    return stmt


def _tags(session: Session, org: int, profile_ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not profile_ids:
        return {}
    a, ax = im.Asset, em.AssetExposure
    found: dict[int, list[str]] = defaultdict(list)
    stmt = (
        select(ax.profile_id, a.asset_tag, a.serial_number, a.id)
        .join(a, a.id == ax.asset_id)
        .where(ax.organisation_id == org, a.organisation_id == org, ax.profile_id.in_(profile_ids))
        .order_by(ax.profile_id, a.asset_tag, a.id)
    )
    for pid, tag, serial, asset_id in session.execute(stmt):
        if pid is not None:
            found[pid].append(tag or serial or f"#{asset_id}")
    return {k: tuple(v) for k, v in found.items()}


def worklist(
    ctx: ServiceContext, principal: Principal, query: WorklistQuery, *, with_assets: bool = False
) -> WorklistPage:
    """A page of the ordered worklist (``page_size`` 0: everything, for exports)."""
    org = principal.organisation_id
    reasons = _rule_reasons()
    size = min(query.page_size, MAX_PAGE_SIZE) if query.page_size else 0
    page = max(1, query.page)
    d = em.ExposureDecision
    with ctx.transaction() as session:
        if query.product_version_id is None and not (query.q and query.q.strip()):
            # the common case: count and page on the decision table's own index, then join
            # the page's rows only
            where = [d.organisation_id == org, *_decision_filters(query)]
            total = session.scalar(select(func.count(d.id)).where(*where)) or 0
            ids_stmt = _order(select(d.id).where(*where))
            if size:
                ids_stmt = ids_stmt.offset((page - 1) * size).limit(size)
            ids = list(session.scalars(ids_stmt))
            position = {decision_id: n for n, decision_id in enumerate(ids)}
            rows = sorted(_fetch(session, org, ids), key=lambda r: position[r[0].id])
        else:
            stmt = _filters(_base(org), query)
            total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            ordered = _order(stmt)
            if size:
                ordered = ordered.offset((page - 1) * size).limit(size)
            rows = list(session.execute(ordered))
        tags = _tags(session, org, sorted({r[2].id for r in rows})) if with_assets else {}
        items = tuple(_item(r, reasons, tags.get(r[2].id, ())) for r in rows)
        runs = ExposureRepository(session, org).runs(limit=1)
    totals = dict(runs[-1].counts) if runs else {}
    return WorklistPage(items, total, page, size, totals, runs[-1].finished_at if runs else None)


def _fetch(session: Session, org: int, ids: list[int]) -> list[Any]:
    """Full worklist rows of some decisions (any order)."""
    rows: list[Any] = []
    for start in range(0, len(ids), 900):
        part = ids[start : start + 900]
        rows.extend(session.execute(_base(org).where(em.ExposureDecision.id.in_(part))))
    return rows


def asset_exposure(ctx: ServiceContext, principal: Principal, asset_id: int) -> AssetExposureView:
    """Decisions for one asset (most urgent first) and its version's resolved findings."""
    org = principal.organisation_id
    reasons = _rule_reasons()
    with ctx.transaction() as session:
        asset = session.scalar(
            select(im.Asset).where(im.Asset.organisation_id == org, im.Asset.id == asset_id)
        )
        if asset is None:
            raise NotFoundError(f"asset {asset_id} not found")
        summary = session.scalar(
            select(em.AssetExposure).where(
                em.AssetExposure.organisation_id == org, em.AssetExposure.asset_id == asset_id
            )
        )
        if summary is None or summary.profile_id is None:
            return AssetExposureView(asset_id, summary is not None, (), ())
        stmt = _order(_base(org).where(em.ExposureDecision.profile_id == summary.profile_id))
        items = tuple(_item(r, reasons) for r in session.execute(stmt))
        f, m = em.ExposureFinding, em.ExposureMatch
        # filtered by version (its index), sorted here: few rows per version
        resolved = tuple(
            sorted(
                (
                    _finding(*row)
                    for row in session.execute(
                        _with_match(select(f), org).where(
                            f.organisation_id == org,
                            f.product_version_id == asset.product_version_id,
                            m.status.in_(["not_affected", "fixed"]),
                        )
                    )
                ),
                key=lambda x: (x.vulnerability, x.component, x.id),
            )
        )
    counts = {
        Decision.ACT.value: summary.act,
        Decision.ATTEND.value: summary.attend,
        Decision.TRACK_STAR.value: summary.track_star,
        Decision.TRACK.value: summary.track,
    }
    return AssetExposureView(asset_id, True, items, resolved, counts)


def version_exposure(
    ctx: ServiceContext, principal: Principal, product_version_id: int
) -> VersionExposureView:
    """A product version's findings (most severe first), profiles and decision counts."""
    org = principal.organisation_id
    with ctx.transaction() as session:
        refs = ExposureRepository(session, org).version_refs([product_version_id])
        if product_version_id not in refs:
            raise NotFoundError(f"product version {product_version_id} not found")
        maker, product, version = refs[product_version_id]
        f, m = em.ExposureFinding, em.ExposureMatch
        p, d = em.ExposureProfile, em.ExposureDecision
        findings = tuple(
            _finding(*row)
            for row in session.execute(
                _with_match(select(f), org)
                .where(f.organisation_id == org, f.product_version_id == product_version_id)
                .order_by(
                    m.kev.desc(),
                    func.coalesce(m.cvss_score, -1.0).desc(),
                    m.vulnerability,
                    m.component_name,
                    f.id,
                )
            )
        )
        profiles = tuple(
            _profile(x)
            for x in session.scalars(
                select(p)
                .where(p.organisation_id == org, p.product_version_id == product_version_id)
                .order_by(p.profile_key)
            )
        )
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        stmt = (
            select(d.finding_id, d.decision, func.sum(p.asset_count))
            .join(p, p.id == d.profile_id)
            .where(d.organisation_id == org, p.product_version_id == product_version_id)
            .group_by(d.finding_id, d.decision)
        )
        for finding_id, decision, assets in session.execute(stmt):
            counts[finding_id][decision] = int(assets or 0)
    return VersionExposureView(
        ProductVersionRef(product_version_id, maker, product, version),
        findings,
        profiles,
        dict(counts),
    )


_TOP = {-1: "none", **{d.urgency: d.value for d in Decision}}


def department_chart(ctx: ServiceContext, principal: Principal) -> list[DepartmentBar]:
    """Evaluated assets per department by most urgent decision, departments by name."""
    org = principal.organisation_id
    a, ax = im.Asset, em.AssetExposure
    bars: dict[str, dict[str, int]] = defaultdict(dict)
    with ctx.transaction() as session:
        stmt = (
            select(a.department, ax.top_urgency, func.count(ax.id))
            .join(a, a.id == ax.asset_id)
            .where(ax.organisation_id == org, a.organisation_id == org)
            .group_by(a.department, ax.top_urgency)
        )
        for department, urgency, count in session.execute(stmt):
            bar = bars[department or "(no department)"]
            key = _TOP[int(urgency)]
            bar[key] = bar.get(key, 0) + int(count)
    return [DepartmentBar(name, bars[name]) for name in sorted(bars)]


def trend(ctx: ServiceContext, principal: Principal, *, limit: int = 60) -> list[TrendPoint]:
    """Open Act/Attend/Track* asset-vulnerability pairs after each of the latest runs."""
    with ctx.transaction() as session:
        runs = ExposureRepository(session, principal.organisation_id).runs(limit=limit)
        return [
            TrendPoint(
                r.finished_at,
                r.kind,
                int(r.counts.get(Decision.ACT.value, 0)),
                int(r.counts.get(Decision.ATTEND.value, 0)),
                int(r.counts.get(Decision.TRACK_STAR.value, 0)),
            )
            for r in runs
        ]
