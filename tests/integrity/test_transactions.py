"""A state change, its audit row and the data it depends on commit together or not at all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from accompagnement.db import write_intent
from accompagnement.errors import TransitionRefused
from accompagnement.extensions import db
from accompagnement.projects import queries, services
from accompagnement.projects.models import Project, TransitionRecord

TABLES = (
    "projects", "transition_records", "stage_entries", "form_submissions", "checklist_ticks",
    "audit_events",
)  # fmt: skip
FIRST_CONTACT = {"project_name": "Ressourcerie des Monts", "holder_type": "association"}


class Injected(RuntimeError):
    """The failure a test injects before the commit."""


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Do what a view does: commit once at the end, roll everything back on any error."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def database_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Read every row of the tables a transition touches, through a connection of its own."""
    token = write_intent.set(False)  # a reader: it takes no write lock on SQLite
    try:
        with db.engine.connect() as conn:
            return {
                name: [
                    tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {name} ORDER BY 1, 2"))
                ]
                for name in TABLES
            }
    finally:
        write_intent.reset(token)


@pytest.fixture
def ready(make_project: Callable[..., Any], coordinator: Any) -> int:
    """The id of a project whose first stage is complete except for its submitted form."""
    project = make_project("Ressourcerie des Monts")
    workflow = services.workflow_of(project)
    for item in workflow.stage("premier_contact").checklist:
        services.set_checklist_item(
            project.id, "premier_contact", item.key, done=True, user_id=coordinator.id
        )
    db.session.commit()
    return int(project.id)


def submit_and_advance(project_id: int, user_id: int) -> None:
    """Submit the first-contact form and move on to the visits: one unit of work."""
    services.save_form(
        project_id, "premier_contact", FIRST_CONTACT, user_id=user_id, submit=True, base_revision=0
    )
    services.fire_transition(
        project_id, "advance", user_id=user_id, expected_state="premier_contact"
    )


def test_without_failure_everything_commits(ready: int, coordinator: Any) -> None:
    user_id = coordinator.id
    with unit_of_work():
        submit_and_advance(ready, user_id)
    db.session.remove()
    rows = database_rows()
    assert [r for r in rows["projects"] if r[0] == ready]
    assert services.replay(queries.history(ready)) == "visites"
    assert len(rows["form_submissions"]) == 1


@pytest.fixture(params=["audit row", "flush", "after flush"])
def failure(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Inject a failure inside fire_transition, after the state changed, before the commit."""
    if request.param == "audit row":  # building the audit row fails after the state change

        def broken(**_fields: Any) -> TransitionRecord:
            raise Injected("no audit row")

        monkeypatch.setattr(services, "TransitionRecord", broken)
    elif request.param == "flush":  # the database refuses to write the audit row
        # The record is one Core INSERT on the session's connection (no ORM flush): refuse it
        # there, after the guarded UPDATE of the state went through.
        def refuse(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if statement.lstrip().upper().startswith("INSERT INTO TRANSITION_RECORDS"):
                raise Injected("insert refused")

        event.listen(db.engine, "before_cursor_execute", refuse)
        request.addfinalizer(lambda: event.remove(db.engine, "before_cursor_execute", refuse))
    else:  # everything was flushed; the failure comes just before the commit
        original = services.fire_transition

        def then_fail(*args: Any, **kwargs: Any) -> TransitionRecord:
            original(*args, **kwargs)
            raise Injected("after flush, before commit")

        monkeypatch.setattr(services, "fire_transition", then_fail)
    return str(request.param)


def test_a_failure_before_commit_leaves_neither_state_nor_audit_nor_form(
    ready: int, coordinator: Any, failure: str
) -> None:
    user_id = coordinator.id
    before = database_rows()
    with pytest.raises(Injected), unit_of_work():
        submit_and_advance(ready, user_id)
    db.session.remove()
    assert database_rows() == before, failure
    project = db.session.get(Project, ready)
    assert project is not None and project.state == "premier_contact"
    assert services.replay(queries.history(ready)) == "premier_contact"


def test_a_failure_after_a_checklist_tick_leaves_neither_tick_nor_audit(
    make_project: Callable[..., Any], coordinator: Any
) -> None:
    project_id, user_id = make_project().id, coordinator.id
    before = database_rows()
    with pytest.raises(Injected), unit_of_work():
        services.set_checklist_item(
            project_id, "premier_contact", "welcome_interview", done=True, user_id=user_id
        )
        raise Injected("after the tick")
    db.session.remove()
    assert database_rows() == before


def test_a_refused_transition_writes_nothing(ready: int, coordinator: Any) -> None:
    user_id = coordinator.id
    before = database_rows()
    with pytest.raises(TransitionRefused), unit_of_work():
        services.fire_transition(ready, "advance", user_id=user_id)  # form not submitted
    db.session.remove()
    assert database_rows() == before
