"""Factories of the partner dashboard tests: projects moved through stages at chosen dates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask_babel import force_locale
from sqlalchemy import event

from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.projects.models import Project, TransitionRecord


def days_ago(n: float) -> datetime:
    return utcnow() - timedelta(days=n)


@pytest.fixture
def history(make_project: Callable[..., Any]) -> Callable[..., Project]:
    """Return a factory: history("name", [("visites", 30), ...], started=100, commune="87085")
    creates a project that started `started` days ago and entered each stage n days ago."""

    def make(
        name: str,
        steps: list[tuple[str, float]] = (),  # type: ignore[assignment]
        *,
        started: float = 200,
        commune: str | None = "87085",
        workflow: str = "creation-ressourcerie",
        holders: list[Any] | None = None,
    ) -> Project:
        project = make_project(
            name, commune=commune, workflow=workflow, holders=holders or [], at=days_ago(started)
        )
        state, changed = project.state, days_ago(started)
        for to_state, ago in steps:
            db.session.add(
                TransitionRecord(
                    project_id=project.id,
                    workflow_version=project.workflow_version,
                    trigger="advance",
                    from_state=state,
                    to_state=to_state,
                    at=days_ago(ago),
                )
            )
            state, changed = to_state, days_ago(ago)
        project.state, project.state_changed_at = state, changed
        db.session.commit()
        return project

    return make


@pytest.fixture
def partner(make_user: Callable[..., Any]) -> Any:
    return make_user("partner", name="Paula Partenaire")


class QueryCounter:
    """Count the SQL statements run while it is active; `writes` keeps INSERT/UPDATE/DELETE."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    @property
    def writes(self) -> list[str]:
        verbs = ("INSERT", "UPDATE", "DELETE")
        return [s for s in self.statements if s.lstrip().upper().startswith(verbs)]


@pytest.fixture
def count_queries() -> Callable[[], Any]:
    """Return a context manager counting the statements sent to the database."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def listener(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)

    return counting


@pytest.fixture(autouse=True)
def _english(client: Any) -> Iterator[None]:
    """Speak English in these tests, whatever catalogues are compiled (msgids are English)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with force_locale("en"):
        yield
