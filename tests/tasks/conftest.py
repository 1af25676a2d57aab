"""What the task tests share: a project placed at a stage, transitions fired by the coordinator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import accompagnement.models  # noqa: F401  (every model mapped before a service module loads)
from accompagnement.extensions import db


@pytest.fixture
def fire(coordinator: Any) -> Callable[..., Any]:
    """Return fire(project, trigger, reason=...): the coordinator fires a transition, committed."""
    from accompagnement.projects.services import fire_transition

    def fire_it(project: Any, trigger: str, reason: str | None = "Test", at: Any = None) -> Any:
        entry = fire_transition(project.id, trigger, user_id=coordinator.id, reason=reason, at=at)
        db.session.commit()
        return entry

    return fire_it
