"""Read queries of the activity log, and the counts the yearly report is built on.

Visits of ressourceries are recorded once: either as an activity of type `visite` (local
authorities, others), or in a project's `visites` stage form (project holders). Both are read
here, never copied into each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import selectinload

from accompagnement.access import Role
from accompagnement.activities import visits
from accompagnement.activities.models import (
    Activity,
    ActivityStatus,
    CalendarToken,
    VisitorType,
    activity_members,
)
from accompagnement.activities.services import today
from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.network.models import ActivityType
from accompagnement.projects.models import Project
from accompagnement.tenancy import unscoped

FEED_DAYS_BEFORE = 366  # the calendar feed: the last year...
FEED_DAYS_AFTER = 2 * 366  # ...and the next two


@dataclass(frozen=True)
class VisitRow:
    """One visit of one ressourcerie, from the activity log or from a project's visits form."""

    date: dt.date
    member_id: int | None
    member_name: str
    visitor: Literal["collectivite", "porteur_projet", "autre"]
    source: Literal["activity", "project"]
    project_id: int | None
    activity_id: int | None


def in_period(column: Any, start: dt.date | None, end: dt.date | None) -> list[Any]:
    conditions = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column <= end)
    return conditions


def visits_in_period(
    start: dt.date | None, end: dt.date | None, *, include_planned: bool = False
) -> list[VisitRow]:
    """Return the visits of ressourceries in a period (done ones unless asked), by date.

    An activity visiting two ressourceries gives two rows; a project visit gives one row.
    Project visits dated after today count as planned.
    """
    rows = [
        VisitRow(
            date=on,
            member_id=member_id,
            member_name=member_name or "",
            visitor=visitor or VisitorType.AUTRE.value,
            source="activity",
            project_id=None,
            activity_id=activity_id,
        )
        for activity_id, on, visitor, member_id, member_name in visits.activity_visit_rows(
            start, end, include_planned
        )
    ]
    projects = visits.project_visits_query(start, end, include_planned)
    rows += [
        VisitRow(
            date=dt.date.fromisoformat(row.on),
            member_id=row.member_id,
            member_name=row.member_name or "",
            visitor=VisitorType.PORTEUR_PROJET.value,  # type: ignore[arg-type]
            source="project",
            project_id=row.project_id,
            activity_id=None,
        )
        for row in db.session.execute(select(projects))
    ]
    return sorted(rows, key=lambda r: (r.date, r.source, r.member_name))


def member_names(ids: Iterable[int]) -> dict[int, str]:
    """Return the names of the given members, by id."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.session.execute(select(Member.id, Member.name).where(Member.id.in_(wanted)))
    return {member_id: name for member_id, name in rows}


def involving(departements: Collection[str] | None) -> list[Any]:
    """Return the condition 'the activity involves a member of these départements' (none: [])."""
    if departements is None:
        return []
    return [
        Activity.id.in_(
            select(activity_members.c.activity_id)
            .join(Member, Member.id == activity_members.c.member_id)
            .where(Member.departement_code.in_(sorted(departements)))
        )
    ]


def activity_counts(
    start: dt.date | None,
    end: dt.date | None,
    visit_summary: dict[str, Any] | None = None,
    departements: Collection[str] | None = None,
) -> dict[str, dict[str, int]]:
    """Count done activities of each type in a period, and the distinct ressourceries involved.

    Every type key is present. Visits include project holders' visits recorded in projects; a
    visit's ressourcerie is the one visited. Pass `visit_summary` when already computed. With
    `departements`, only the activities involving a member of those départements count, and
    only those members among the ressourceries involved.
    """
    period = [*in_period(Activity.date, start, end), *involving(departements)]
    done = Activity.status == ActivityStatus.DONE.value
    counts: dict[str, int] = {
        type_: n
        for type_, n in db.session.execute(
            select(Activity.type, func.count(Activity.id))
            .where(done, *period)
            .group_by(Activity.type)
        )
    }
    members_in = visits.member_in(departements, activity_members.c.member_id)
    involved: dict[str, int] = {
        type_: n
        for type_, n in db.session.execute(
            select(Activity.type, func.count(distinct(activity_members.c.member_id)))
            .join(activity_members, activity_members.c.activity_id == Activity.id)
            .where(done, *period, *members_in)
            .group_by(Activity.type)
        )
    }
    result = {
        t.value: {"count": counts.get(t.value, 0), "ressourceries": involved.get(t.value, 0)}
        for t in ActivityType
    }
    summary = (
        visits.visit_summary(start, end, departements) if visit_summary is None else visit_summary
    )
    result[ActivityType.VISITE.value] = {
        "count": summary["total"],
        "ressourceries": summary["ressourceries"],
    }
    return result


def default_start(on: dt.date) -> dt.date:
    """Return where the log opens without a chosen start: the same day a year earlier.

    With no end, the default log is everything planned and the last twelve months, what a
    coordinator follows day to day; `?start=` (empty) shows the whole log.
    """
    try:
        return on.replace(year=on.year - 1)
    except ValueError:  # 29 February
        return on.replace(year=on.year - 1, day=28)


@dataclass
class ActivityFilters:
    """The filters of the activity list; None means no restriction."""

    start: dt.date | None = None
    end: dt.date | None = None
    type: str | None = None
    member_id: int | None = None
    # The default log: planned activities show whatever their date (one still planned after
    # its day waits to be marked done), the start bounds the rest.
    planned_before_start: bool = False


def project_names(ids: Iterable[int]) -> dict[int, str]:
    """Return the names of the given projects, by id."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.session.execute(select(Project.id, Project.name).where(Project.id.in_(wanted)))
    return {project_id: name for project_id, name in rows}


def member_choices() -> list[tuple[int, str]]:
    """Return (id, name) of every member ressourcerie, by name."""
    return [
        (row.id, row.name)
        for row in db.session.execute(select(Member.id, Member.name).order_by(Member.name))
    ]


def get_activity_detail(activity_id: int) -> Activity | None:
    """Load an activity with its ressourceries, or None."""
    return db.session.scalars(
        select(Activity).options(selectinload(Activity.members)).where(Activity.id == activity_id)
    ).one_or_none()


def feed_window(on: dt.date) -> tuple[dt.date, dt.date]:
    """Return the first and last day the calendar feed covers: the last year, the next two."""
    return on - dt.timedelta(days=FEED_DAYS_BEFORE), on + dt.timedelta(days=FEED_DAYS_AFTER)


def feed_activities(on: dt.date | None = None) -> list[Activity]:
    """Return the activities of the calendar feed's window, by date."""
    first, last = feed_window(on or today())
    return list(
        db.session.scalars(
            select(Activity)
            .where(func.coalesce(Activity.end_date, Activity.date) >= first, Activity.date <= last)
            .order_by(Activity.date, Activity.id)
        )
    )


def calendar_token_of(user_id: int) -> str | None:
    """Return the user's calendar token, if one was made."""
    return db.session.scalar(select(CalendarToken.token).where(CalendarToken.user_id == user_id))


def network_of_calendar_token(token: str) -> int | None:
    """Return the network a calendar token was made in (looked up across networks)."""
    if not token or len(token) > 64:
        return None
    with unscoped():
        return db.session.scalar(
            select(CalendarToken.network_id).where(CalendarToken.token == token)
        )


def coordinator_for_token(token: str) -> User | None:
    """Return the active coordinator a calendar token belongs to, if any."""
    if not token or len(token) > 64:
        return None
    user = db.session.scalars(
        select(User)
        .join(CalendarToken, CalendarToken.user_id == User.id)
        .where(CalendarToken.token == token)
    ).one_or_none()
    if user is None or not user.is_active or user.role != Role.COORDINATOR:
        return None
    return user


def existing_keys(keys: Iterable[tuple[dt.date, str, str]]) -> set[tuple[dt.date, str, str]]:
    """Return which (date, type, title) natural keys already exist."""
    wanted = set(keys)
    if not wanted:
        return set()
    dates = {k[0] for k in wanted}
    rows = db.session.execute(
        select(Activity.date, Activity.type, Activity.title).where(Activity.date.in_(dates))
    )
    return {(d, t, title) for d, t, title in rows} & wanted


def member_by_name() -> dict[str, Member]:
    """Return every member keyed by its name folded for comparison."""
    return {fold(m.name): m for m in db.session.scalars(select(Member))}


def fold(name: str) -> str:
    """Fold a name for comparison: case and runs of spaces do not matter."""
    return " ".join(name.split()).casefold()
