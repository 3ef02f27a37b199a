"""ORM models of exposure: SBOM components, matches and findings per product version, asset
profiles, decisions, per-asset summaries, evaluation runs and per-organisation settings.

Findings belong to a product version (every asset of the version inherits them) and link to a
match, what they say, stored once for every version that shares it. Assets that
share product version, criticality, network zone and status share a *profile*, so a decision is
stored once per (finding, profile) and counted for the profile's assets. Every table has a
non-null ``organisation_id``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from medtrust.storage.base import Base, utcnow


class SbomComponent(Base):
    """A component of a stored SBOM as read at upload (so evaluations need not re-parse)."""

    __tablename__ = "sbom_component"
    # foreign-key columns lead their index: SQLite checks children by it when a parent goes
    __table_args__ = (Index("ix_sbom_component_sbom", "sbom_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    sbom_id: Mapped[int] = mapped_column(ForeignKey("sbom_document.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    bom_ref: Mapped[str] = mapped_column(String(500))
    type: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(500))
    version: Mapped[str | None] = mapped_column(String(200), default=None)
    group: Mapped[str | None] = mapped_column(String(300), default=None)
    supplier: Mapped[str | None] = mapped_column(String(300), default=None)
    purl: Mapped[str | None] = mapped_column(String(1000), default=None)
    cpe: Mapped[str | None] = mapped_column(String(1000), default=None)


class SbomComponentKey(Base):
    """A matching key of a stored SBOM's components (``purl|…``, ``cpe|…``, ``name|…``).

    Lets an incremental evaluation find the SBOMs a new advisory can touch with one indexed
    query instead of re-reading every component.
    """

    __tablename__ = "sbom_component_key"
    __table_args__ = (
        UniqueConstraint("sbom_id", "key"),
        Index("ix_sbom_component_key_org_key", "organisation_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    sbom_id: Mapped[int] = mapped_column(ForeignKey("sbom_document.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(600))


class ExposureVulnerability(Base):
    """What an evaluation knew about a vulnerability: facts and its vulnerability-side inputs.

    One row per vulnerability seen in the organisation's findings, so the many findings of one
    vulnerability across product versions share one copy of its summary, aliases and reasons.
    """

    __tablename__ = "exposure_vulnerability"
    __table_args__ = (UniqueConstraint("organisation_id", "vulnerability"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    vulnerability: Mapped[str] = mapped_column(String(100))
    #: the other ids of the vulnerability, one per line
    aliases: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    cvss_score: Mapped[float | None] = mapped_column(Float, default=None)
    cvss_vector: Mapped[str | None] = mapped_column(String(300), default=None)
    severity: Mapped[str] = mapped_column(String(10))
    kev: Mapped[bool] = mapped_column(Boolean, default=False)
    kev_date: Mapped[str | None] = mapped_column(String(20), default=None)
    epss: Mapped[float | None] = mapped_column(Float, default=None)
    exploitation: Mapped[str] = mapped_column(String(10))
    automatable: Mapped[str] = mapped_column(String(10))
    #: reasons of the vulnerability-side inputs, one per line (plain text: an evaluation
    #: writes tens of thousands of rows, and encoding JSON was a third of their cost)
    exploitation_reasons: Mapped[str] = mapped_column(Text, default="")
    automatable_reasons: Mapped[str] = mapped_column(Text, default="")
    evaluated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExposureMatch(Base):
    """What a finding says, stored once however many product versions it applies to.

    Product versions share components (successive firmware releases, common libraries), so
    the same component, vulnerability, evidence and status recur across a portfolio: each
    distinct one is a match, and a product version's :class:`ExposureFinding` links to it.
    ``kev``, ``epss`` and ``cvss_score`` repeat the vulnerability's facts because lists of a
    version's findings sort by them.
    """

    __tablename__ = "exposure_match"
    __table_args__ = (Index("ix_exposure_match_org_vuln", "organisation_id", "vulnerability"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    vulnerability: Mapped[str] = mapped_column(String(100))
    component_name: Mapped[str] = mapped_column(String(500))
    component_version: Mapped[str | None] = mapped_column(String(200), default=None)
    component_purl: Mapped[str | None] = mapped_column(String(1000), default=None)
    component_cpe: Mapped[str | None] = mapped_column(String(1000), default=None)
    component_source: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30))
    status_source: Mapped[str] = mapped_column(String(500))
    justification: Mapped[str | None] = mapped_column(String(100), default=None)
    method: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[str] = mapped_column(String(10))
    detail: Mapped[str] = mapped_column(Text)
    #: every ``source:document`` the match rests on, one per line
    sources: Mapped[str] = mapped_column(Text, default="")
    cvss_score: Mapped[float | None] = mapped_column(Float, default=None)
    kev: Mapped[bool] = mapped_column(Boolean, default=False)
    epss: Mapped[float | None] = mapped_column(Float, default=None)


class ExposureFinding(Base):
    """A vulnerability of a product version (one component, one alias group), VEX applied:
    the version's link to the :class:`ExposureMatch` that describes it.

    Narrow on purpose (a portfolio has hundreds of thousands); the vulnerability's facts live in
    :class:`ExposureVulnerability`.
    """

    __tablename__ = "exposure_finding"
    __table_args__ = (
        Index("ix_exposure_finding_version", "product_version_id", "organisation_id"),
        Index("ix_exposure_finding_match", "match_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    product_version_id: Mapped[int] = mapped_column(ForeignKey("product_version.id"))
    match_id: Mapped[int] = mapped_column(ForeignKey("exposure_match.id", ondelete="CASCADE"))


class ExposureProfile(Base):
    """Assets of one product version alike in criticality, network zone and status."""

    __tablename__ = "exposure_profile"
    __table_args__ = (
        UniqueConstraint("organisation_id", "product_version_id", "profile_key"),
        Index("ix_exposure_profile_version", "product_version_id", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    product_version_id: Mapped[int] = mapped_column(ForeignKey("product_version.id"))
    profile_key: Mapped[str] = mapped_column(String(300))
    criticality: Mapped[str] = mapped_column(String(20))
    network_zone: Mapped[str | None] = mapped_column(String(120), default=None)
    vlan: Mapped[str | None] = mapped_column(String(40), default=None)
    asset_status: Mapped[str] = mapped_column(String(20))
    exposure: Mapped[str] = mapped_column(String(12))
    impact: Mapped[str] = mapped_column(String(12))
    #: reasons of the asset-side inputs: {"exposure": [...], "impact": [...], "compensating": [...]}
    reasons: Mapped[dict[str, Any]] = mapped_column(default=dict)
    asset_count: Mapped[int] = mapped_column(default=0)


class ExposureDecision(Base):
    """The decision for one finding on one profile's assets (Track* and above are stored).

    The worklist's sort keys are repeated here (``kev``, EPSS and CVSS with -1 for unknown,
    the profile's asset count) so that one index gives the worklist order: a page is an index
    range scan however many decisions there are.
    """

    __tablename__ = "exposure_decision"
    __table_args__ = (
        Index(
            "ix_exposure_decision_worklist",
            "organisation_id",
            "urgency",
            "kev",
            "epss_sort",
            "cvss_sort",
            "asset_count",
            "id",
        ),
        Index("ix_exposure_decision_profile", "profile_id"),
        Index("ix_exposure_decision_finding", "finding_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    finding_id: Mapped[int] = mapped_column(ForeignKey("exposure_finding.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("exposure_profile.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(12))
    urgency: Mapped[int] = mapped_column()
    rule: Mapped[str] = mapped_column(String(60))
    kev: Mapped[bool] = mapped_column(Boolean, default=False)
    epss_sort: Mapped[float] = mapped_column(Float, default=-1.0)
    cvss_sort: Mapped[float] = mapped_column(Float, default=-1.0)
    asset_count: Mapped[int] = mapped_column(default=0)


class AssetExposure(Base):
    """Per asset: its profile and how many open vulnerabilities it has per decision."""

    __tablename__ = "asset_exposure"
    __table_args__ = (
        UniqueConstraint("organisation_id", "asset_id"),
        Index("ix_asset_exposure_org_top", "organisation_id", "top_urgency"),
        Index("ix_asset_exposure_profile", "profile_id"),
        Index("ix_asset_exposure_asset", "asset_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"))
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("exposure_profile.id", ondelete="SET NULL"), default=None
    )
    top_urgency: Mapped[int] = mapped_column(default=-1)
    act: Mapped[int] = mapped_column(default=0)
    attend: Mapped[int] = mapped_column(default=0)
    track_star: Mapped[int] = mapped_column(default=0)
    track: Mapped[int] = mapped_column(default=0)


class ExposureRun(Base):
    """One evaluation: what triggered it, what it covered and the totals afterwards."""

    __tablename__ = "exposure_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    trigger: Mapped[str] = mapped_column(String(300))
    kb_updated_at: Mapped[str | None] = mapped_column(String(40), default=None)
    product_versions: Mapped[int] = mapped_column(default=0)
    #: totals after the run: asset-vulnerability pairs per decision, findings, assets
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)


class ExposureSettingsRow(Base):
    """An organisation's exposure settings (``exposure.settings.ExposureSettings`` as JSON)."""

    __tablename__ = "exposure_settings"
    __table_args__ = (UniqueConstraint("organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
