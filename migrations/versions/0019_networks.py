"""networks: every network-owned table gets its network, roles move to memberships

Existing data goes into the existing network (the first one), or into a default network created
here. Unique constraints that meant "in the network" become per network.

Revision ID: 0019_networks
Revises: 0018_meetings
Create Date: 2026-12-01 19:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0019_networks"
down_revision = "0018_meetings"
branch_labels = None
depends_on = None

# Tables that get a network_id column (the network tables and partner organisations had one).
OWNED = (
    "projects", "form_submissions", "project_visits", "project_funding_lines", "checklist_ticks",
    "transition_records", "stage_entries", "comments", "documents", "tasks",
    "personal_feed_keys", "exchanges", "activities", "calendar_tokens", "members",
    "observatory_reports", "means_staff_time", "means_budget_lines", "means_funding",
    "project_requests", "digest_items", "saved_reports", "saved_report_versions",
    "partner_scopes",
)  # fmt: skip
# name: (columns before, columns after)
UNIQUES = {
    "activities": {
        "uq_activities_natural_key": (["date", "type", "title"], ["network_id", "date", "type", "title"])
    },
    "calendar_tokens": {"uq_calendar_tokens_user_id": (["user_id"], ["network_id", "user_id"])},
    "personal_feed_keys": {
        "uq_personal_feed_keys_user_id": (["user_id"], ["network_id", "user_id"])
    },
    "members": {"uq_members_name": (["name"], ["network_id", "name"])},
    "means_staff_time": {
        "uq_means_staff_time_year_structure": (
            ["year", "structure"], ["network_id", "year", "structure"]
        )
    },
    "means_budget_lines": {
        "uq_means_budget_lines_year_label": (["year", "label"], ["network_id", "year", "label"])
    },
    "saved_reports": {"uq_saved_reports_name": (["name"], ["network_id", "name"])},
}  # fmt: skip
ROLES = ("coordinator", "holder", "partner", "member")

# SQLite's append-only trigger names every column and goes with the table's batch copy: it is
# recreated with network_id (frozen copies of accompagnement.audit.guard.audit_trigger_ddl).
# The PostgreSQL trigger compares whole rows: it is paused while the column is filled.
SQLITE_TRIGGER = "CREATE TRIGGER IF NOT EXISTS transition_records_append_only BEFORE UPDATE ON transition_records WHEN NOT (NEW.id IS OLD.id AND NEW.project_id IS OLD.project_id AND NEW.workflow_version IS OLD.workflow_version AND NEW.trigger IS OLD.trigger AND NEW.from_state IS OLD.from_state AND NEW.to_state IS OLD.to_state AND NEW.return_state IS OLD.return_state AND NEW.reason IS OLD.reason AND (NEW.user_id IS OLD.user_id OR NEW.user_id IS NULL) AND NEW.at IS OLD.at AND NEW.source IS OLD.source AND NEW.network_id IS OLD.network_id) BEGIN SELECT RAISE(ABORT, 'transition_records is append-only'); END"
SQLITE_TRIGGER_BEFORE = "CREATE TRIGGER IF NOT EXISTS transition_records_append_only BEFORE UPDATE ON transition_records WHEN NOT (NEW.id IS OLD.id AND NEW.project_id IS OLD.project_id AND NEW.workflow_version IS OLD.workflow_version AND NEW.trigger IS OLD.trigger AND NEW.from_state IS OLD.from_state AND NEW.to_state IS OLD.to_state AND NEW.return_state IS OLD.return_state AND NEW.reason IS OLD.reason AND (NEW.user_id IS OLD.user_id OR NEW.user_id IS NULL) AND NEW.at IS OLD.at AND NEW.source IS OLD.source) BEGIN SELECT RAISE(ABORT, 'transition_records is append-only'); END"
DROP_SQLITE_TRIGGER = "DROP TRIGGER IF EXISTS transition_records_append_only"


def upgrade():
    bind = op.get_bind()
    network_id = _default_network(bind)
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute(DROP_SQLITE_TRIGGER)
    for table in OWNED:
        _own(table, network_id, bind.dialect.name)
    if sqlite:
        op.execute(SQLITE_TRIGGER)
    _memberships(network_id)


def _default_network(bind):
    found = bind.execute(sa.text("SELECT id FROM networks ORDER BY id LIMIT 1")).scalar()
    if found is not None:
        return found
    bind.execute(
        sa.text(
            "INSERT INTO networks (name, short_name, created_at) "
            "VALUES ('Réseau', 'reseau', CURRENT_TIMESTAMP)"
        )
    )
    return bind.execute(sa.text("SELECT id FROM networks ORDER BY id LIMIT 1")).scalar()


def _own(table, network_id, dialect):
    op.add_column(table, sa.Column("network_id", sa.Integer(), nullable=True))
    pause = dialect == "postgresql" and table == "transition_records"
    if pause:
        op.execute("ALTER TABLE transition_records DISABLE TRIGGER transition_records_append_only")
    op.execute(sa.text(f"UPDATE {table} SET network_id = :n").bindparams(n=network_id))
    if pause:
        op.execute("ALTER TABLE transition_records ENABLE TRIGGER transition_records_append_only")
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column("network_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            f"fk_{table}_network_id_networks", "networks", ["network_id"], ["id"],
            ondelete="CASCADE",
        )  # fmt: skip
        batch_op.create_index(f"ix_{table}_network_id", ["network_id"], unique=False)
        for name, (_before, after) in UNIQUES.get(table, {}).items():
            batch_op.drop_constraint(name, type_="unique")
            batch_op.create_unique_constraint(name, after)


def _memberships(network_id):
    op.create_table(
        "network_memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "role IN ('coordinator', 'holder', 'partner', 'member')",
            name=op.f("ck_network_memberships_role"),
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"],
            name=op.f("fk_network_memberships_network_id_networks"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_network_memberships_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_memberships")),
        sa.UniqueConstraint("network_id", "user_id", name="uq_network_memberships_user"),
    )  # fmt: skip
    op.create_index(
        "ix_network_memberships_network_id", "network_memberships", ["network_id"], unique=False
    )
    op.create_index(
        "ix_network_memberships_user_id", "network_memberships", ["user_id"], unique=False
    )
    op.execute(
        sa.text(
            "INSERT INTO network_memberships (user_id, role, created_at, network_id) "
            "SELECT id, role, CURRENT_TIMESTAMP, :n FROM users"
        ).bindparams(n=network_id)
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("instance_role", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("last_network_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_users_last_network_id_networks", "networks", ["last_network_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.drop_column("role")
        batch_op.create_check_constraint("instance_role", "instance_role IN ('national')")


def downgrade():
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=20), nullable=True))
    op.execute(
        "UPDATE users SET role = (SELECT m.role FROM network_memberships m "
        "WHERE m.user_id = users.id ORDER BY m.network_id LIMIT 1)"
    )
    op.execute("UPDATE users SET role = 'partner' WHERE role IS NULL")  # national: read-only
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_instance_role"), type_="check")
        batch_op.drop_constraint("fk_users_last_network_id_networks", type_="foreignkey")
        batch_op.drop_column("last_network_id")
        batch_op.drop_column("instance_role")
        batch_op.alter_column("role", existing_type=sa.String(length=20), nullable=False)
        batch_op.create_check_constraint(
            "role", "role IN ('coordinator', 'holder', 'partner', 'member')"
        )
    op.drop_index("ix_network_memberships_user_id", table_name="network_memberships")
    op.drop_index("ix_network_memberships_network_id", table_name="network_memberships")
    op.drop_table("network_memberships")
    if sqlite:
        op.execute(DROP_SQLITE_TRIGGER)
    for table in reversed(OWNED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, (before, _after) in UNIQUES.get(table, {}).items():
                batch_op.drop_constraint(name, type_="unique")
                batch_op.create_unique_constraint(name, before)
            batch_op.drop_index(f"ix_{table}_network_id")
            batch_op.drop_constraint(f"fk_{table}_network_id_networks", type_="foreignkey")
            batch_op.drop_column("network_id")
    if sqlite:
        op.execute(SQLITE_TRIGGER_BEFORE)
