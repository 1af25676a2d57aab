"""exchanges: the coordination's meetings, calls and visits with projects

Revision ID: 0018_meetings
Revises: 0017_door
Create Date: 2026-12-01 16:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0018_meetings"
down_revision = "0017_door"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "exchanges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("participants", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("coordinator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('meeting', 'phone', 'site_visit', 'workshop', 'email')",
            name=op.f("ck_exchanges_kind_known"),
        ),
        sa.CheckConstraint(
            "minutes >= 0 AND minutes <= 1440", name=op.f("ck_exchanges_minutes_range")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"],
            name=op.f("fk_exchanges_project_id_projects"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["coordinator_id"], ["users.id"],
            name=op.f("fk_exchanges_coordinator_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchanges")),
    )
    op.create_index("ix_exchanges_project_at", "exchanges", ["project_id", "at"])
    op.create_index("ix_exchanges_at", "exchanges", ["at"])


def downgrade():
    op.drop_index("ix_exchanges_at", table_name="exchanges")
    op.drop_index("ix_exchanges_project_at", table_name="exchanges")
    op.drop_table("exchanges")
