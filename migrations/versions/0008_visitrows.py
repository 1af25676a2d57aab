"""project_visits: the holders' visits stored as rows of their newest submitted visits form

Revision ID: 0008_visitrows
Revises: 0007_scaleboard
Create Date: 2026-12-01 14:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008_visitrows"
down_revision = "0007_scaleboard"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "project_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_project_visits_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_visits_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["form_submissions.id"],
            name=op.f("fk_project_visits_submission_id_form_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_visits")),
    )
    op.create_index("ix_project_visits_day", "project_visits", ["day", "member_id"])
    op.create_index("ix_project_visits_member_day", "project_visits", ["member_id", "day"])
    op.create_index(op.f("ix_project_visits_project_id"), "project_visits", ["project_id"])
    # The backfill applies the rules of the form's writer (one place, in Python batches).
    from accompagnement.projects.visitrows import rebuild_visits

    rebuild_visits(op.get_bind())


def downgrade():
    op.drop_index(op.f("ix_project_visits_project_id"), table_name="project_visits")
    op.drop_index("ix_project_visits_member_day", table_name="project_visits")
    op.drop_index("ix_project_visits_day", table_name="project_visits")
    op.drop_table("project_visits")
