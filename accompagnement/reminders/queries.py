"""Which projects need the coordinator's attention: late in their stage, or left untouched.

Projects on hold or in a final state (opened, abandoned) are never reminded of: they wait on
purpose, or they are finished. The stages' usual durations come from the workflow versions the
projects run on (a handful), and become SQL conditions: the database selects, counts, orders
and cuts a page of the projects, never loading them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, literal, select, union_all

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
from accompagnement.projects.stagesql import (
    in_stages,
    is_stage,
    known_workflows,
    late,
    usual_days,
    whole_days,
)


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


StageKey = tuple[str, int, str]  # (workflow name, version, stage key)


def _running_stages() -> tuple[list[engine.Workflow], dict[StageKey, engine.Stage]]:
    """Return the known workflow versions and their ordinary stages, by (name, version, key)."""
    workflows = known_workflows()
    stages = {
        (w.name, w.version, stage.key): stage
        for w in workflows
        for stage in w.stages
        if is_stage(stage)
    }
    return workflows, stages


def _overdue_query(
    now: dt.datetime, since: dt.datetime | None = None
) -> tuple[Any, dict[StageKey, engine.Stage]]:
    workflows, stages = _running_stages()
    usual = usual_days(workflows, is_stage)
    days_over = whole_days(Project.state_changed_at, literal(now)) - usual
    query = (
        select(Project.id, Project.name, Project.workflow_name, Project.workflow_version,
               Project.state, Project.state_changed_at)
        .where(in_stages(workflows, is_stage), late(workflows, now))
        .order_by(days_over.desc(), Project.name, Project.id)
    )  # fmt: skip
    if since is not None:  # only those that became late after `since`
        query = query.where(~late(workflows, since))
    return query, stages


def count_overdue(now: dt.datetime | None = None) -> int:
    """Count the projects over their current stage's usual duration."""
    query, _stages = _overdue_query(now or utcnow())
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def overdue_projects(
    now: dt.datetime | None = None,
    *,
    since: dt.datetime | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[OverdueProject]:
    """Return the projects over their current stage's usual duration, the latest first.

    With `since`: only the projects that were not late yet at that moment (the digest's news).
    """
    now = now or utcnow()
    query, stages = _overdue_query(now, since)
    rows = db.session.execute(query.offset(offset).limit(limit))
    result = []
    for project_id, name, workflow, version, state, since in rows:
        stage = stages[(workflow, version, state)]
        result.append(
            OverdueProject(
                project_id=project_id,
                name=name,
                stage=stage.key,
                stage_label=stage.label,
                since=since,
                days_in_stage=(now - since).days,
                usual_days=stage.usual_days or 0,
            )
        )
    return result


def _last_touches() -> Any:
    """Per project, the time of its creation or latest transition, form save, comment or tick."""
    sources: Sequence[tuple[Any, Any]] = (
        (Project.id, Project.created_at),
        (TransitionRecord.project_id, TransitionRecord.at),
        (FormSubmission.project_id, FormSubmission.created_at),
        (Comment.project_id, Comment.created_at),
        (ChecklistTick.project_id, ChecklistTick.at),
    )
    touches = union_all(
        *[select(project.label("project_id"), at.label("at")) for project, at in sources]
    ).subquery("touches")
    return (
        select(touches.c.project_id, func.max(touches.c.at).label("at"))
        .group_by(touches.c.project_id)
        .subquery("last_touches")
    )


def _stale_query(
    days: int, now: dt.datetime, since: dt.datetime | None = None
) -> tuple[Any, dict[StageKey, engine.Stage]]:
    workflows, stages = _running_stages()
    last = _last_touches()
    # (now - last).days >= days  <=>  last <= now - days
    query = (
        select(Project.id, Project.name, Project.workflow_name, Project.workflow_version,
               Project.state, last.c.at)
        .join(last, last.c.project_id == Project.id)
        .where(in_stages(workflows, is_stage), last.c.at <= now - dt.timedelta(days=days))
        .order_by(whole_days(last.c.at, literal(now)).desc(), Project.name, Project.id)
    )  # fmt: skip
    if since is not None:  # only those still touched within `days` at that moment
        query = query.where(last.c.at > since - dt.timedelta(days=days))
    return query, stages


def _stale_days(days: int | None) -> int:
    return current_app.config["STALE_PROJECT_DAYS"] if days is None else days  # type: ignore[no-any-return]


def count_stale(days: int | None = None, now: dt.datetime | None = None) -> int:
    """Count the projects untouched for `days` (default STALE_PROJECT_DAYS)."""
    query, _stages = _stale_query(_stale_days(days), now or utcnow())
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def stale_projects(
    days: int | None = None,
    now: dt.datetime | None = None,
    *,
    since: dt.datetime | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[StaleProject]:
    """Return the projects untouched for `days` (default STALE_PROJECT_DAYS), oldest first.

    With `since`: only the projects that were not yet that long untouched at that moment.
    """
    now = now or utcnow()
    query, stages = _stale_query(_stale_days(days), now, since)
    result = []
    for project_id, name, workflow, version, state, last in db.session.execute(
        query.offset(offset).limit(limit)
    ):
        stage = stages[(workflow, version, state)]
        result.append(
            StaleProject(
                project_id=project_id,
                name=name,
                stage=stage.key,
                stage_label=stage.label,
                last_activity=last,
                idle_days=(now - last).days,
            )
        )
    return result
