"""Stored SBOM and VEX documents (raw bytes, format, digest, uploader) per organisation.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 09:32:31.306495
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import medtrust.storage.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "vex_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("source_format", sa.String(length=40), nullable=False),
        sa.Column("statement_count", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", medtrust.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_vex_document_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_vex_document_uploaded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vex_document")),
    )
    with op.batch_alter_table("vex_document", schema=None) as batch_op:
        batch_op.create_index(
            "ix_vex_document_org_digest", ["organisation_id", "content_digest"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_vex_document_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "sbom_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("product_version_id", sa.Integer(), nullable=True),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("source_format", sa.String(length=40), nullable=False),
        sa.Column("spec_version", sa.String(length=20), nullable=True),
        sa.Column("component_count", sa.Integer(), nullable=False),
        sa.Column("quality_score", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", medtrust.storage.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_sbom_document_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["product_version_id"],
            ["product_version.id"],
            name=op.f("fk_sbom_document_product_version_id_product_version"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_sbom_document_uploaded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sbom_document")),
    )
    with op.batch_alter_table("sbom_document", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sbom_document_org_digest", ["organisation_id", "content_digest"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sbom_document_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sbom_document_product_version_id"), ["product_version_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sbom_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sbom_document_product_version_id"))
        batch_op.drop_index(batch_op.f("ix_sbom_document_organisation_id"))
        batch_op.drop_index("ix_sbom_document_org_digest")

    op.drop_table("sbom_document")
    with op.batch_alter_table("vex_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vex_document_organisation_id"))
        batch_op.drop_index("ix_vex_document_org_digest")

    op.drop_table("vex_document")
