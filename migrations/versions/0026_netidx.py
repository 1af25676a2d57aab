"""netidx: the list indexes lead with network_id (every scoped query has `network_id = :current`)

Since several networks share an instance, every query of a network-owned table carries
`network_id = <the network>` (tenancy.py). The indexes that served the main lists in order or
alone (index-only) did not hold network_id: each row they gave had to be read from the table to
check it, so PostgreSQL scanned the tables instead. Each index is rebuilt with network_id first,
under the same name.

Revision ID: 0026_netidx
Revises: 0025_apinational
Create Date: 2026-12-01 23:10:00

"""

from alembic import op

revision = "0026_netidx"
down_revision = "0025_apinational"
branch_labels = None
depends_on = None

# name: (table, columns after network_id)
INDEXES = {
    "ix_projects_stage_since": (
        "projects",
        ["workflow_name", "state", "workflow_version", "state_changed_at"],
    ),
    "ix_projects_board": ("projects", ["workflow_name", "state", "state_changed_at", "id"]),
    "ix_projects_counts": (
        "projects",
        ["workflow_name", "state", "workflow_version", "commune_insee"],
    ),
    "ix_stage_entries_ranked": ("stage_entries", ["workflow_name", "stage", "since", "days"]),
    "ix_activities_date": ("activities", ["date"]),
    "ix_activities_status_date": ("activities", ["status", "date", "id", "type", "visitor"]),
    "ix_activities_type_status_date": ("activities", ["type", "status", "date", "visitor"]),
    "ix_project_visits_day_project": (
        "project_visits",
        ["day", "project_id", "position", "member_id"],
    ),
    "ix_transition_records_project_time": ("transition_records", ["project_id", "at"]),
    "ix_form_submissions_project_created": ("form_submissions", ["project_id", "created_at"]),
    "ix_checklist_ticks_project_at": ("checklist_ticks", ["project_id", "at"]),
}


def _rebuild(with_network: bool) -> None:
    for name, (table, columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, ["network_id", *columns] if with_network else columns)


def upgrade():
    _rebuild(with_network=True)


def downgrade():
    _rebuild(with_network=False)
