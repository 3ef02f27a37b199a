"""DTOs of the exposure API, built from the view objects of ``services.exposure_views``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from medtrust.api.schemas import ProductVersionOut
from medtrust.exposure.model import Input
from medtrust.services.exposure import RunSummary
from medtrust.services.exposure_views import (
    AssetExposureView,
    DepartmentBar,
    FindingView,
    ProfileView,
    TrendPoint,
    VersionExposureView,
    WorklistItem,
    WorklistPage,
)


class InputOut(BaseModel):
    """One decision input, its value and why it has that value."""

    name: str
    value: str
    reasons: list[str]

    @classmethod
    def of(cls, i: Input) -> InputOut:
        """From the core value."""
        return cls(name=i.name, value=i.value, reasons=list(i.reasons))


class FindingOut(BaseModel):
    """A vulnerability of a product version: what matched what, how sure, VEX status."""

    id: int
    vulnerability: str
    aliases: list[str]
    summary: str
    component: str
    component_version: str | None
    component_purl: str | None
    component_cpe: str | None
    component_source: str = Field(description="'device' (the product itself) or 'sbom'")
    status: str = Field(description="VEX status after the organisation's VEX documents")
    status_source: str
    justification: str | None
    match_method: str
    match_confidence: str
    match_detail: str
    cvss_score: float | None
    cvss_vector: str | None
    severity: str
    kev: bool
    kev_date: str | None
    epss: float | None
    sources: list[str]

    @classmethod
    def of(cls, f: FindingView) -> FindingOut:
        """From the view."""
        return cls(
            id=f.id,
            vulnerability=f.vulnerability,
            aliases=list(f.aliases),
            summary=f.summary,
            component=f.component,
            component_version=f.component_version,
            component_purl=f.component_purl,
            component_cpe=f.component_cpe,
            component_source=f.component_source,
            status=f.status,
            status_source=f.status_source,
            justification=f.justification,
            match_method=f.method,
            match_confidence=f.confidence,
            match_detail=f.detail,
            cvss_score=f.cvss_score,
            cvss_vector=f.cvss_vector,
            severity=f.severity,
            kev=f.kev,
            kev_date=f.kev_date,
            epss=f.epss,
            sources=list(f.sources),
        )


class ProfileOut(BaseModel):
    """Assets of a product version alike in criticality, network zone and status."""

    id: int
    criticality: str
    network_zone: str | None
    asset_status: str
    exposure: str
    impact: str
    asset_count: int
    reasons: dict[str, Any]

    @classmethod
    def of(cls, p: ProfileView) -> ProfileOut:
        """From the view."""
        return cls(
            id=p.id,
            criticality=p.criticality,
            network_zone=p.network_zone,
            asset_status=p.asset_status,
            exposure=p.exposure,
            impact=p.impact,
            asset_count=p.asset_count,
            reasons=p.reasons,
        )


class WorklistItemOut(BaseModel):
    """One decision with the rule and every input it was made from."""

    decision: str = Field(description="track, track-star, attend or act")
    decision_label: str = Field(description="Track, Track*, Attend or Act")
    rule: str
    rule_reason: str
    explanation: str
    inputs: list[InputOut]
    finding: FindingOut
    product_version: ProductVersionOut
    profile: ProfileOut
    asset_count: int
    asset_tags: list[str]

    @classmethod
    def of(cls, item: WorklistItem) -> WorklistItemOut:
        """From the view."""
        return cls(
            decision=item.decision.value,
            decision_label=item.decision.label,
            rule=item.rule,
            rule_reason=item.rule_reason,
            explanation=item.explanation(),
            inputs=[InputOut.of(i) for i in item.inputs],
            finding=FindingOut.of(item.finding),
            product_version=ProductVersionOut.of(item.product_version),
            profile=ProfileOut.of(item.profile),
            asset_count=item.profile.asset_count,
            asset_tags=list(item.asset_tags),
        )


class WorklistOut(BaseModel):
    """A page of the ordered worklist, with totals per decision for the organisation."""

    items: list[WorklistItemOut]
    total: int
    page: int
    page_size: int
    pages: int
    totals: dict[str, int]
    evaluated_at: datetime | None

    @classmethod
    def of(cls, page: WorklistPage) -> WorklistOut:
        """From the view."""
        size = page.page_size or max(page.total, 1)
        return cls(
            items=[WorklistItemOut.of(i) for i in page.items],
            total=page.total,
            page=page.page,
            page_size=page.page_size,
            pages=max(1, -(-page.total // size)),
            totals=page.totals,
            evaluated_at=page.evaluated_at,
        )


class AssetExposureOut(BaseModel):
    """An asset's decisions (most urgent first) and its version's resolved findings."""

    asset_id: int
    evaluated: bool
    items: list[WorklistItemOut]
    resolved: list[FindingOut]

    @classmethod
    def of(cls, view: AssetExposureView) -> AssetExposureOut:
        """From the view."""
        return cls(
            asset_id=view.asset_id,
            evaluated=view.evaluated,
            items=[WorklistItemOut.of(i) for i in view.items],
            resolved=[FindingOut.of(f) for f in view.resolved],
        )


class VersionFindingOut(BaseModel):
    """A finding of a product version with its assets per decision."""

    finding: FindingOut
    decisions: dict[str, int] = Field(description="decision -> number of assets")


class VersionExposureOut(BaseModel):
    """A product version's findings and asset profiles."""

    product_version: ProductVersionOut
    findings: list[VersionFindingOut]
    profiles: list[ProfileOut]

    @classmethod
    def of(cls, view: VersionExposureView) -> VersionExposureOut:
        """From the view."""
        return cls(
            product_version=ProductVersionOut.of(view.product_version),
            findings=[
                VersionFindingOut(
                    finding=FindingOut.of(f), decisions=dict(view.decisions.get(f.id, {}))
                )
                for f in view.findings
            ],
            profiles=[ProfileOut.of(p) for p in view.profiles],
        )


class DepartmentBarOut(BaseModel):
    """Evaluated assets of a department by their most urgent decision (``none``: no finding)."""

    department: str
    counts: dict[str, int]

    @classmethod
    def of(cls, bar: DepartmentBar) -> DepartmentBarOut:
        """From the view."""
        return cls(department=bar.department, counts=dict(bar.counts))


class TrendPointOut(BaseModel):
    """Open asset-vulnerability pairs after one evaluation run."""

    at: datetime
    kind: str
    act: int
    attend: int
    track_star: int

    @classmethod
    def of(cls, point: TrendPoint) -> TrendPointOut:
        """From the view."""
        return cls(
            at=point.at,
            kind=point.kind,
            act=point.act,
            attend=point.attend,
            track_star=point.track_star,
        )


class ChartsOut(BaseModel):
    """Data of the overview charts."""

    departments: list[DepartmentBarOut]
    trend: list[TrendPointOut]


class EvaluateIn(BaseModel):
    """What to evaluate: every product version (default) or the given ones."""

    product_version_ids: list[int] | None = Field(default=None, max_length=10_000)


class RunOut(BaseModel):
    """What an evaluation did, and the organisation's totals afterwards."""

    run_id: int
    kind: str
    product_versions: int
    findings: int
    decisions: int
    counts: dict[str, int]
    seconds: float

    @classmethod
    def of(cls, run: RunSummary) -> RunOut:
        """From the service result."""
        return cls(
            run_id=run.run_id,
            kind=run.kind,
            product_versions=run.product_versions,
            findings=run.findings,
            decisions=run.decisions,
            counts=dict(run.counts),
            seconds=round(run.seconds, 3),
        )
