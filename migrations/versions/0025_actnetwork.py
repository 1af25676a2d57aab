"""activities: the log's and the report's indexes cover the network (read from the index alone)

Revision ID: 0025_actnetwork
Revises: 0024_dueat
Create Date: 2026-12-01 23:00:00

"""

from alembic import op

revision = "0025_actnetwork"
down_revision = "0024_dueat"
branch_labels = None
depends_on = None

COLUMNS = {
    "ix_activities_type_status_date": ["type", "status", "date", "visitor"],
    "ix_activities_status_date": ["status", "date", "id", "type", "visitor"],
}


def upgrade():
    for name, columns in COLUMNS.items():
        op.drop_index(name, table_name="activities")
        op.create_index(name, "activities", [*columns, "network_id"])


def downgrade():
    for name, columns in COLUMNS.items():
        op.drop_index(name, table_name="activities")
        op.create_index(name, "activities", columns)
