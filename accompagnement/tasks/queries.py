"""Read queries of tasks: a person's list with its filters, overdue counts, the feed's tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import joinedload

from accompagnement.access import Role
from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.pagination import Page, clamp
from accompagnement.projects.models import Project, project_holders
from accompagnement.projects.queries import visible_projects
from accompagnement.tasks.models import Assignee, Task

STATUSES = ("open", "overdue", "done", "all")
SCOPES = ("mine", "all")
FEED_DONE_DAYS = 30
FEED_LIMIT = 1000


@dataclass(frozen=True)
class TaskFilters:
    """What the task list shows; every value comes from the URL (already checked)."""

    status: str = "open"
    scope: str = "mine"
    project_id: int | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None


def _holder_of_project(user: User) -> ColumnElement[bool]:
    return exists().where(
        project_holders.c.project_id == Task.project_id, project_holders.c.user_id == user.id
    )


def visible_condition(user: User) -> ColumnElement[bool]:
    """Which tasks a person sees: holders theirs and the holders' on their projects."""
    if user.role == Role.COORDINATOR:
        return true()
    if user.role != Role.HOLDER:
        return false()
    theirs = or_(Task.assignee == Assignee.HOLDERS.value, Task.assignee_id == user.id)
    return and_(_holder_of_project(user), theirs)


def mine_condition(user: User) -> ColumnElement[bool]:
    """A person's own tasks: a coordinator's and the coordination's, a holder's visible ones."""
    if user.role == Role.COORDINATOR:
        return or_(Task.assignee_id == user.id, Task.assignee == Assignee.COORDINATION.value)
    return visible_condition(user)


def _status_condition(status: str, today: dt.date) -> ColumnElement[bool]:
    if status == "open":
        return Task.done_at.is_(None)
    if status == "done":
        return Task.done_at.is_not(None)
    if status == "overdue":
        return overdue_condition(today)
    return true()


def overdue_condition(today: dt.date) -> ColumnElement[bool]:
    """Still open after the due date."""
    return and_(Task.done_at.is_(None), Task.due_on < today)


def _filtered(user: User, filters: TaskFilters, today: dt.date) -> Select[Any]:
    scope = filters.scope if user.role == Role.COORDINATOR else "mine"
    query = select(Task).where(
        visible_condition(user) if scope == "all" else mine_condition(user),
        _status_condition(filters.status, today),
    )
    if filters.project_id is not None:
        query = query.where(Task.project_id == filters.project_id)
    if filters.due_from is not None:
        query = query.where(Task.due_on >= filters.due_from)
    if filters.due_to is not None:
        query = query.where(Task.due_on <= filters.due_to)
    return query


def task_page(
    user: User, filters: TaskFilters, today: dt.date, number: int
) -> tuple[Page, Sequence[Task]]:
    """Return a page of the person's tasks: the soonest due first, undated ones last."""
    query = _filtered(user, filters, today)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = clamp(number, total)
    rows = db.session.scalars(
        query.options(
            joinedload(Task.project), joinedload(Task.assigned_to), joinedload(Task.done_by)
        )
        .order_by(Task.due_on.is_(None), Task.due_on, Task.id)
        .offset(page.offset)
        .limit(page.per_page)
    ).all()
    return page, rows


def overdue_counts(project_ids: Sequence[int], today: dt.date) -> Mapping[int, int]:
    """Count the overdue tasks of each project, in one grouped query (absent: none)."""
    if not project_ids:
        return {}
    rows = db.session.execute(
        select(Task.project_id, func.count())
        .where(Task.project_id.in_(list(project_ids)), overdue_condition(today))
        .group_by(Task.project_id)
    )
    return {project_id: count for project_id, count in rows}


def overdue_for(user: User, today: dt.date, limit: int) -> tuple[list[Task], int]:
    """Return a person's most overdue tasks (at most `limit`) and how many there are."""
    query = select(Task).where(mine_condition(user), overdue_condition(today))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(
        query.options(joinedload(Task.project), joinedload(Task.assigned_to))
        .order_by(Task.due_on, Task.id)
        .limit(limit)
    ).all()
    return list(items), total


def feed_tasks(user: User, today: dt.date) -> Sequence[Task]:
    """Return the tasks of a person's feed: open ones with a due date, and those done lately."""
    recent = dt.datetime.combine(today - dt.timedelta(days=FEED_DONE_DAYS), dt.time())
    query = (
        select(Task)
        .where(
            mine_condition(user),
            Task.due_on.is_not(None),
            or_(Task.done_at.is_(None), Task.done_at >= recent),
        )
        .options(joinedload(Task.project))
        .order_by(Task.due_on, Task.id)
        .limit(FEED_LIMIT)
    )
    return db.session.scalars(query).all()


def project_name(user: User, project_id: int) -> str | None:
    """Return the name of a project the person sees (for the filter's caption), else None."""
    return db.session.scalar(
        visible_projects(user).with_only_columns(Project.name).where(Project.id == project_id)
    )


def assignable_people(project: Project) -> list[User]:
    """Return who a task of this project may go to: its holders, then the active coordinators."""
    coordinators = db.session.scalars(
        select(User)
        .where(
            User.role == Role.COORDINATOR.value,
            User.active.is_(True),
            User.anonymised_at.is_(None),
        )
        .order_by(User.name)
    ).all()
    holders = sorted((h for h in project.holders if h.is_active), key=lambda h: h.name)
    return [*holders, *coordinators]


def due_tasks(day: dt.date) -> Sequence[Task]:
    """The open tasks due on a day, with their project, holders and assignee (3 queries)."""
    return db.session.scalars(
        select(Task)
        .where(Task.done_at.is_(None), Task.due_on == day)
        .options(
            joinedload(Task.project).selectinload(Project.holders), joinedload(Task.assigned_to)
        )
        .order_by(Task.id)
    ).all()
