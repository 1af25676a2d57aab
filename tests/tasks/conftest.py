"""What the task tests share: a project placed at a stage, transitions fired by the coordinator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import accompagnement.models  # noqa: F401  (every model mapped before a service module loads)
from accompagnement.extensions import db
from accompagnement.projects.models import Project
from accompagnement.tasks.models import Task


@pytest.fixture
def fire(coordinator: Any) -> Callable[..., Any]:
    """Return fire(project, trigger, reason=...): the coordinator fires a transition, committed."""
    from accompagnement.projects.services import fire_transition

    def fire_it(project: Any, trigger: str, reason: str | None = "Test", at: Any = None) -> Any:
        entry = fire_transition(project.id, trigger, user_id=coordinator.id, reason=reason, at=at)
        db.session.commit()
        return entry

    return fire_it


def place_at(project: Any, stage: str) -> None:
    """Put a project at a stage without the pathway before it (as a history import would)."""
    row = db.session.get(Project, project.id)
    assert row is not None
    row.state = stage
    db.session.commit()


def tasks_of(project: Any) -> list[Task]:
    """Return a project's tasks, oldest first."""
    return list(
        db.session.scalars(db.select(Task).where(Task.project_id == project.id).order_by(Task.id))
    )
