"""Migration 0011 writes the funding plans already submitted as project_funding_lines rows."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import drop_database, flask_command, make_database_url

NOW = dt.datetime(2024, 5, 2, 10)
OLD_PLAN = {  # version 1: free-text funders, no kind, no dates; one line that is not one
    "funding_lines": [
        {"funder": "ADEME", "amount": "30000", "status": "accorde"},
        {"funder": "Fondation du coin", "amount": "5000", "status": "demande"},
        {"funder": "", "amount": "1", "status": "accorde"},
    ]
}
NEW_PLAN = {"funding_lines": [
    {"funder": "Région Limousin", "kind": "pret", "amount": "12000.50", "status": "verse",
     "requested_on": "2024-01-10", "decided_on": "2024-03-01"},
]}  # fmt: skip


def test_the_newest_submitted_plan_of_each_project_becomes_rows(tmp_path: Path) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = make_database_url(str(tmp_path), f"backfill_{worker}_{os.getpid()}")
    flask_command(url, "db", "upgrade", "0008_visitrows")
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            for project_id in (1, 2):
                connection.execute(sa.text(
                    "INSERT INTO projects (id, name, workflow_name, workflow_version, state,"
                    " state_changed_at, created_at, updated_at, lock_version) VALUES (:id, :name,"
                    " 'creation-ressourcerie', 1, 'etude_faisabilite', :now, :now, :now, 1)"
                ), {"id": project_id, "name": f"Projet {project_id}", "now": NOW})  # fmt: skip
            forms = [(1, 1, "submitted", {"funding_lines": []}), (1, 2, "submitted", OLD_PLAN),
                     (1, 3, "draft", NEW_PLAN), (2, 1, "submitted", NEW_PLAN)]  # fmt: skip
            submissions = sa.table(
                "form_submissions", sa.column("project_id"), sa.column("stage"),
                sa.column("revision"), sa.column("status"), sa.column("data", sa.JSON()),
                sa.column("created_at", sa.DateTime()),
            )  # fmt: skip
            connection.execute(sa.insert(submissions), [
                {"project_id": p, "stage": "etude_faisabilite", "revision": r, "status": s,
                 "data": d, "created_at": NOW}
                for p, r, s, d in forms
            ])  # fmt: skip
        flask_command(url, "db", "upgrade")
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT project_id, funder, kind, status, amount, decided_on, day"
                " FROM project_funding_lines ORDER BY project_id, position"
            )).all()  # fmt: skip
    finally:
        engine.dispose()
        drop_database(url)
    assert [(r[0], r[1], r[2], r[3], float(r[4])) for r in rows] == [
        (1, "ADEME", None, "accorde", 30000.0),
        (1, "Fondation du coin", None, "demande", 5000.0),
        (2, "Région Limousin", "pret", "verse", 12000.5),
    ]
    assert [str(r[6]) for r in rows] == ["2024-05-02", "2024-05-02", "2024-03-01"]
