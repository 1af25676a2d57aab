"""Factories of the partner dashboard tests: projects moved through stages at chosen dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.projects.stageentries import record_move


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
            at = days_ago(ago)
            db.session.add(
                TransitionRecord(
                    project_id=project.id,
                    workflow_version=project.workflow_version,
                    trigger="advance",
                    from_state=state,
                    to_state=to_state,
                    at=at,
                )
            )
            # Written as the services write a move: its record and the time spent in states.
            record_move(project.id, project.workflow_name, state, to_state, at)
            state, changed = to_state, at
        project.state, project.state_changed_at = state, changed
        db.session.commit()
        return project

    return make
