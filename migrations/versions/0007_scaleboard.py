"""Indexes of the bounded board, project list and partner figures (issue 10).

Revision ID: 0007_scaleboard
Revises: 0006_scalelists
Create Date: 2026-12-01 13:00:00

"""

from alembic import op


revision = "0007_scaleboard"
down_revision = "0006_scalelists"
branch_labels = None
depends_on = None


def upgrade():
    # Indexes only: nothing is rebuilt, on SQLite or PostgreSQL.
    op.create_index(
        "ix_projects_stage_since",
        "projects",
        ["workflow_name", "state", "workflow_version", "state_changed_at"],
    )
    op.create_index(
        "ix_transition_records_steps",
        "transition_records",
        ["project_id", "id", "to_state", "at"],
    )


def downgrade():
    op.drop_index("ix_transition_records_steps", table_name="transition_records")
    op.drop_index("ix_projects_stage_since", table_name="projects")
