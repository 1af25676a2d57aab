"""What is coming, listed at the end of a person's digest (never a reason to send one).

`COMING` is the one extension point: each entry is a function `(user, first, last)` returning
what that person should know is coming between two dates, worded in the current language (the
digest calls it inside the recipient's locale). Tasks due and meetings planned join it with one
entry each, from the package that owns them::

    def tasks_due(user: User, first: date, last: date) -> list[Coming]: ...
    COMING.append(tasks_due)      # or list it below once `tasks` sits below reminders
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from accompagnement.access import Role
from accompagnement.activities.models import Activity, ActivityStatus
from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.notifications.links import path_for

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


ComingSource = Callable[[User, dt.date, dt.date], list[Coming]]
COMING: list[ComingSource] = [planned_activities]


def coming_for(user: User, first: dt.date, last: dt.date) -> list[Coming]:
    """Return what is coming for a person between two dates, by day."""
    found = [item for source in COMING for item in source(user, first, last)]
    return sorted(found, key=lambda item: item.day)
