"""workflow_drafts: pathways being written in the browser before they are published

Revision ID: 0023_wfdrafts
Revises: 0022_wfversions
Create Date: 2026-12-01 19:10:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0023_wfdrafts"
down_revision = "0022_wfversions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "workflow_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column(
            "definition",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"],
            name=op.f("fk_workflow_drafts_network_id_networks"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"],
            name=op.f("fk_workflow_drafts_updated_by_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_drafts")),
    )
    op.create_index(op.f("ix_workflow_drafts_network_id"), "workflow_drafts", ["network_id"])


def downgrade():
    op.drop_table("workflow_drafts")
