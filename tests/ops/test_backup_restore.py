"""`flask backup` and `flask restore`: a round trip gives back every row of every table."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from accompagnement.audit.guard import audit_trigger_ddl
from accompagnement.audit.services import record
from accompagnement.auth.services import create_user
from accompagnement.db import write_intent
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects import services
from tests.conftest import only_network

ENGLISH = {"LANG": "en_US.UTF-8"}  # these tests read the English sentences

FreshApp = Callable[..., tuple[Flask, str]]


def seed() -> dict[str, int]:
    """Fill a database with a little of everything; return a few ids."""
    from accompagnement.territory.models import Commune, Departement

    # Three départements and one commune, not the whole geography: a small database to copy.
    db.session.add_all(Departement(code=c, name=c) for c in ("19", "23", "87"))
    db.session.add(Commune(insee="19272", name="Tulle", departement_code="19"))
    coordinator = create_user(
        "coordination@example.org", name="Camille Fictive", role="coordinator"
    )
    holder = create_user("porteur@example.org", name="Dominique Fictif", role="holder")
    db.session.add(Member(name="Ressourcerie Fictive", contact_email="contact@example.org"))
    project = services.create_project(
        "Ressourcerie de la Vézère", workflow_name="creation-ressourcerie",
        user_id=coordinator.id, holder_ids=[holder.id], commune_insee="19272",
    )  # fmt: skip
    services.save_form(project.id, "premier_contact", {"project_name": "Vézère"},
                       user_id=holder.id, submit=False, base_revision=0)  # fmt: skip
    services.add_comment(project.id, "Première rencontre à Tulle", user_id=coordinator.id)
    services.fire_transition(project.id, "pause", user_id=coordinator.id, reason="Été")
    record("backup.test", user_id=coordinator.id, project_id=project.id, note="é")
    ids = {"project": project.id, "coordinator": coordinator.id, "holder": holder.id}
    db.session.commit()  # and read nothing after it: a read would open a write transaction
    return ids


def change_everything(ids: dict[str, int]) -> None:
    """Insert, update and delete rows, as the app would after the backup."""
    services.fire_transition(ids["project"], "resume", user_id=ids["coordinator"])
    services.create_project("Projet d'après", workflow_name="creation-ressourcerie",
                            user_id=ids["coordinator"])  # fmt: skip
    db.session.execute(sa.text("UPDATE users SET name = 'Changé' WHERE id = :id"),
                       {"id": ids["holder"]})  # fmt: skip
    db.session.execute(sa.text("DELETE FROM comments"))
    db.session.commit()


def every_row() -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table of the metadata, in primary key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        query = sa.select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(r) for r in db.session.execute(query)]
    db.session.rollback()
    return rows


def test_a_backup_and_a_restore_give_back_every_row(fresh_app: FreshApp, tmp_path: Path) -> None:
    app, _url = fresh_app("roundtrip")
    backup_file = tmp_path / "sauvegarde.bin"
    with app.app_context(), only_network():
        _add_triggers()
        ids = seed()
        before = every_row()
        assert all(before[name] for name in ("users", "projects", "transition_records"))
        runner = app.test_cli_runner()
        result = runner.invoke(env=ENGLISH, args=["backup", "--output", str(backup_file)])
        assert result.exit_code == 0, result.output
        change_everything(ids)
        assert every_row() != before
        result = runner.invoke(env=ENGLISH, args=["restore", str(backup_file), "--yes"])
        assert result.exit_code == 0, result.output
        assert every_row() == before
        assert "previous database was saved" in result.output
        _still_works(ids)


def _add_triggers() -> None:
    with db.engine.begin() as conn:
        for statement in audit_trigger_ddl(conn.dialect.name):
            conn.exec_driver_sql(statement)


def _still_works(ids: dict[str, int]) -> None:
    """The restored database takes new rows, and its audit triggers are back."""
    services.create_project("Après restauration", workflow_name="creation-ressourcerie",
                            user_id=ids["coordinator"])  # fmt: skip
    db.session.commit()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        db.session.execute(sa.text("UPDATE transition_records SET reason = 'x'"))
    db.session.rollback()


def test_the_backup_goes_to_the_backup_directory_by_default(fresh_app: FreshApp) -> None:
    app, _url = fresh_app("default")
    with app.app_context(), only_network():
        seed()
        result = app.test_cli_runner().invoke(args=["backup"])
        assert result.exit_code == 0, result.output
        (written,) = Path(app.config["BACKUP_DIR"]).iterdir()
        assert str(written) in result.output
        magic = b"PGDMP" if db.engine.dialect.name == "postgresql" else b"SQLite format 3\x00"
        assert written.read_bytes().startswith(magic)


def test_a_backup_never_overwrites_a_file(fresh_app: FreshApp, tmp_path: Path) -> None:
    app, _url = fresh_app("exists")
    existing = tmp_path / "precious.txt"
    existing.write_text("keep me")
    with app.app_context(), only_network():
        result = app.test_cli_runner().invoke(args=["backup", "--output", str(existing)])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert existing.read_text() == "keep me"


def _not_backups(tmp_path: Path, dialect: str) -> list[tuple[Path, str]]:
    text = tmp_path / "notes.txt"
    text.write_text("ceci n'est pas une sauvegarde\n")
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).execute("CREATE TABLE other (id INTEGER)").connection.close()
    wrong_kind = tmp_path / "wrong-kind.bin"
    if dialect == "sqlite":
        wrong_kind.write_bytes(b"PGDMP" + b"\x00" * 64)
        kind_message = "is a postgresql backup; the database is sqlite"
    else:
        wrong_kind.write_bytes(empty.read_bytes())
        kind_message = "is a sqlite backup; the database is postgresql"
    cases = [
        (tmp_path / "missing.dump", "does not exist"),
        (text, "is not a backup made by the backup command"),
        (wrong_kind, kind_message),
    ]
    if dialect == "sqlite":
        cases.append((empty, "is not a backup of this application (no users, projects"))
    else:
        damaged = tmp_path / "damaged.dump"
        damaged.write_bytes(b"PGDMP" + b"\x01" * 64)  # pg_restore reads it as an empty archive
        cases.append((damaged, "is not a backup of this application (no users, projects"))
    return cases


def test_restore_refuses_what_is_not_a_backup(fresh_app: FreshApp, tmp_path: Path) -> None:
    app, _url = fresh_app("refuse")
    with app.app_context(), only_network():
        seed()
        before = every_row()
        runner: FlaskCliRunner = app.test_cli_runner()
        for path, message in _not_backups(tmp_path, db.engine.dialect.name):
            result = runner.invoke(args=["restore", str(path), "--yes"])
            assert result.exit_code == 1, (path, result.output)
            assert message in result.output, (path, result.output)
            assert "Traceback" not in result.output
            assert every_row() == before


def test_restore_asks_for_confirmation(fresh_app: FreshApp, tmp_path: Path) -> None:
    app, _url = fresh_app("confirm")
    backup_file = tmp_path / "b.bin"
    with app.app_context(), only_network():
        ids = seed()
        runner = app.test_cli_runner()
        assert runner.invoke(args=["backup", "--output", str(backup_file)]).exit_code == 0
        change_everything(ids)
        after = every_row()
        result = runner.invoke(args=["restore", str(backup_file)], input="n\n")
        assert result.exit_code == 1
        assert every_row() == after


def test_a_sqlite_backup_is_consistent_while_someone_writes(
    fresh_app: FreshApp, tmp_path: Path
) -> None:
    app, url = fresh_app("live")
    if not url.startswith("sqlite"):
        pytest.skip("SQLite only: PostgreSQL's pg_dump takes a snapshot by design")
    backup_file = tmp_path / "live.sqlite3"
    with app.app_context(), only_network():
        seed()
        writer = sqlite3.connect(db.engine.url.database, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO departements (code, name) VALUES ('99', 'Pas validé')")
        token = write_intent.set(False)
        try:
            result = app.test_cli_runner().invoke(args=["backup", "--output", str(backup_file)])
        finally:
            write_intent.reset(token)
            writer.execute("ROLLBACK")
            writer.close()
        assert result.exit_code == 0, result.output
    copy = sqlite3.connect(backup_file)
    codes = [code for (code,) in copy.execute("SELECT code FROM departements ORDER BY code")]
    assert "99" not in codes and {"19", "23", "87"} <= set(codes)  # the geography, not the write
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()


def test_a_table_added_after_the_backup(fresh_app: FreshApp, tmp_path: Path) -> None:
    """SQLite: the file is replaced whole. PostgreSQL: refused, rather than half restored."""
    app, _url = fresh_app("extra")
    backup_file = tmp_path / "before-upgrade.bin"
    with app.app_context(), only_network():
        seed()
        runner = app.test_cli_runner()
        assert runner.invoke(args=["backup", "--output", str(backup_file)]).exit_code == 0
        with db.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE added_later (id INTEGER PRIMARY KEY)")
        result = runner.invoke(args=["restore", str(backup_file), "--yes"])
        tables = sa.inspect(db.engine).get_table_names()
        if db.engine.dialect.name == "sqlite":
            assert result.exit_code == 0, result.output
            assert "added_later" not in tables
        else:
            assert result.exit_code == 1
            assert "does not have (added_later)" in result.output
            assert "added_later" in tables
