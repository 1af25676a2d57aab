"""apinational: national staff's API tokens, bound to no network and read-only

Revision ID: 0025_apinational
Revises: 0024_dueat
Create Date: 2026-12-01 23:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0025_apinational"
down_revision = "0024_dueat"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("network_id", existing_type=sa.Integer(), nullable=True)
        batch.create_check_constraint(
            batch.f("ck_api_tokens_national_read"), "network_id IS NOT NULL OR scope = 'read'"
        )


def downgrade():
    op.execute("DELETE FROM api_tokens WHERE network_id IS NULL")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_constraint(batch.f("ck_api_tokens_national_read"), type_="check")
        batch.alter_column("network_id", existing_type=sa.Integer(), nullable=False)
