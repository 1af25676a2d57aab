"""saved_reports and saved_report_versions: named reports, their narrative versions, frozen figures

Revision ID: 0012_savedreports
Revises: 0011_means
Create Date: 2026-12-01 15:30:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012_savedreports"
down_revision = "0011_means"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "saved_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("departement_code", sa.String(length=3), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column(
            "snapshot",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column("frozen_at", sa.DateTime(), nullable=True),
        sa.Column("frozen_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("end_on >= start_on", name=op.f("ck_saved_reports_period_in_order")),
        sa.CheckConstraint(
            "(frozen_at IS NULL) = (snapshot IS NULL)",
            name=op.f("ck_saved_reports_frozen_with_snapshot"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_saved_reports_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["departement_code"],
            ["departements.code"],
            name=op.f("fk_saved_reports_departement_code_departements"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["frozen_by_id"],
            ["users.id"],
            name=op.f("fk_saved_reports_frozen_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_reports")),
        sa.UniqueConstraint("name", name="uq_saved_reports_name"),
    )
    op.create_table(
        "saved_report_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("highlights", sa.Text(), nullable=False),
        sa.Column("difficulties", sa.Text(), nullable=False),
        sa.Column("outlook", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_saved_report_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_saved_report_versions_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["saved_reports.id"],
            name=op.f("fk_saved_report_versions_report_id_saved_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_report_versions")),
        sa.UniqueConstraint(
            "report_id", "number", name="uq_saved_report_versions_report_number"
        ),
    )
    op.create_index(
        op.f("ix_saved_report_versions_report_id"),
        "saved_report_versions",
        ["report_id"],
        unique=False,
    )


def downgrade():
    op.drop_index(op.f("ix_saved_report_versions_report_id"), table_name="saved_report_versions")
    op.drop_table("saved_report_versions")
    op.drop_table("saved_reports")
