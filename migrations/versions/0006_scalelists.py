"""Indexes of the lists and the report at national scale (issue 10): counts of activities by
type and status in a period, the log filtered by ressourcerie, the newest submitted visits form
of every project, and the reminders' latest news per project.

Revision ID: 0006_scalelists
Revises: 0005_geo
Create Date: 2026-12-01 13:00:00

"""

from alembic import op


revision = "0006_scalelists"
down_revision = "0005_geo"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_activities_type_status_date", "activities", ["type", "status", "date"]),
    ("ix_activity_members_member_id", "activity_members", ["member_id"]),
    (
        "ix_form_submissions_stage_status",
        "form_submissions",
        ["stage", "status", "project_id", "revision"],
    ),
    ("ix_transition_records_project_time", "transition_records", ["project_id", "at"]),
    ("ix_form_submissions_project_created", "form_submissions", ["project_id", "created_at"]),
    ("ix_comments_project_created", "comments", ["project_id", "created_at"]),
    ("ix_checklist_ticks_project_at", "checklist_ticks", ["project_id", "at"]),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
