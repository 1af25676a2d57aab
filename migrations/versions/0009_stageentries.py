"""stage_entries: the days each project spent in each state, kept with its transitions;
indexes for the partner dashboard's counts

Revision ID: 0009_stageentries
Revises: 0008_visitrows
Create Date: 2026-12-01 15:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009_stageentries"
down_revision = "0008_visitrows"
branch_labels = None
depends_on = None

# Days (with decimals) from `start` to `end`, as the application's stagesql.days_between.
DAYS = {
    "sqlite": "(julianday({end}) - julianday({start}))",
    "postgresql": "(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)",
}

# Replay every project's records in order (by id): each stay ends at the next record, the last
# one is under way. A state's row adds its finished stays (a negative one counts as nothing) and
# keeps the start of the stay under way; `entered_at` is the first time it was entered.
BACKFILL = """
INSERT INTO stage_entries (project_id, stage, workflow_name, entered_at, days, since)
SELECT project_id, stage, workflow_name, min(at),
       sum(CASE WHEN next_at IS NULL THEN 0.0 WHEN {span} > 0 THEN {span} ELSE 0.0 END),
       max(CASE WHEN next_at IS NULL THEN at END)
FROM (
    SELECT t.project_id, t.to_state AS stage, p.workflow_name, t.at,
           lead(t.at) OVER (PARTITION BY t.project_id ORDER BY t.id) AS next_at
    FROM transition_records t JOIN projects p ON p.id = t.project_id
) steps
GROUP BY project_id, stage, workflow_name
"""


def upgrade():
    op.create_table(
        "stage_entries",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("workflow_name", sa.String(length=80), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("days", sa.Float(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_stage_entries_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "stage", name=op.f("pk_stage_entries")),
    )
    op.create_index(
        "ix_stage_entries_ranked",
        "stage_entries",
        ["workflow_name", "stage", "since", "days"],
    )
    # The partner dashboard's counts per stage and département, from indexes alone.
    op.create_index(
        "ix_projects_counts",
        "projects",
        ["workflow_name", "state", "workflow_version", "commune_insee"],
    )
    op.create_index("ix_communes_insee_departement", "communes", ["insee", "departement_code"])
    dialect = op.get_bind().dialect.name
    span = DAYS[dialect].format(start="at", end="next_at")
    op.execute(BACKFILL.format(span=span))


def downgrade():
    op.drop_index("ix_communes_insee_departement", table_name="communes")
    op.drop_index("ix_projects_counts", table_name="projects")
    op.drop_index("ix_stage_entries_ranked", table_name="stage_entries")
    op.drop_table("stage_entries")
