"""board: an index giving each stage's oldest projects in order (the most urgent cards)

Revision ID: 0024_dueat
Revises: 0023_wfdrafts
Create Date: 2026-12-01 19:10:00

"""

from alembic import op

revision = "0024_dueat"
down_revision = "0023_wfdrafts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_projects_board",
        "projects",
        ["workflow_name", "state", "state_changed_at", "id"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_projects_board", table_name="projects")
