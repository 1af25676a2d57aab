"""One page of the activity log: activities and project holders' visits, merged in order.

The log lists the planned activities first (soonest first), then those that took place (newest
first), the visits recorded in projects' `visites` forms (rows of `project_visits`) in between.
A page never sorts the whole log: each of its four parts (planned and done activities, coming and
past visits) gives at most `offset + per_page` keys in its index's order (ORDER BY ... LIMIT read
from an index), and the database merges those few rows and cuts the page. The total is the sum
of two indexed counts, in one statement; the page's activities are then loaded with their
ressourceries in one more query. A page costs the same few queries whatever the log's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import ColumnElement, Subquery, case, func, literal, or_, select, union_all

from accompagnement.activities.models import Activity, ActivityStatus
from accompagnement.activities.queries import (
    ActivityFilters,
    activity_members,
    in_period,
    project_names,
)
from accompagnement.activities.services import today
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.network.models import ActivityType
from accompagnement.pagination import PER_PAGE, Page, clamp
from accompagnement.projects.models import ProjectVisit

ACTIVITY, VISIT = 0, 1  # the `source` of a key: activities come first on a day


@dataclass
class LogEntry:
    """One line of the activity list: an activity, or a visit recorded in a project."""

    date: dt.date
    source: Literal["activity", "project"]
    activity: Activity | None = None
    project_id: int | None = None
    project_name: str = ""
    member_names: list[str] = field(default_factory=list)

    @property
    def upcoming(self) -> bool:
        if self.activity is not None:
            return self.activity.planned
        return self.date > today()


@dataclass
class ActivityListing:
    upcoming: list[LogEntry]
    past: list[LogEntry]
    page: Page


def _activity_filter(
    filters: ActivityFilters, status: ActivityStatus | None = None
) -> list[ColumnElement[bool]]:
    """The filters of the activities of one status (None: both)."""
    conditions = in_period(Activity.date, None, filters.end)
    if filters.start is not None:
        since = Activity.date >= filters.start
        if not filters.planned_before_start or status == ActivityStatus.DONE:
            conditions.append(since)
        elif status is None:
            conditions.append(or_(Activity.status == ActivityStatus.PLANNED.value, since))
    if filters.type:
        conditions.append(Activity.type == filters.type)
    if filters.member_id:
        conditions.append(
            Activity.id.in_(
                select(activity_members.c.activity_id).where(
                    activity_members.c.member_id == filters.member_id
                )
            )
        )
    return conditions


def _with_visits(filters: ActivityFilters) -> bool:
    """Whether the filters let project visits in (no type, or the visits' type)."""
    return filters.type in (None, "", ActivityType.VISITE.value)


def _visit_filter(filters: ActivityFilters) -> list[ColumnElement[bool]]:
    conditions = in_period(ProjectVisit.day, filters.start, filters.end)
    if filters.member_id:
        conditions.append(ProjectVisit.member_id == filters.member_id)
    return conditions


def _activity_part(filters: ActivityFilters, planned: bool, wanted: int) -> Subquery:
    """The first `wanted` planned (soonest first) or done (newest first) activities' keys."""
    status = ActivityStatus.PLANNED if planned else ActivityStatus.DONE
    order = (Activity.date, Activity.id) if planned else (Activity.date.desc(), Activity.id.desc())
    return (
        select(
            literal(0 if planned else 1).label("later"),
            Activity.date.label("on"),
            literal(ACTIVITY).label("source"),
            Activity.id.label("ident"),
            literal(0).label("position"),
            literal(None, Member.name.type).label("member_name"),
        )
        .where(Activity.status == status.value, *_activity_filter(filters, status))
        .order_by(*order)
        .limit(wanted)
        .subquery()
    )


def _visit_part(filters: ActivityFilters, coming: bool, wanted: int) -> Subquery:
    """The first `wanted` coming (soonest first) or past (newest first) project visits' keys."""
    day = ProjectVisit.day
    when = day > today() if coming else day <= today()
    order = (
        (day, ProjectVisit.project_id, ProjectVisit.position)
        if coming
        else (day.desc(), ProjectVisit.project_id.desc(), ProjectVisit.position)
    )
    return (
        select(
            literal(0 if coming else 1).label("later"),
            day.label("on"),
            literal(VISIT).label("source"),
            ProjectVisit.project_id.label("ident"),
            ProjectVisit.position.label("position"),
            Member.name.label("member_name"),
        )
        .outerjoin(Member, Member.id == ProjectVisit.member_id)
        .where(when, *_visit_filter(filters))
        .order_by(*order)
        .limit(wanted)
        .subquery()
    )


def _log(filters: ActivityFilters, wanted: int) -> Any:
    """The first `wanted` keys of each part of the log, one subquery to merge them in."""
    parts = [_activity_part(filters, True, wanted), _activity_part(filters, False, wanted)]
    if _with_visits(filters):
        parts += [_visit_part(filters, True, wanted), _visit_part(filters, False, wanted)]
    # Each part keeps its ORDER BY and LIMIT inside a subquery: SQLite refuses them on the
    # members of a compound SELECT.
    return union_all(*(select(*part.c) for part in parts)).subquery("log")


def _log_order(log: Any) -> list[Any]:
    """Planned soonest first, then done newest first; on a day, activities before visits."""
    upcoming = log.c.later == 0
    return [
        log.c.later,
        case((upcoming, log.c.on)).asc(),
        log.c.on.desc(),
        log.c.source,
        case((upcoming, log.c.ident), else_=-log.c.ident).asc(),
        log.c.position,
    ]


def _activity_count(filters: ActivityFilters, status: ActivityStatus) -> ColumnElement[int]:
    conditions = (Activity.status == status.value, *_activity_filter(filters, status))
    return select(func.count()).select_from(Activity).where(*conditions).scalar_subquery()


def count_entries(filters: ActivityFilters) -> int:
    """Count the entries of the log (one indexed count per part, one statement)."""
    # One count per status: each is an index range, where `planned OR since the start` is not.
    total = _activity_count(filters, ActivityStatus.PLANNED) + _activity_count(
        filters, ActivityStatus.DONE
    )
    if _with_visits(filters):
        visits = select(func.count()).select_from(ProjectVisit).where(*_visit_filter(filters))
        total = total + visits.scalar_subquery()
    return db.session.scalar(select(total)) or 0


def list_activities(
    filters: ActivityFilters, number: int = 1, per_page: int = PER_PAGE
) -> ActivityListing:
    """Return one page of the log: planned activities, then the done ones, project visits in."""
    page = clamp(number, count_entries(filters), per_page)
    log = _log(filters, page.offset + per_page)
    keys = db.session.execute(
        select(log.c.source, log.c.ident, log.c.on, log.c.member_name)
        .order_by(*_log_order(log))
        .offset(page.offset)
        .limit(per_page)
    ).all()
    shown = _entries(keys)
    return ActivityListing(
        upcoming=[e for e in shown if e.upcoming],
        past=[e for e in shown if not e.upcoming],
        page=page,
    )


def _entries(keys: Sequence[Any]) -> list[LogEntry]:
    """Turn a page of keys into entries: activities, their ressourceries' names and projects'
    names loaded in one query each."""
    wanted = [ident for source, ident, _on, _name in keys if source == ACTIVITY]
    activities = {
        a.id: a for a in db.session.scalars(select(Activity).where(Activity.id.in_(wanted)))
    }
    names = _member_names(wanted)
    projects = project_names(ident for source, ident, _on, _name in keys if source == VISIT)
    return [
        LogEntry(
            date=on,
            source="activity",
            activity=activities[ident],
            member_names=names.get(ident, []),
        )
        if source == ACTIVITY
        else LogEntry(
            date=on,
            source="project",
            project_id=ident,
            project_name=projects.get(ident, ""),
            member_names=[name] if name else [],
        )
        for source, ident, on, name in keys
    ]


def _member_names(activity_ids: list[int]) -> dict[int, list[str]]:
    """The names of the ressourceries of some activities, by name (only the names: the page
    shows nothing else of them)."""
    if not activity_ids:
        return {}
    names: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(activity_members.c.activity_id, Member.name)
        .join(Member, Member.id == activity_members.c.member_id)
        .where(activity_members.c.activity_id.in_(activity_ids))
        .order_by(Member.name)
    )
    for activity_id, name in rows:
        names.setdefault(activity_id, []).append(name)
    return names
