"""means: the coordination's staff time, budget lines and funding received, per year

Revision ID: 0011_means
Revises: 0008_visitrows
Create Date: 2026-12-01 15:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011_means"
down_revision = "0008_visitrows"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "means_staff_time",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("structure", sa.String(length=200), nullable=False),
        sa.Column("fte", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("fte > 0 AND fte <= 99.99", name=op.f("ck_means_staff_time_fte")),
        sa.CheckConstraint("year >= 2000 AND year <= 2999", name=op.f("ck_means_staff_time_year")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_means_staff_time")),
        sa.UniqueConstraint("year", "structure", name="uq_means_staff_time_year_structure"),
    )
    op.create_table(
        "means_budget_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "amount >= 0 AND amount <= 9999999999.99", name=op.f("ck_means_budget_lines_amount")
        ),
        sa.CheckConstraint("kind IN ('staff', 'other')", name=op.f("ck_means_budget_lines_kind")),
        sa.CheckConstraint(
            "year >= 2000 AND year <= 2999", name=op.f("ck_means_budget_lines_year")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_means_budget_lines")),
        sa.UniqueConstraint("year", "label", name="uq_means_budget_lines_year_label"),
    )
    op.create_table(
        "means_funding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "amount >= 0 AND amount <= 9999999999.99", name=op.f("ck_means_funding_amount")
        ),
        sa.CheckConstraint("year >= 2000 AND year <= 2999", name=op.f("ck_means_funding_year")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["partner_organisations.id"],
            name=op.f("fk_means_funding_organisation_id_partner_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_means_funding")),
        sa.UniqueConstraint("year", "organisation_id", name="uq_means_funding_year_organisation"),
    )
    op.create_index(op.f("ix_means_funding_organisation_id"), "means_funding", ["organisation_id"])


def downgrade():
    op.drop_index(op.f("ix_means_funding_organisation_id"), table_name="means_funding")
    op.drop_table("means_funding")
    op.drop_table("means_budget_lines")
    op.drop_table("means_staff_time")
