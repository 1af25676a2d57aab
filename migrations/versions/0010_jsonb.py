"""jsonb on PostgreSQL, indexes of the activity log's pages, an unused index dropped

- PostgreSQL stores the JSON columns as `jsonb` (binary, indexable, compared by value); SQLite
  keeps its JSON text.
- The activity log reads each part of a page in index order (ORDER BY ... LIMIT): planned and
  done activities by (status, date, id), with type and visitor so that the period's summary is
  read from the index alone; project visits by (day, project, position), member included (it
  replaces the (day, member) index, which it covers). The (type, status, date) index gets the
  visitor, for the visits' count by visitor.
- `ix_form_submissions_stage_status` served the newest visits form of every project; since the
  visits are rows (0008_visitrows) no query reads form submissions by stage and status alone.

Revision ID: 0010_jsonb
Revises: 0009_stageentries
Create Date: 2026-12-01 15:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010_jsonb"
down_revision = "0009_stageentries"
branch_labels = None
depends_on = None

JSON_COLUMNS = (
    ("form_submissions", "data"),
    ("audit_events", "detail"),
    ("outbox_messages", "headers"),
)
NEW_INDEXES = (
    ("ix_activities_type_status_date", "activities", ["type", "status", "date", "visitor"]),
    ("ix_activities_status_date", "activities", ["status", "date", "id", "type", "visitor"]),
    ("ix_project_visits_day_project", "project_visits", ["day", "project_id", "position", "member_id"]),
)
OLD_INDEXES = (
    ("ix_activities_type_status_date", "activities", ["type", "status", "date"]),
    ("ix_project_visits_day", "project_visits", ["day", "member_id"]),
    (
        "ix_form_submissions_stage_status",
        "form_submissions",
        ["stage", "status", "project_id", "revision"],
    ),
)


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if _postgresql():
        for table, column in JSON_COLUMNS:
            op.execute(
                f"ALTER TABLE {table} ALTER COLUMN {column} TYPE jsonb USING {column}::jsonb"
            )
    for name, table, _columns in OLD_INDEXES:
        op.drop_index(name, table_name=table)
    for name, table, columns in NEW_INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in NEW_INDEXES:
        op.drop_index(name, table_name=table)
    for name, table, columns in OLD_INDEXES:
        op.create_index(name, table, columns)
    if _postgresql():
        for table, column in JSON_COLUMNS:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE json USING {column}::json")
