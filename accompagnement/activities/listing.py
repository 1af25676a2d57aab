"""One page of the activity log: activities and project holders' visits, merged in order.

The log lists the planned activities first (soonest first), then those that took place (newest
first). The database merges the activities with the visits recorded in projects' `visites`
forms (a UNION ALL of both, ordered, one page cut by LIMIT/OFFSET), counts them, and the page's
activities are then loaded with their ressourceries in one more query. A page costs the same
few queries, and never reads the whole log, whatever its size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Select, case, func, literal, null, select, union_all
from sqlalchemy.orm import selectinload

from accompagnement.activities import visits
from accompagnement.activities.models import Activity, ActivityStatus
from accompagnement.activities.queries import (
    ActivityFilters,
    activity_members,
    in_period,
    project_names,
)
from accompagnement.activities.services import today
from accompagnement.extensions import db
from accompagnement.network.models import ActivityType
from accompagnement.pagination import PER_PAGE, Page, clamp


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


def _filtered(filters: ActivityFilters) -> Select[Any]:
    query = select(Activity).where(*in_period(Activity.date, filters.start, filters.end))
    if filters.type:
        query = query.where(Activity.type == filters.type)
    if filters.member_id:
        query = query.where(
            Activity.id.in_(
                select(activity_members.c.activity_id).where(
                    activity_members.c.member_id == filters.member_id
                )
            )
        )
    return query


def _activity_keys(filters: ActivityFilters) -> Select[Any]:
    planned = Activity.status == ActivityStatus.PLANNED.value
    return _filtered(filters).with_only_columns(
        case((planned, 0), else_=1).label("later"),
        visits.text_date(Activity.date).label("on"),
        literal(0).label("source"),
        Activity.id.label("ident"),
        literal(0).label("position"),
        null().label("member_name"),
    )


def _visit_keys(filters: ActivityFilters) -> Select[Any] | None:
    if filters.type not in (None, "", ActivityType.VISITE.value):
        return None
    rows = visits.project_visits_query(
        filters.start, filters.end, include_planned=True, member_id=filters.member_id or None
    )
    return select(
        case((rows.c.on > today().isoformat(), 0), else_=1).label("later"),
        rows.c.on,
        literal(1).label("source"),
        rows.c.project_id.label("ident"),
        rows.c.position,
        rows.c.member_name,
    )


def _log(filters: ActivityFilters) -> Any:
    """The keys of every entry of the log: activities and project visits, one subquery."""
    parts = [_activity_keys(filters)]
    project_part = _visit_keys(filters)
    if project_part is not None:
        parts.append(project_part)
    return union_all(*parts).subquery("log")


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


def list_activities(
    filters: ActivityFilters, number: int = 1, per_page: int = PER_PAGE
) -> ActivityListing:
    """Return one page of the log: planned activities, then the done ones, project visits in."""
    log = _log(filters)
    count = db.session.scalar(select(func.count()).select_from(log)) or 0
    page = clamp(number, count, per_page)
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
    """Turn a page of keys into entries: its activities and names loaded in one query each."""
    wanted = [ident for source, ident, _on, _name in keys if source == 0]
    activities = {
        a.id: a
        for a in db.session.scalars(
            select(Activity).options(selectinload(Activity.members)).where(Activity.id.in_(wanted))
        )
    }
    projects = project_names(ident for source, ident, _on, _name in keys if source == 1)
    return [
        _entry(activities[ident])
        if source == 0
        else LogEntry(
            date=dt.date.fromisoformat(on),
            source="project",
            project_id=ident,
            project_name=projects.get(ident, ""),
            member_names=[name] if name else [],
        )
        for source, ident, on, name in keys
    ]


def _entry(activity: Activity) -> LogEntry:
    return LogEntry(
        date=activity.date,
        source="activity",
        activity=activity,
        member_names=[m.name for m in activity.members],
    )
