"""Use cases of tasks: create, change, tick, delete, the stage templates, the feed's key.

Every function takes plain values, checks who may act, changes the session and flushes; the
view or command commits once. A holder reaches only the tasks of their projects that are theirs
or the holders' together; anything else is "not found", never "forbidden".
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from accompagnement.access import Role
from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.converters import MAX_ID
from accompagnement.db import utcnow
from accompagnement.errors import Forbidden, InvalidInput, NotFound, StaleEdit
from accompagnement.extensions import db
from accompagnement.notifications import services as notices
from accompagnement.projects import queries as project_queries
from accompagnement.projects.models import Project
from accompagnement.tasks import queries
from accompagnement.tasks.models import (
    NOTES_MAX,
    TEMPLATE_ASSIGNEES,
    TITLE_MAX,
    Assignee,
    PersonalFeedKey,
    Task,
    new_feed_secret,
)
from accompagnement.tenancy import unscoped
from accompagnement.workflows.services import get_workflow

NETWORK_TZ = ZoneInfo("Europe/Paris")
DAYS_AHEAD_MAX = 3650
TASK_ROLES = (Role.COORDINATOR, Role.HOLDER)


def today() -> dt.date:
    """Return today's date where the network lives (overdue: open after its due date)."""
    return dt.datetime.now(NETWORK_TZ).date()


@dataclass(frozen=True)
class TaskInput:
    """The values of a task as a coordinator types them.

    `assignee` is "holders", "coordination" or "user:<id>" (a holder of the project or a
    coordinator).
    """

    title: str
    assignee: str
    due_on: dt.date | None = None
    notes: str | None = None
    stage: str | None = None


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.role not in TASK_ROLES:
        raise Forbidden("Only coordinators and project holders have tasks")
    return user


def _coordinator(user_id: int) -> User:
    user = _user(user_id)
    if user.role != Role.COORDINATOR:
        raise Forbidden("Only a coordinator manages a project's tasks")
    return user


def holder_may_see(task: Task, user: User) -> bool:
    """Say whether a holder (of the task's project) may see the task: theirs or the holders'."""
    return task.assignee == Assignee.HOLDERS or task.assignee_id == user.id


def get_task(user: User, task_id: int, *, for_update: bool = False) -> Task:
    """Load a task the user may see, or raise NotFound (other projects' tasks never show)."""
    task = db.session.get(Task, task_id) if 0 < task_id <= MAX_ID else None
    if task is None:
        raise NotFound("No such task")
    project_queries.get_visible_project(user, task.project_id)
    if user.role == Role.HOLDER and not holder_may_see(task, user):
        raise NotFound("No such task")
    if user.role not in TASK_ROLES:
        raise NotFound("No such task")
    return task


def create_task(project_id: int, values: TaskInput, *, user_id: int) -> Task:
    """Add a task to a project (coordinators only)."""
    user = _user(user_id)
    project = project_queries.get_visible_project(user, project_id)  # 404 before 403
    if user.role != Role.COORDINATOR:
        raise Forbidden("Only a coordinator manages a project's tasks")
    task = Task(project_id=project.id, created_by_id=user.id)
    _apply(task, project, values)
    db.session.add(task)
    db.session.flush()
    record("task.created", user_id=user.id, project_id=project.id, task=task.id)
    notices.task_given(project, user, task.title, _people_of(task, project))
    return task


def _people_of(task: Task, project: Project) -> list[User]:
    """Who a new task is for: the holders together, or the one person (the coordination is
    told by its own pages, not by e-mail)."""
    if task.assignee == Assignee.HOLDERS:
        return list(project.holders)
    return [task.assigned_to] if task.assigned_to is not None else []


def update_task(task_id: int, values: TaskInput, *, user_id: int, version: int | None) -> Task:
    """Change a task, refusing an edit made on a version someone else has since changed."""
    user = _coordinator(user_id)
    task = get_task(user, task_id)
    _check_version(task, version)
    _apply(task, task.project, values)
    _flush(task)
    record("task.changed", user_id=user.id, project_id=task.project_id, task=task.id)
    return task


def set_done(task_id: int, *, done: bool, user_id: int) -> Task:
    """Tick or untick a task (its assignees and coordinators); ticking twice changes nothing."""
    user = _user(user_id)
    task = get_task(user, task_id)
    if task.done == done:
        return task
    task.done_at = utcnow() if done else None
    task.done_by_id = user.id if done else None
    _flush(task)
    action = "task.done" if done else "task.reopened"
    record(action, user_id=user.id, project_id=task.project_id, task=task.id)
    return task


def delete_task(task_id: int, *, user_id: int, version: int | None) -> None:
    """Delete a task (coordinators), unless it changed since the page showed it."""
    user = _coordinator(user_id)
    task = get_task(user, task_id)
    _check_version(task, version)
    record("task.deleted", user_id=user.id, project_id=task.project_id, task=task.id)
    db.session.delete(task)
    _flush(task)


def _check_version(task: Task, version: int | None) -> None:
    if version != task.lock_version:  # a missing version is no proof the page was fresh
        raise _stale(task)


def _flush(task: Task) -> None:
    """Flush, turning a concurrent change (the guarded UPDATE found no row) into StaleEdit."""
    seen = task.lock_version  # read before the flush: a failed flush leaves nothing to read
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise StaleEdit(STALE, seen) from exc


STALE = "Someone else changed this task since you opened it"


def _stale(task: Task) -> StaleEdit:
    return StaleEdit(STALE, task.lock_version)


def _apply(task: Task, project: Project, values: TaskInput) -> None:
    """Check the typed values and set them on the task, or raise InvalidInput with messages."""
    errors: dict[str, str] = {}
    title = " ".join((values.title or "").split())
    if not title or len(title) > TITLE_MAX:
        errors["title"] = _("A title of 1 to %(max)s characters is required.", max=TITLE_MAX)
    notes = (values.notes or "").strip() or None
    if notes and len(notes) > NOTES_MAX:
        errors["notes"] = _("At most %(max)s characters.", max=NOTES_MAX)
    assignee = _assignee(values.assignee, project)
    if assignee is None:
        errors["assignee"] = _("Choose a holder of the project, a coordinator or the holders.")
    stage = values.stage or None
    if stage and stage not in {s.key for s in get_workflow(*_version(project)).stages}:
        errors["stage"] = _("Not a stage of this project's workflow.")
    if values.due_on and abs((values.due_on - today()).days) > DAYS_AHEAD_MAX:
        errors["due_on"] = _("Give a due date within ten years of today.")
    if errors or assignee is None:
        raise InvalidInput("The task has errors", errors)
    task.title, task.notes, task.due_on = title, notes, values.due_on
    task.assignee, task.assignee_id = assignee
    if task.template is None:  # a template's task stays in the stage that created it
        task.stage = stage


def _version(project: Project) -> tuple[str, int]:
    return project.workflow_name, project.workflow_version


def _assignee(raw: str, project: Project) -> tuple[str, int | None] | None:
    """Read "holders", "coordination" or "user:<id>" (a holder of this project, a coordinator)."""
    if raw in (Assignee.HOLDERS, Assignee.COORDINATION):
        return raw, None
    number = raw.removeprefix("user:")
    if not (raw.startswith("user:") and number.isascii() and number.isdigit()):
        return None
    person = db.session.get(User, int(number)) if 0 < int(number) <= MAX_ID else None
    if person is None or not person.is_active:
        return None
    holder = person.role == Role.HOLDER and person in project.holders
    if not (holder or person.role == Role.COORDINATOR):
        return None
    return Assignee.PERSON.value, person.id


def overdue_counts(project_ids: Sequence[int]) -> Mapping[int, int]:
    """Count each project's overdue tasks today (the board's cards), in one query."""
    return queries.overdue_counts(project_ids, today())


# --- The stage templates -------------------------------------------------------------------------


def create_stage_tasks(project: Project, stage: str, at: dt.datetime) -> list[Task]:
    """Create the tasks a stage's templates declare, once per project: re-entering adds none."""
    templates = get_workflow(*_version(project)).stage(stage).tasks
    if not templates:
        return []
    existing = set(
        db.session.scalars(
            select(Task.template).where(
                Task.project_id == project.id, Task.stage == stage, Task.template.is_not(None)
            )
        )
    )
    created = [
        Task(
            project_id=project.id,
            stage=stage,
            template=template.key,
            title=template.title.fr,  # shown in the reader's language while unchanged
            assignee=TEMPLATE_ASSIGNEES[template.assignee].value,
            due_on=at.date() + dt.timedelta(days=template.due_days),
            created_at=at,
        )
        for template in templates
        if template.key not in existing
    ]
    db.session.add_all(created)
    db.session.flush()
    return created


# --- The personal calendar feed's secret address --------------------------------------------------


def feed_token(user_id: int) -> str:
    """Return the secret part of the person's feed address, creating their key on first use."""
    key = _feed_key(user_id)
    if key is None:
        key = PersonalFeedKey(user_id=user_id, secret=new_feed_secret())
        db.session.add(key)
        db.session.flush()
    return _token_of(key)


def existing_feed_token(user_id: int) -> str | None:
    """Return the person's feed token if they have one (reads only)."""
    key = _feed_key(user_id)
    return _token_of(key) if key is not None else None


def regenerate_feed_token(user_id: int) -> str:
    """Give the person a new feed address: the previous one stops working at once."""
    _user(user_id)
    key = _feed_key(user_id)
    if key is None:
        return feed_token(user_id)
    key.secret = new_feed_secret()
    record("tasks.feed_regenerated", user_id=user_id)
    db.session.flush()
    return _token_of(key)


def feed_network(user_id: int, token: str) -> int | None:
    """Return the network whose feed address of the person this is (across networks)."""
    if not 0 < user_id <= MAX_ID:
        return None
    with unscoped():
        keys = db.session.scalars(
            select(PersonalFeedKey).where(PersonalFeedKey.user_id == user_id)
        ).all()
        given = token.encode("utf-8", "replace")
        found = [k.network_id for k in keys if hmac.compare_digest(_token_of(k).encode(), given)]
    return found[0] if found else None


def feed_owner(user_id: int, token: str) -> User | None:
    """Return the active person whose feed address this is, comparing in constant time."""
    key = _feed_key(user_id) if 0 < user_id <= MAX_ID else None
    expected = _token_of(key) if key is not None else _token_of(None)
    if not hmac.compare_digest(expected.encode(), token.encode("utf-8", "replace")) or key is None:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active and user.role in TASK_ROLES else None


def _feed_key(user_id: int) -> PersonalFeedKey | None:
    return db.session.scalars(
        select(PersonalFeedKey).where(PersonalFeedKey.user_id == user_id)
    ).one_or_none()


def _token_of(key: PersonalFeedKey | None) -> str:
    """Derive the address token from the stored secret and the app's SECRET_KEY.

    The database holds only the secret: a copy of it gives no working address without the
    application's key. (Without a key row, a throwaway value keeps the comparison's timing.)
    """
    secret = key.secret if key is not None else "-"
    user = key.user_id if key is not None else 0
    message = f"personal-feed:{user}:{secret}".encode()
    app_key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(app_key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


__all__ = [
    "TaskInput",
    "create_stage_tasks",
    "create_task",
    "delete_task",
    "feed_owner",
    "feed_token",
    "get_task",
    "overdue_counts",
    "regenerate_feed_token",
    "set_done",
    "today",
    "update_task",
]
