"""The audit trail is append-only: in the ORM (flush guard) and in the database (triggers)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from accompagnement.audit.guard import (
    TRIGGER_COLUMNS,
    AppendOnlyViolation,
    audit_trigger_ddl,
    drop_audit_trigger_ddl,
    purging,
)
from accompagnement.audit.models import AuditEvent
from accompagnement.audit.services import record
from accompagnement.db import write_intent
from accompagnement.extensions import db
from accompagnement.projects.models import TransitionRecord


@pytest.fixture
def project_id(make_project: Callable[..., Any]) -> int:
    """The id of a project with its creation record and one audit event about it."""
    project_id = make_project("Ressourcerie du Plateau").id
    record("project.viewed", user_id=None, project_id=project_id, note="x")
    db.session.commit()
    return int(project_id)


def _transition(project_id: int) -> TransitionRecord:
    return db.session.scalars(
        sa.select(TransitionRecord).where(TransitionRecord.project_id == project_id)
    ).one()


def _event(project_id: int) -> AuditEvent:
    return db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.project_id == project_id)
    ).one()


def _snapshot(table: str) -> list[tuple[Any, ...]]:
    """Read a table through a connection of its own (a reader: no write lock on SQLite)."""
    token = write_intent.set(False)
    try:
        with db.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))]
    finally:
        write_intent.reset(token)


# The ORM guard ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "column", "value"),
    [(_transition, "to_state", "ouverte"), (_transition, "reason", "edited"),
     (_event, "action", "forged"), (_event, "detail", {"note": "edited"})],
)  # fmt: skip
def test_an_audit_row_cannot_be_changed_through_the_orm(
    project_id: int, load: Callable[[int], Any], column: str, value: Any
) -> None:
    table = load(project_id).__tablename__
    before = _snapshot(table)
    setattr(load(project_id), column, value)
    with pytest.raises(AppendOnlyViolation):
        db.session.commit()
    db.session.rollback()
    assert _snapshot(table) == before


@pytest.mark.parametrize("load", [_transition, _event])
def test_an_audit_row_cannot_be_deleted_through_the_orm(
    project_id: int, load: Callable[[int], Any]
) -> None:
    row = load(project_id)
    table = row.__tablename__
    before = _snapshot(table)
    db.session.delete(row)
    with pytest.raises(AppendOnlyViolation):
        db.session.commit()
    db.session.rollback()
    assert _snapshot(table) == before


@pytest.mark.parametrize("model", [TransitionRecord, AuditEvent])
def test_bulk_updates_and_deletes_of_the_audit_trail_are_refused(
    project_id: int, model: Any
) -> None:
    before = _snapshot(model.__tablename__)
    with pytest.raises(AppendOnlyViolation):
        db.session.execute(sa.update(model).values(project_id=project_id))
    db.session.rollback()
    with pytest.raises(AppendOnlyViolation):
        db.session.execute(sa.delete(model))
    db.session.rollback()
    with pytest.raises(AppendOnlyViolation):
        db.session.execute(sa.delete(model.__table__))
    db.session.rollback()
    assert _snapshot(model.__tablename__) == before


def test_the_retention_purge_switch_allows_deleting_but_never_updating(project_id: int) -> None:
    with purging():
        db.session.delete(_event(project_id))
        db.session.flush()
        event = AuditEvent(action="late", user_id=None, detail={})
        db.session.add(event)
        db.session.flush()
        event.action = "changed"
        with pytest.raises(AppendOnlyViolation):
            db.session.flush()
    db.session.rollback()
    db.session.delete(_event(project_id))
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()  # the switch is off again after the block
    db.session.rollback()


def test_new_audit_rows_are_still_written(project_id: int, coordinator: Any) -> None:
    from accompagnement.projects.services import fire_transition

    fire_transition(project_id, "pause", user_id=coordinator.id, reason="Vacances")
    record("project.exported", user_id=coordinator.id, project_id=project_id)
    db.session.commit()
    states = db.session.scalars(
        sa.select(TransitionRecord.to_state).where(TransitionRecord.project_id == project_id)
    ).all()
    assert states == ["premier_contact", "en_pause"]


# The database triggers ----------------------------------------------------------------------


@pytest.fixture
def triggers() -> Iterator[str]:
    """Create the triggers on the test database, and remove them afterwards."""
    dialect = db.engine.dialect.name
    with db.engine.begin() as conn:
        for statement in audit_trigger_ddl(dialect):
            conn.exec_driver_sql(statement)
    yield dialect
    db.session.remove()
    with db.engine.begin() as conn:
        for statement in drop_audit_trigger_ddl(dialect):
            conn.exec_driver_sql(statement)


RAW_UPDATES = [
    "UPDATE transition_records SET to_state = 'ouverte'",
    "UPDATE transition_records SET reason = 'rewritten'",
    "UPDATE transition_records SET user_id = {other}",
    "UPDATE audit_events SET action = 'forged'",
    "UPDATE audit_events SET project_id = NULL, action = 'forged'",
    "UPDATE audit_events SET user_id = {other}",
]


@pytest.mark.parametrize("statement", RAW_UPDATES)
def test_the_database_refuses_updates_of_the_audit_trail(
    project_id: int, make_user: Callable[..., Any], triggers: str, statement: str
) -> None:
    other_id = make_user("coordinator").id
    db.session.remove()  # end the session's transaction: the raw connection below writes
    before = {t: _snapshot(t) for t in TRIGGER_COLUMNS}
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as conn:
        conn.exec_driver_sql(statement.format(other=other_id))
    assert {t: _snapshot(t) for t in TRIGGER_COLUMNS} == before


def test_deleting_an_account_still_clears_its_references(
    project_id: int, coordinator: Any, triggers: str
) -> None:
    """ON DELETE SET NULL is the one update the triggers let through."""
    user_id = coordinator.id
    record("auth.login", user_id=user_id, project_id=project_id)
    db.session.commit()
    db.session.remove()
    users = db.metadata.tables["users"]
    with db.engine.begin() as conn:
        conn.execute(sa.delete(users).where(users.c.id == user_id))
    row = _transition(project_id)
    assert (row.user_id, row.trigger, row.to_state) == (None, "create", "premier_contact")
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "auth.login"))
    assert [(e.user_id, e.project_id) for e in events] == [(None, project_id)]


def test_deleting_a_project_clears_the_references_of_its_audit_events(
    project_id: int, triggers: str
) -> None:
    db.session.remove()
    projects = db.metadata.tables["projects"]
    with db.engine.begin() as conn:
        conn.execute(sa.delete(projects).where(projects.c.id == project_id))
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.project_id.is_(None))
    )
    assert "project.viewed" in list(actions)


def test_the_trigger_column_lists_match_the_models() -> None:
    for table, (columns, nullable_refs) in TRIGGER_COLUMNS.items():
        assert set(columns) == set(db.metadata.tables[table].columns.keys()), (
            f"{table} changed: update TRIGGER_COLUMNS and recreate the triggers in a migration"
        )
        assert set(nullable_refs) <= set(columns)


def test_the_ddl_is_known_for_both_databases_only() -> None:
    assert len(audit_trigger_ddl("sqlite")) == 2
    assert len(audit_trigger_ddl("postgresql")) == 6
    with pytest.raises(ValueError):
        audit_trigger_ddl("mysql")
