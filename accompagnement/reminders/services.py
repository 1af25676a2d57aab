"""The daily digest: what is new for each person since their last one, and what is coming.

What is new: the notices they chose to get in the digest (`DigestItem`, written with each
event), and for coordinators the projects that became late or went without news since the last
digest. A digest with nothing new is not written. What is coming (`coming.COMING`) is listed
but is never a reason to write one.

The digest goes to the outbox (`flask notify send` sends it). Every digest written is recorded in
NotificationLog (unique per user, day and kind) in the same transaction, with the moment it
covers up to, so a second run the same day, even a concurrent one, writes nothing again, and
the next digest starts where this one ended.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from accompagnement.access import Role
from accompagnement.auth.models import User
from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.i18n import label
from accompagnement.notifications import links
from accompagnement.notifications import services as notices
from accompagnement.notifications.kinds import KINDS, LATE_PROJECTS, TASK_DUE_SOON
from accompagnement.notifications.models import DIGEST as BY_DIGEST
from accompagnement.notifications.models import DigestItem
from accompagnement.outbox.services import enqueue
from accompagnement.reminders.coming import Coming, coming_for
from accompagnement.reminders.models import NotificationLog
from accompagnement.reminders.queries import (
    OverdueProject,
    StaleProject,
    count_overdue,
    overdue_projects,
    stale_projects,
)
from accompagnement.tasks.models import Assignee, Task
from accompagnement.tasks.queries import due_tasks

DIGEST = notices.DIGEST_MAIL
FIRST_WINDOW = dt.timedelta(days=1)  # what a first digest looks back on
LIMIT = 50  # lines per section; the reminders page has them all


@dataclass
class Digest:
    """What is new for one person since `since`, and what is coming."""

    user: User
    since: dt.datetime
    until: dt.datetime
    news: list[DigestItem] = field(default_factory=list)
    late: list[OverdueProject] = field(default_factory=list)
    stale: list[StaleProject] = field(default_factory=list)
    stale_days: int = 0

    @property
    def nothing_new(self) -> bool:
        return not self.news and not self.late and not self.stale


def recipients() -> list[User]:
    """Return the active people who may get a digest: coordinators, and whoever has news."""
    waiting = select(DigestItem.user_id)
    users = db.session.scalars(
        select(User)
        .where(or_(User.role == Role.COORDINATOR.value, User.id.in_(waiting)))
        .order_by(User.id)
    )
    return [u for u in users if u.is_active]


def already_sent(user_id: int, day: dt.date, kind: str = DIGEST) -> bool:
    """Tell whether this kind of message was already written for the user that day."""
    found = select(NotificationLog.id).where(
        NotificationLog.user_id == user_id, NotificationLog.day == day, NotificationLog.kind == kind
    )
    return db.session.scalar(found) is not None


def last_digest(user_id: int) -> dt.datetime | None:
    """Return the moment the person's last digest covered up to."""
    return db.session.scalar(
        select(func.max(NotificationLog.sent_at)).where(
            NotificationLog.user_id == user_id, NotificationLog.kind == DIGEST
        )
    )


def collect(user: User, now: dt.datetime) -> Digest:
    """Gather what is new for a person since their last digest."""
    since = last_digest(user.id) or now - FIRST_WINDOW
    digest = Digest(user=user, since=since, until=now)
    digest.news = list(
        db.session.scalars(
            select(DigestItem).where(DigestItem.user_id == user.id).order_by(DigestItem.id)
        )
    )
    if _wants_late_projects(user):
        days = int(current_app.config["STALE_PROJECT_DAYS"])
        digest.late = overdue_projects(now, since=since, limit=LIMIT)
        digest.stale = stale_projects(days, now, since=since, limit=LIMIT)
        digest.stale_days = days
    return digest


def _wants_late_projects(user: User) -> bool:
    chosen = notices.preferences([user.id], LATE_PROJECTS.key).get(user.id)
    return notices.delivery_of(user, LATE_PROJECTS, chosen) == BY_DIGEST


def _claim(user_id: int, day: dt.date, until: dt.datetime, kind: str = DIGEST) -> bool:
    """Record a daily message as written; False when another run already did (unique constraint)."""
    try:
        with db.session.begin_nested():
            db.session.add(NotificationLog(user_id=user_id, day=day, kind=kind, sent_at=until))
    except IntegrityError:
        return False
    return True


def write_due_soon(day: dt.date, now: dt.datetime | None = None) -> int:
    """Tell each person of their open tasks due in TASK_DUE_SOON_DAYS days, once a day.

    A task is told of on the day it enters that window (its due date minus the days), so each
    is told of once; a second run the same day tells no one again. Returns how many were told.
    """
    now = now or utcnow()
    due = day + dt.timedelta(days=int(current_app.config["TASK_DUE_SOON_DAYS"]))
    people: dict[int, tuple[User, list[Task]]] = {}
    for task in due_tasks(due):
        for person in _task_people(task):
            people.setdefault(person.id, (person, []))[1].append(task)
    told = 0
    for user, tasks in people.values():
        if not user.is_active or not _claim(user.id, day, now, TASK_DUE_SOON.key):
            continue
        for task in tasks:
            notices.notify(
                TASK_DUE_SOON,
                [user],
                path=links.path_for("tasks.index", project=task.project_id),
                project_id=task.project_id,
                project=task.project.name,
                title=task.title,
                due=due.isoformat(),
            )
        told += 1
    db.session.flush()
    return told


def _task_people(task: Task) -> list[User]:
    """Who a task is for: the holders together, one person, or the active coordinators."""
    if task.assignee == Assignee.HOLDERS:
        return list(task.project.holders)
    if task.assignee == Assignee.COORDINATION:
        active = select(User).where(User.role == Role.COORDINATOR.value, User.active)
        return list(db.session.scalars(active))
    return [task.assigned_to] if task.assigned_to is not None else []


def write_digest(user: User, day: dt.date, now: dt.datetime | None = None) -> bool:
    """Put the person's digest in the outbox unless written today or nothing is new; True if so.

    Flushes; the caller commits after each person.
    """
    now = now or utcnow()
    if already_sent(user.id, day):
        return False
    digest = collect(user, now)
    if digest.nothing_new or not _claim(user.id, day, now):
        return False
    horizon = day + dt.timedelta(days=int(current_app.config["DIGEST_COMING_DAYS"]))
    with force_locale(notices.language_of(user)):
        subject, body = compose(digest, coming_for(user, day, horizon))
    enqueue(
        user.email,
        subject,
        body,
        kind="notify.digest",
        user_id=user.id,
        headers=notices.headers_for(user, notices.DIGEST_MAIL),
    )
    if digest.news:
        ids = [item.id for item in digest.news]
        db.session.execute(delete(DigestItem).where(DigestItem.id.in_(ids)))
    db.session.flush()
    return True


def compose(digest: Digest, coming: list[Coming]) -> tuple[str, str]:
    """Write the subject and plain-text body of a digest in the current language."""
    news = [_news_line(item) for item in digest.news]
    subject = _("What is new: %(count)s", count=len(news) + len(digest.late) + len(digest.stale))
    body = render_template(
        "reminders/mail/digest.txt",
        digest=digest,
        news=news,
        late=[_late_line(p) for p in digest.late],
        stale=[_stale_line(p) for p in digest.stale],
        still_late=count_overdue(digest.until) if digest.late or digest.stale else 0,
        coming=[(c, links.absolute(c.path) if c.path else "") for c in coming],
        reminders_url=links.absolute_url("reminders.index"),
        settings_url=links.settings_url(digest.user.id, notices.DIGEST_MAIL),
    )
    return subject, body


def _news_line(item: DigestItem) -> tuple[str, str]:
    kind = KINDS.get(item.kind)
    text = kind.line(item.params) if kind and kind.line else item.kind
    return text, links.absolute(item.path)


def _late_line(p: OverdueProject) -> tuple[str, str]:
    text = _(
        "%(project)s, %(stage)s: %(days)s days in the stage (usually %(usual)s)",
        project=p.name,
        stage=label(p.stage_label),
        days=p.days_in_stage,
        usual=p.usual_days,
    )
    return text, links.absolute_url("projects.detail", project_id=p.project_id)


def _stale_line(p: StaleProject) -> tuple[str, str]:
    text = _(
        "%(project)s, %(stage)s: nothing new for %(days)s days",
        project=p.name,
        stage=label(p.stage_label),
        days=p.idle_days,
    )
    return text, links.absolute_url("projects.detail", project_id=p.project_id)
