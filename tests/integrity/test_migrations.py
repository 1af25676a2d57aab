"""The Alembic migrations: one head, `flask db upgrade` from empty on this database, and the
upgraded schema matches the models exactly (so nobody forgot a migration)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from accompagnement.config import ROOT
from accompagnement.extensions import db
from tests.conftest import drop_database, flask_command, make_database_url

MIGRATIONS = ROOT / "migrations"
TRIGGERS = {"transition_records_append_only", "audit_events_append_only"}


def _missing() -> str | None:
    """Say why the migrations cannot be tested yet (they are generated at the end of the build)."""
    if not (MIGRATIONS / "env.py").is_file():
        return "migrations/ does not exist yet (`flask db init`)"
    if not any((MIGRATIONS / "versions").glob("*.py")):
        return "migrations/versions has no revision yet (`flask db migrate -m initial`)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))


@pytest.fixture
def upgraded(tmp_path: Path) -> Iterator[sa.Engine]:
    """A new, empty database upgraded by `flask db upgrade` run as an operator would."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = make_database_url(str(tmp_path), f"migrations_{worker}_{os.getpid()}")
    flask_command(url, "db", "upgrade")
    engine = sa.create_engine(url)
    yield engine
    engine.dispose()
    drop_database(url)


def test_there_is_a_single_head() -> None:
    heads = ScriptDirectory(str(MIGRATIONS)).get_heads()
    assert len(heads) == 1, f"several Alembic heads, merge them: {heads}"


def test_the_upgraded_schema_matches_the_models(upgraded: sa.Engine) -> None:
    with upgraded.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert not differences, "the models differ from the migrations: run `flask db migrate`:\n" + (
        "\n".join(map(str, differences))
    )


def test_the_migrations_create_the_audit_triggers(upgraded: sa.Engine) -> None:
    with upgraded.connect() as conn:
        if conn.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = (
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal"
            )
        names = set(conn.exec_driver_sql(query).scalars())
    assert names >= TRIGGERS, (
        "add accompagnement.audit.guard.audit_trigger_ddl(dialect) to a migration's upgrade()"
    )


def test_downgrade_to_base_and_upgrade_again(upgraded: sa.Engine) -> None:
    url = upgraded.url.render_as_string(hide_password=False)
    flask_command(url, "db", "downgrade", "base")
    tables = set(sa.inspect(upgraded).get_table_names()) - {"alembic_version"}
    assert not tables, f"downgrade to base left tables: {sorted(tables)}"
    flask_command(url, "db", "upgrade")
    assert {"users", "projects"} <= set(sa.inspect(upgraded).get_table_names())
