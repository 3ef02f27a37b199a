"""Exposure findings link to matches: what a finding says (component, evidence, status) is
stored once in ``exposure_match`` however many product versions share it; a vulnerability's
aliases and input reasons are plain lines of text instead of JSON.

Exposure results are derived data: the upgrade removes the stored results and runs (settings
stay), and the next evaluation (``medtrust exposure --evaluate`` or "Evaluate now") rebuilds
them. The downgrade does the same in reverse.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 14:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import medtrust.storage.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: component, evidence and status columns (on the finding before 0007, on the match after)
_WHAT = (
    ("vulnerability", sa.String(length=100), False),
    ("component_name", sa.String(length=500), False),
    ("component_version", sa.String(length=200), True),
    ("component_purl", sa.String(length=1000), True),
    ("component_cpe", sa.String(length=1000), True),
    ("component_source", sa.String(length=20), False),
    ("status", sa.String(length=30), False),
    ("status_source", sa.String(length=500), False),
    ("justification", sa.String(length=100), True),
    ("method", sa.String(length=20), False),
    ("confidence", sa.String(length=10), False),
    ("detail", sa.Text(), False),
    ("sources", sa.Text(), False),
    ("cvss_score", sa.Float(), True),
    ("kev", sa.Boolean(), False),
    ("epss", sa.Float(), True),
)


def _what() -> list[sa.Column[object]]:
    return [sa.Column(name, kind, nullable=null) for name, kind, null in _WHAT]


def _clear_results() -> None:
    for table in ("asset_exposure", "exposure_profile", "exposure_vulnerability", "exposure_run"):
        op.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608 (fixed table names)


def _drop_decisions_and_findings(finding_indexes: Sequence[str]) -> None:
    with op.batch_alter_table("exposure_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_exposure_decision_worklist")
        batch_op.drop_index("ix_exposure_decision_profile")
        batch_op.drop_index("ix_exposure_decision_finding")
    op.drop_table("exposure_decision")
    with op.batch_alter_table("exposure_finding", schema=None) as batch_op:
        for name in finding_indexes:
            batch_op.drop_index(name)
    op.drop_table("exposure_finding")


def _finding_table(*columns: sa.Column[object] | sa.ForeignKeyConstraint) -> None:
    op.create_table(
        "exposure_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("product_version_id", sa.Integer(), nullable=False),
        *columns,
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


def _vulnerability_table(*texts: sa.Column[object]) -> None:
    op.create_table(
        "exposure_vulnerability",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("vulnerability", sa.String(length=100), nullable=False),
        texts[0],
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("cvss_score", sa.Float(), nullable=True),
        sa.Column("cvss_vector", sa.String(length=300), nullable=True),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("kev", sa.Boolean(), nullable=False),
        sa.Column("kev_date", sa.String(length=20), nullable=True),
        sa.Column("epss", sa.Float(), nullable=True),
        sa.Column("exploitation", sa.String(length=10), nullable=False),
        sa.Column("automatable", sa.String(length=10), nullable=False),
        *texts[1:],
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


def _decision_table() -> None:
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


def upgrade() -> None:
    _clear_results()
    op.drop_table("exposure_vulnerability")
    _vulnerability_table(
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("exploitation_reasons", sa.Text(), nullable=False),
        sa.Column("automatable_reasons", sa.Text(), nullable=False),
    )
    _drop_decisions_and_findings(("ix_exposure_finding_version", "ix_exposure_finding_org_vuln"))
    op.create_table(
        "exposure_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        *_what(),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_exposure_match_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exposure_match")),
    )
    with op.batch_alter_table("exposure_match", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exposure_match_org_vuln", ["organisation_id", "vulnerability"], unique=False
        )
    _finding_table(
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["exposure_match.id"],
            name=op.f("fk_exposure_finding_match_id_exposure_match"),
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("exposure_finding", schema=None) as batch_op:
        batch_op.create_index("ix_exposure_finding_match", ["match_id"], unique=False)
        batch_op.create_index(
            "ix_exposure_finding_version", ["product_version_id", "organisation_id"], unique=False
        )
    _decision_table()


def downgrade() -> None:
    _clear_results()
    op.drop_table("exposure_vulnerability")
    _vulnerability_table(
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
    )
    _drop_decisions_and_findings(("ix_exposure_finding_version", "ix_exposure_finding_match"))
    with op.batch_alter_table("exposure_match", schema=None) as batch_op:
        batch_op.drop_index("ix_exposure_match_org_vuln")
    op.drop_table("exposure_match")
    _finding_table(*_what())
    with op.batch_alter_table("exposure_finding", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exposure_finding_org_vuln", ["organisation_id", "vulnerability"], unique=False
        )
        batch_op.create_index(
            "ix_exposure_finding_version", ["product_version_id", "organisation_id"], unique=False
        )
    _decision_table()
