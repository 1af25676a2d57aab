"""transition source: imported history is marked as such

Revision ID: 0003_history
Revises: 0002_network
Create Date: 2026-11-29 23:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003_history"
down_revision = "0002_network"
branch_labels = None
depends_on = None

# SQLite's append-only trigger names every column: it is recreated with the new one (frozen
# copies of accompagnement.audit.guard.audit_trigger_ddl("sqlite") before and after). The
# PostgreSQL trigger compares whole rows (to_jsonb) and covers the new column as it is.
SQLITE_TRIGGER = "CREATE TRIGGER IF NOT EXISTS transition_records_append_only BEFORE UPDATE ON transition_records WHEN NOT (NEW.id IS OLD.id AND NEW.project_id IS OLD.project_id AND NEW.workflow_version IS OLD.workflow_version AND NEW.trigger IS OLD.trigger AND NEW.from_state IS OLD.from_state AND NEW.to_state IS OLD.to_state AND NEW.return_state IS OLD.return_state AND NEW.reason IS OLD.reason AND (NEW.user_id IS OLD.user_id OR NEW.user_id IS NULL) AND NEW.at IS OLD.at AND NEW.source IS OLD.source) BEGIN SELECT RAISE(ABORT, 'transition_records is append-only'); END"
SQLITE_TRIGGER_BEFORE = "CREATE TRIGGER IF NOT EXISTS transition_records_append_only BEFORE UPDATE ON transition_records WHEN NOT (NEW.id IS OLD.id AND NEW.project_id IS OLD.project_id AND NEW.workflow_version IS OLD.workflow_version AND NEW.trigger IS OLD.trigger AND NEW.from_state IS OLD.from_state AND NEW.to_state IS OLD.to_state AND NEW.return_state IS OLD.return_state AND NEW.reason IS OLD.reason AND (NEW.user_id IS OLD.user_id OR NEW.user_id IS NULL) AND NEW.at IS OLD.at) BEGIN SELECT RAISE(ABORT, 'transition_records is append-only'); END"
DROP_SQLITE_TRIGGER = "DROP TRIGGER IF EXISTS transition_records_append_only"


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute(DROP_SQLITE_TRIGGER)
    # A plain ADD COLUMN (no batch copy): SQLite keeps the table, its indexes and triggers.
    op.add_column("transition_records", sa.Column("source", sa.String(length=20), nullable=True))
    if sqlite:
        op.execute(SQLITE_TRIGGER)


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute(DROP_SQLITE_TRIGGER)
    op.drop_column("transition_records", "source")
    if sqlite:
        op.execute(SQLITE_TRIGGER_BEFORE)
