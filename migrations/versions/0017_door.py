"""project_requests: requests made through the public door

Revision ID: 0017_door
Revises: 0016_notify
Create Date: 2026-12-01 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017_door"
down_revision = "0016_notify"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "project_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("project_name", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("commune_insee", sa.String(length=5), nullable=True),
        sa.Column("commune_text", sa.String(length=120), nullable=False),
        sa.Column("holder_type", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decline_message", sa.Text(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('unconfirmed', 'pending', 'accepted', 'declined')",
            name=op.f("ck_project_requests_status_known"),
        ),
        sa.CheckConstraint(
            "holder_type IN ('association', 'collectivite', 'individual', 'company', 'other')",
            name=op.f("ck_project_requests_holder_type_known"),
        ),
        sa.ForeignKeyConstraint(
            ["commune_insee"],
            ["communes.insee"],
            name=op.f("fk_project_requests_commune_insee_communes"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_project_requests_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_requests_project_id_projects"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_requests")),
    )
    op.create_index(
        "ix_project_requests_status_created", "project_requests", ["status", "created_at"]
    )


def downgrade():
    op.drop_index("ix_project_requests_status_created", table_name="project_requests")
    op.drop_table("project_requests")
