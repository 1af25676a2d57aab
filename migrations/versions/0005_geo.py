"""The official French geography: régions, EPCI kind, communes' postal codes and search key,
former commune codes. The data itself is loaded after the upgrade (see migrations/env.py).

Revision ID: 0005_geo
Revises: 0004_load
Create Date: 2026-11-29 23:30:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0005_geo"
down_revision = "0004_load"
branch_labels = None
depends_on = None


def upgrade():
    # Only new tables, added columns and indexes: SQLite never rebuilds a referenced table.
    op.create_table(
        "regions",
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_regions")),
    )
    op.add_column("departements", sa.Column("region_code", sa.String(length=3), nullable=True))
    op.add_column("epcis", sa.Column("kind", sa.String(length=10), nullable=True))
    op.add_column(
        "communes",
        sa.Column("postal_codes", sa.String(length=200), server_default="", nullable=False),
    )
    op.add_column(
        "communes",
        sa.Column("search_key", sa.String(length=200), server_default="", nullable=False),
    )
    op.create_index(
        "ix_communes_search_key",
        "communes",
        ["search_key"],
        unique=False,
        postgresql_ops={"search_key": "text_pattern_ops"},
    )
    op.create_table(
        "commune_aliases",
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_insee"],
            ["communes.insee"],
            name=op.f("fk_commune_aliases_commune_insee_communes"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_commune_aliases")),
    )
    op.create_index(
        op.f("ix_commune_aliases_commune_insee"), "commune_aliases", ["commune_insee"], unique=False
    )


def _drop_column(table, column):
    """Drop a column in place (SQLite 3.35+ can, for a column without index or constraint)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    else:
        op.drop_column(table, column)


def downgrade():
    op.drop_index(op.f("ix_commune_aliases_commune_insee"), table_name="commune_aliases")
    op.drop_table("commune_aliases")
    op.drop_index("ix_communes_search_key", table_name="communes")
    _drop_column("communes", "search_key")
    _drop_column("communes", "postal_codes")
    _drop_column("epcis", "kind")
    _drop_column("departements", "region_code")
    op.drop_table("regions")
