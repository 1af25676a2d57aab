"""What is coming, listed at the end of a person's digest (never a reason to send one).

`COMING` is the one extension point: each entry is a function `(user, first, last)` returning
what that person should know is coming between two dates, worded in the current language (the
digest calls it inside the recipient's locale): the network's planned activities, the person's
tasks due, the meetings planned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accompagnement.access import Role
from accompagnement.activities.models import Activity, ActivityStatus
from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.i18n import format_datetime
from accompagnement.meetings import queries as meetings_queries
from accompagnement.notifications.links import path_for
from accompagnement.tasks import queries as task_queries
from accompagnement.tasks.models import Task

LIMIT = 20  # per source: a digest lists what is coming, it is not an agenda


@dataclass(frozen=True)
class Coming:
    """One thing coming: its day, a line of text, and the path of its page (if any)."""

    day: dt.date
    text: str
    path: str | None = None


def planned_activities(user: User, first: dt.date, last: dt.date) -> list[Coming]:
    """Return the network's planned activities between two dates (coordinators only)."""
    if user.role != Role.COORDINATOR:
        return []
    rows = db.session.scalars(
        select(Activity)
        .where(
            Activity.status == ActivityStatus.PLANNED.value,
            Activity.date >= first,
            Activity.date <= last,
        )
        .order_by(Activity.date, Activity.id)
        .limit(LIMIT)
    )
    return [
        Coming(
            a.date, f"{a.type_label}: {a.title}", path_for("activities.detail", activity_id=a.id)
        )
        for a in rows
    ]


def tasks_due(user: User, first: dt.date, last: dt.date) -> list[Coming]:
    """Return the person's open tasks due between two dates."""
    rows = db.session.scalars(
        select(Task)
        .where(
            task_queries.mine_condition(user),
            Task.done_at.is_(None),
            Task.due_on >= first,
            Task.due_on <= last,
        )
        .options(joinedload(Task.project))
        .order_by(Task.due_on, Task.id)
        .limit(LIMIT)
    )
    return [
        Coming(
            t.due_on,
            _("Task due: %(title)s (%(project)s)", title=t.title, project=t.project.name),
            path_for("tasks.index", project=t.project_id),
        )
        for t in rows
        if t.due_on is not None
    ]


def meetings_planned(user: User, first: dt.date, last: dt.date) -> list[Coming]:
    """Return the exchanges planned with the person's projects (holders) or by them
    (coordinators) between two dates."""
    since = meetings_queries.to_utc(dt.datetime.combine(first, dt.time.min))
    until = meetings_queries.to_utc(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    coordinator = user.role == Role.COORDINATOR
    rows = meetings_queries.for_calendar(user.id, coordinator=coordinator, since=since, limit=LIMIT)
    return [
        Coming(
            meetings_queries.to_local(e.at).date(),
            _("Meeting with %(project)s at %(when)s", project=e.project.name,
              when=format_datetime(e.at, "short")),
            path_for("meetings.project_exchanges", project_id=e.project_id)
            if coordinator
            else path_for("projects.detail", project_id=e.project_id),
        )
        for e in rows
        if e.at < until
    ]  # fmt: skip


ComingSource = Callable[[User, dt.date, dt.date], list[Coming]]
COMING: list[ComingSource] = [planned_activities, tasks_due, meetings_planned]


def coming_for(user: User, first: dt.date, last: dt.date) -> list[Coming]:
    """Return what is coming for a person between two dates, by day."""
    found = [item for source in COMING for item in source(user, first, last)]
    return sorted(found, key=lambda item: item.day)
