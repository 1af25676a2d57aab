"""Which projects need the coordinator's attention: late in their stage, or left untouched.

Projects on hold or in a final state (opened, abandoned) are never reminded of: they wait on
purpose, or they are finished.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from accompagnement import engine
from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.projects.models import (
    ChecklistTick,
    Comment,
    FormSubmission,
    Project,
    TransitionRecord,
)
from accompagnement.projects.services import workflow_of


@dataclass(frozen=True)
class OverdueProject:
    """A project that has stayed in its stage longer than the stage's usual duration."""

    project_id: int
    name: str
    stage: str
    stage_label: engine.Label
    since: dt.datetime
    days_in_stage: int
    usual_days: int

    @property
    def days_over(self) -> int:
        return self.days_in_stage - self.usual_days


@dataclass(frozen=True)
class StaleProject:
    """A project nobody has touched (transition, form save, comment, checklist) for a while."""

    project_id: int
    name: str
    stage: str
    stage_label: engine.Label
    last_activity: dt.datetime
    idle_days: int


def _running_projects() -> list[tuple[Project, engine.Stage]]:
    """Return the projects in an ordinary stage of their workflow, with that stage."""
    running = []
    for project in db.session.scalars(select(Project).order_by(Project.name, Project.id)):
        try:
            stage = workflow_of(project).stage(project.state)
        except (engine.UnknownWorkflow, engine.UnknownStage):
            current_app.logger.warning("project %s: unknown workflow or stage", project.id)
            continue
        if stage.kind == "stage":
            running.append((project, stage))
    return running


def overdue_projects(now: dt.datetime | None = None) -> list[OverdueProject]:
    """Return the projects over their current stage's usual duration, the latest first."""
    now = now or utcnow()
    late = []
    for project, stage in _running_projects():
        days = (now - project.state_changed_at).days
        if stage.usual_days and days > stage.usual_days:
            late.append(
                OverdueProject(
                    project_id=project.id,
                    name=project.name,
                    stage=stage.key,
                    stage_label=stage.label,
                    since=project.state_changed_at,
                    days_in_stage=days,
                    usual_days=stage.usual_days,
                )
            )
    return sorted(late, key=lambda p: (-p.days_over, p.name))


def _last_touches() -> dict[int, dt.datetime]:
    """Return, per project, the time of its latest transition, form save, comment or tick."""
    latest: dict[int, dt.datetime] = {}
    sources: Sequence[tuple[object, object]] = (
        (TransitionRecord.project_id, TransitionRecord.at),
        (FormSubmission.project_id, FormSubmission.created_at),
        (Comment.project_id, Comment.created_at),
        (ChecklistTick.project_id, ChecklistTick.at),
    )
    for project_column, time_column in sources:
        rows = db.session.execute(
            select(project_column, func.max(time_column)).group_by(project_column)  # type: ignore[call-overload]
        )
        for project_id, at in rows:
            if at is not None and (project_id not in latest or at > latest[project_id]):
                latest[project_id] = at
    return latest


def stale_projects(days: int | None = None, now: dt.datetime | None = None) -> list[StaleProject]:
    """Return the projects untouched for `days` (default STALE_PROJECT_DAYS), oldest first."""
    days = current_app.config["STALE_PROJECT_DAYS"] if days is None else days
    now = now or utcnow()
    touches = _last_touches()
    stale = []
    for project, stage in _running_projects():
        last = max(touches.get(project.id, project.created_at), project.created_at)
        idle = (now - last).days
        if idle >= days:
            stale.append(
                StaleProject(
                    project_id=project.id,
                    name=project.name,
                    stage=stage.key,
                    stage_label=stage.label,
                    last_activity=last,
                    idle_days=idle,
                )
            )
    return sorted(stale, key=lambda p: (-p.idle_days, p.name))
