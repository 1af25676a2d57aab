"""Migration 0002_network turns the free-text organisations of partner accounts into rows."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import drop_database, flask_command, make_database_url

USER = (
    "INSERT INTO users (email, name, role, active, session_token, failed_logins, created_at, "
    "organisation) VALUES (:email, :name, :role, true, :email, 0, CURRENT_TIMESTAMP, :org)"
)


def test_partner_organisations_migrate_from_free_text(tmp_path: Path) -> None:
    url = make_database_url(str(tmp_path), f"migrate_orgs_{os.getpid()}")
    try:
        flask_command(url, "db", "upgrade", "0001_initial")
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            for email, role, org in (
                ("a@x.org", "partner", "ADEME"),
                ("b@x.org", "partner", " ademe "),
                ("c@x.org", "partner", "SYDED 87"),
                ("d@x.org", "holder", "Association"),
                ("e@x.org", "partner", None),
            ):
                conn.execute(sa.text(USER), {"email": email, "name": email, "role": role,
                                             "org": org})  # fmt: skip
        flask_command(url, "db", "upgrade")
        with engine.connect() as conn:
            names = conn.execute(
                sa.text("SELECT name, kind FROM partner_organisations ORDER BY name")
            ).all()
            links = dict(
                conn.execute(
                    sa.text(
                        "SELECT u.email, o.name FROM users u "
                        "LEFT JOIN partner_organisations o ON o.id = u.organisation_id"
                    )
                ).all()
            )
            networks = conn.execute(sa.text("SELECT count(*) FROM networks")).scalar()
        engine.dispose()
        assert [tuple(row) for row in names] == [("ADEME", "other"), ("SYDED 87", "other")]
        assert links == {"a@x.org": "ADEME", "b@x.org": "ADEME", "c@x.org": "SYDED 87",
                         "d@x.org": None, "e@x.org": None}  # fmt: skip
        assert networks == 1
    finally:
        drop_database(url)
