"""Migration 0008_visitrows fills `project_visits` from the forms with its own code.

It used to import the application's writer (projects/visitrows.py); a migration must keep
giving the same rows when the application changes, so it now carries the rules it applied.
The rows it writes are those the application's writer gives for the same forms.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from accompagnement import create_app
from accompagnement.extensions import db
from accompagnement.projects.visitrows import rebuild_visits
from tests.conftest import drop_database, flask_command, make_database_url

FORMS = [  # (project, revision, status, data)
    (1, 1, "submitted", {"visits": [{"member": 1, "date": "2024-03-01"}]}),
    (1, 2, "submitted", {"visits": [
        {"member": 1, "date": "2024-05-02"},           # kept
        {"member": 99, "date": "2024-05-03"},          # no such member: kept, member cleared
        {"member": True, "date": "2024-05-04"},        # not a whole number: member cleared
        {"member": 2, "date": "2024-02-30"},           # impossible day: left out
        {"member": 2, "date": "02/05/2024"},           # not ISO: left out
        "not an object",                               # left out
        {"member": 2, "date": "2024-06-01"},           # kept, position 6
    ]}),
    (1, 3, "draft", {"visits": [{"member": 2, "date": "2024-07-01"}]}),  # a draft: ignored
    (2, 1, "submitted", {"visits": "nothing"}),
    (3, 1, "submitted", {"visits": [{"member": 2, "date": "2023-12-31"}]}),
]  # fmt: skip
ROWS = "SELECT project_id, submission_id, position, day, member_id FROM project_visits"


def _fill(conn: sa.Connection) -> None:
    now = "2024-01-01 00:00:00"
    for member in (1, 2):
        conn.execute(
            sa.text(
                "INSERT INTO members (id, name, kind, status, does_collecte, does_valorisation, "
                "does_vente, does_sensibilisation, created_at) "
                "VALUES (:id, :name, 'ressourcerie', 'member', true, true, true, true, :now)"
            ),
            {"id": member, "name": f"Ressourcerie {member}", "now": now},
        )
    for project in (1, 2, 3):
        conn.execute(
            sa.text(
                "INSERT INTO projects (id, name, workflow_name, workflow_version, state, "
                "lock_version, created_at, updated_at, state_changed_at) VALUES (:id, :name, "
                "'creation-ressourcerie', 1, 'visites', 1, :now, :now, :now)"
            ),
            {"id": project, "name": f"Projet {project}", "now": now},
        )
    forms = sa.table(
        "form_submissions",
        *(sa.column(c) for c in ("project_id", "stage", "revision", "status", "created_at")),
        sa.column("data", sa.JSON),
    )
    conn.execute(
        sa.insert(forms),
        [
            {"project_id": p, "stage": "visites", "revision": r, "status": s, "data": d,
             "created_at": now}
            for p, r, s, d in FORMS
        ],
    )  # fmt: skip


def test_the_migration_writes_the_rows_the_application_writes(tmp_path: Path) -> None:
    url = make_database_url(str(tmp_path), f"visitrows_{os.getpid()}")
    try:
        flask_command(url, "db", "upgrade", "0007_scaleboard")
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            _fill(conn)
        flask_command(url, "db", "upgrade", "0008_visitrows")
        with engine.connect() as conn:
            migrated = sorted(tuple(row) for row in conn.execute(sa.text(ROWS)))
        engine.dispose()
        flask_command(url, "db", "upgrade")  # the application's code reads today's schema
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            with db.engine.begin() as conn:
                rebuild_visits(conn)
                written = sorted(tuple(row) for row in conn.execute(sa.text(ROWS)))
            db.engine.dispose()
        days = [str(row[3]) for row in migrated]
        assert days == ["2024-05-02", "2024-05-03", "2024-05-04", "2024-06-01", "2023-12-31"]
        assert [(row[0], row[2], row[4]) for row in migrated] == [
            (1, 0, 1), (1, 1, None), (1, 2, None), (1, 6, 2), (3, 0, 2)
        ]  # fmt: skip
        assert migrated == written
    finally:
        drop_database(url)
