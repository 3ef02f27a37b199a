"""Exposure: SBOM components and their matching keys, findings per product version and the
vulnerabilities they name, asset profiles, decisions, per-asset summaries, evaluation runs and
settings.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 11:51:46.291471
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import medtrust.storage.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exposure_vulnerability",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("vulnerability", sa.String(length=100), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("cvss_score", sa.Float(), nullable=True),
        sa.Column("cvss_vector", sa.String(length=300), nullable=True),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("kev", sa.Boolean(), nullable=False),
        sa.Column("kev_date", sa.String(length=20), nullable=True),
        sa.Column("epss", sa.Float(), nullable=True),
        sa.Column("exploitation", sa.String(length=10), nullable=False),
        sa.Column("automatable", sa.String(length=10), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("evaluated_at", medtrust.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_exposure_vulnerability_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exposure_vulnerability")),
        sa.UniqueConstraint(
            "organisation_id",
            "vulnerability",
            name=op.f("uq_exposure_vulnerability_organisation_id_vulnerability"),
        ),
    )
    op.create_table(
        "exposure_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("trigger", sa.String(length=300), nullable=False),
        sa.Column("kb_updated_at", sa.String(length=40), nullable=True),
        sa.Column("product_versions", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("started_at", medtrust.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", medtrust.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_exposure_run_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"],
            ["user_account.id"],
            name=op.f("fk_exposure_run_started_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exposure_run")),
    )
    with op.batch_alter_table("exposure_run", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exposure_run_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "exposure_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", medtrust.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_exposure_settings_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_exposure_settings_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exposure_settings")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_exposure_settings_organisation_id")),
    )
    op.create_table(
        "exposure_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("product_version_id", sa.Integer(), nullable=False),
        sa.Column("vulnerability", sa.String(length=100), nullable=False),
        sa.Column("component_name", sa.String(length=500), nullable=False),
        sa.Column("component_version", sa.String(length=200), nullable=True),
        sa.Column("component_purl", sa.String(length=1000), nullable=True),
        sa.Column("component_cpe", sa.String(length=1000), nullable=True),
        sa.Column("component_source", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("status_source", sa.String(length=500), nullable=False),
        sa.Column("justification", sa.String(length=100), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("confidence", sa.String(length=10), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("cvss_score", sa.Float(), nullable=True),
        sa.Column("kev", sa.Boolean(), nullable=False),
        sa.Column("epss", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_exposure_finding_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["product_version_id"],
            ["product_version.id"],
            name=op.f("fk_exposure_finding_product_version_id_product_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exposure_finding")),
    )
    with op.batch_alter_table("exposure_finding", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exposure_finding_org_vuln", ["organisation_id", "vulnerability"], unique=False
        )
        batch_op.create_index(
            "ix_exposure_finding_version", ["product_version_id", "organisation_id"], unique=False
        )

    op.create_table(
        "exposure_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("product_version_id", sa.Integer(), nullable=False),
        sa.Column("profile_key", sa.String(length=300), nullable=False),
        sa.Column("criticality", sa.String(length=20), nullable=False),
        sa.Column("network_zone", sa.String(length=120), nullable=True),
        sa.Column("vlan", sa.String(length=40), nullable=True),
        sa.Column("asset_status", sa.String(length=20), nullable=False),
        sa.Column("exposure", sa.String(length=12), nullable=False),
        sa.Column("impact", sa.String(length=12), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("asset_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_exposure_profile_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["product_version_id"],
            ["product_version.id"],
            name=op.f("fk_exposure_profile_product_version_id_product_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exposure_profile")),
        sa.UniqueConstraint(
            "organisation_id",
            "product_version_id",
            "profile_key",
            name=op.f("uq_exposure_profile_organisation_id_product_version_id_profile_key"),
        ),
    )
    with op.batch_alter_table("exposure_profile", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exposure_profile_version", ["product_version_id", "organisation_id"], unique=False
        )

    op.create_table(
        "asset_exposure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("top_urgency", sa.Integer(), nullable=False),
        sa.Column("act", sa.Integer(), nullable=False),
        sa.Column("attend", sa.Integer(), nullable=False),
        sa.Column("track_star", sa.Integer(), nullable=False),
        sa.Column("track", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["asset.id"],
            name=op.f("fk_asset_exposure_asset_id_asset"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_asset_exposure_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["exposure_profile.id"],
            name=op.f("fk_asset_exposure_profile_id_exposure_profile"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_exposure")),
        sa.UniqueConstraint(
            "organisation_id", "asset_id", name=op.f("uq_asset_exposure_organisation_id_asset_id")
        ),
    )
    with op.batch_alter_table("asset_exposure", schema=None) as batch_op:
        batch_op.create_index("ix_asset_exposure_asset", ["asset_id"], unique=False)
        batch_op.create_index(
            "ix_asset_exposure_org_top", ["organisation_id", "top_urgency"], unique=False
        )
        batch_op.create_index("ix_asset_exposure_profile", ["profile_id"], unique=False)

    op.create_table(
        "exposure_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column("urgency", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("kev", sa.Boolean(), nullable=False),
        sa.Column("epss_sort", sa.Float(), nullable=False),
        sa.Column("cvss_sort", sa.Float(), nullable=False),
        sa.Column("asset_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["exposure_finding.id"],
            name=op.f("fk_exposure_decision_finding_id_exposure_finding"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_exposure_decision_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["exposure_profile.id"],
            name=op.f("fk_exposure_decision_profile_id_exposure_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exposure_decision")),
    )
    with op.batch_alter_table("exposure_decision", schema=None) as batch_op:
        batch_op.create_index("ix_exposure_decision_finding", ["finding_id"], unique=False)
        batch_op.create_index("ix_exposure_decision_profile", ["profile_id"], unique=False)
        batch_op.create_index(
            "ix_exposure_decision_worklist",
            ["organisation_id", "urgency", "kev", "epss_sort", "cvss_sort", "asset_count", "id"],
            unique=False,
        )

    op.create_table(
        "sbom_component",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("sbom_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("bom_ref", sa.String(length=500), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("version", sa.String(length=200), nullable=True),
        sa.Column("group", sa.String(length=300), nullable=True),
        sa.Column("supplier", sa.String(length=300), nullable=True),
        sa.Column("purl", sa.String(length=1000), nullable=True),
        sa.Column("cpe", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_sbom_component_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["sbom_id"],
            ["sbom_document.id"],
            name=op.f("fk_sbom_component_sbom_id_sbom_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sbom_component")),
    )
    with op.batch_alter_table("sbom_component", schema=None) as batch_op:
        batch_op.create_index("ix_sbom_component_sbom", ["sbom_id", "position"], unique=False)

    op.create_table(
        "sbom_component_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("sbom_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_sbom_component_key_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["sbom_id"],
            ["sbom_document.id"],
            name=op.f("fk_sbom_component_key_sbom_id_sbom_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sbom_component_key")),
        sa.UniqueConstraint("sbom_id", "key", name=op.f("uq_sbom_component_key_sbom_id_key")),
    )
    with op.batch_alter_table("sbom_component_key", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sbom_component_key_org_key", ["organisation_id", "key"], unique=False
        )

    with op.batch_alter_table("sbom_document", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("embedded_vex", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("sbom_document", schema=None) as batch_op:
        batch_op.drop_column("embedded_vex")

    with op.batch_alter_table("sbom_component_key", schema=None) as batch_op:
        batch_op.drop_index("ix_sbom_component_key_org_key")

    op.drop_table("sbom_component_key")
    with op.batch_alter_table("sbom_component", schema=None) as batch_op:
        batch_op.drop_index("ix_sbom_component_sbom")

    op.drop_table("sbom_component")
    with op.batch_alter_table("exposure_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_exposure_decision_worklist")
        batch_op.drop_index("ix_exposure_decision_profile")
        batch_op.drop_index("ix_exposure_decision_finding")

    op.drop_table("exposure_decision")
    with op.batch_alter_table("asset_exposure", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_exposure_profile")
        batch_op.drop_index("ix_asset_exposure_org_top")
        batch_op.drop_index("ix_asset_exposure_asset")

    op.drop_table("asset_exposure")
    with op.batch_alter_table("exposure_profile", schema=None) as batch_op:
        batch_op.drop_index("ix_exposure_profile_version")

    op.drop_table("exposure_profile")
    with op.batch_alter_table("exposure_finding", schema=None) as batch_op:
        batch_op.drop_index("ix_exposure_finding_version")
        batch_op.drop_index("ix_exposure_finding_org_vuln")

    op.drop_table("exposure_finding")
    op.drop_table("exposure_settings")
    with op.batch_alter_table("exposure_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exposure_run_organisation_id"))

    op.drop_table("exposure_run")
    op.drop_table("exposure_vulnerability")
