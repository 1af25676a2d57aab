"""notification_preferences and digest_items: each person's choice per kind, the digest's news

Revision ID: 0016_notify
Revises: 0013_tasks
Create Date: 2026-12-01 15:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016_notify"
down_revision = "0013_tasks"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("delivery", sa.String(length=10), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "delivery IN ('immediate', 'digest', 'never')",
            name=op.f("ck_notification_preferences_delivery_known"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_preferences")),
    )
    op.create_table(
        "digest_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_digest_items_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_digest_items_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_items")),
    )
    op.create_index("ix_digest_items_user", "digest_items", ["user_id", "id"])
    op.create_index(op.f("ix_digest_items_project_id"), "digest_items", ["project_id"])


def downgrade():
    op.drop_index(op.f("ix_digest_items_project_id"), table_name="digest_items")
    op.drop_index("ix_digest_items_user", table_name="digest_items")
    op.drop_table("digest_items")
    op.drop_table("notification_preferences")
