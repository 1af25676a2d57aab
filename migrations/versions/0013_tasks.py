"""tasks: tasks with due dates on projects (typed in or made by a stage's template), and the
secret keys of the personal calendar feeds

Revision ID: 0013_tasks
Revises: 0012_savedreports
Create Date: 2026-12-01 15:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013_tasks"
down_revision = "0012_savedreports"
branch_labels = None
depends_on = None


def _user_fk(column):
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_tasks_{column}_users"), ondelete="SET NULL"
    )


def upgrade():
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=True),
        sa.Column("template", sa.String(length=60), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("assignee", sa.String(length=12), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "assignee IN ('person', 'holders', 'coordination')", name=op.f("ck_tasks_assignee")
        ),
        sa.CheckConstraint(
            "assignee_id IS NULL OR assignee = 'person'", name=op.f("ck_tasks_assignee_person")
        ),
        sa.CheckConstraint(
            "template IS NULL OR stage IS NOT NULL", name=op.f("ck_tasks_template_has_stage")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_tasks_project_id_projects"),
            ondelete="CASCADE",
        ),
        _user_fk("assignee_id"),
        _user_fk("done_by_id"),
        _user_fk("created_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("project_id", "stage", "template", name="uq_tasks_template"),
    )
    op.create_index("ix_tasks_project_open", "tasks", ["project_id", "done_at", "due_on"])
    op.create_index("ix_tasks_assignee_open", "tasks", ["assignee_id", "done_at", "due_on"])
    op.create_index("ix_tasks_open_due", "tasks", ["done_at", "due_on"])
    op.create_table(
        "personal_feed_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_personal_feed_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_feed_keys")),
        sa.UniqueConstraint("user_id", name=op.f("uq_personal_feed_keys_user_id")),
    )


def downgrade():
    op.drop_table("personal_feed_keys")
    op.drop_index("ix_tasks_open_due", table_name="tasks")
    op.drop_index("ix_tasks_assignee_open", table_name="tasks")
    op.drop_index("ix_tasks_project_open", table_name="tasks")
    op.drop_table("tasks")
