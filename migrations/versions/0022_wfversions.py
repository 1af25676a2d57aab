"""wfversions: published workflow versions (network, publisher, label revision)

Revision ID: 0022_wfversions
Revises: 0018_meetings
Create Date: 2026-12-01 18:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0022_wfversions"
down_revision = "0018_meetings"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workflow_snapshots") as batch:
        batch.add_column(sa.Column("network_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("published_by_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("label_revision", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("revised_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("revised_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_workflow_snapshots_network_id_networks"),
            "networks", ["network_id"], ["id"], ondelete="CASCADE",
        )  # fmt: skip
        batch.create_foreign_key(
            batch.f("fk_workflow_snapshots_published_by_id_users"),
            "users", ["published_by_id"], ["id"], ondelete="SET NULL",
        )  # fmt: skip
        batch.create_foreign_key(
            batch.f("fk_workflow_snapshots_revised_by_id_users"),
            "users", ["revised_by_id"], ["id"], ondelete="SET NULL",
        )  # fmt: skip
        batch.create_index(
            batch.f("ix_workflow_snapshots_network_id"), ["network_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("workflow_snapshots") as batch:
        batch.drop_index(batch.f("ix_workflow_snapshots_network_id"))
        batch.drop_constraint(
            batch.f("fk_workflow_snapshots_published_by_id_users"), type_="foreignkey"
        )
        batch.drop_constraint(
            batch.f("fk_workflow_snapshots_network_id_networks"), type_="foreignkey"
        )
        batch.drop_constraint(
            batch.f("fk_workflow_snapshots_revised_by_id_users"), type_="foreignkey"
        )
        batch.drop_column("revised_by_id")
        batch.drop_column("revised_at")
        batch.drop_column("label_revision")
        batch.drop_column("published_by_id")
        batch.drop_column("network_id")
