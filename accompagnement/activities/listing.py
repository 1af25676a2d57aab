"""One page of the activity log: activities and project holders' visits, merged in order.

The log lists the planned activities first (soonest first), then those that took place (newest
first). Activities come from the database one page at a time; the visits recorded in projects'
`visites` forms (a few per project) are read whole and merged in. A page costs the same few
queries whatever the size of the log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import selectinload

from accompagnement.activities.models import Activity, ActivityStatus
from accompagnement.activities.queries import (
    ActivityFilters,
    activity_members,
    in_period,
    project_names,
    project_visits,
)
from accompagnement.activities.services import today
from accompagnement.extensions import db
from accompagnement.network.models import ActivityType
from accompagnement.pagination import PER_PAGE, Page, clamp

SortKey = tuple[int, int, int, int]


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

    @property
    def key(self) -> SortKey:
        """Return the place in the log: planned soonest first, then done newest first.

        On one day, activities come before project visits (the same order as the SQL query).
        """
        day = self.date.toordinal()
        if self.activity is not None:
            ident = self.activity.id
            return (0, day, 0, ident) if self.upcoming else (1, -day, 0, -ident)
        return (0, day, 1, self.project_id or 0) if self.upcoming else (1, -day, 1, 0)


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


def _log_order(query: Select[Any]) -> Select[Any]:
    planned = Activity.status == ActivityStatus.PLANNED.value
    return query.order_by(
        case((planned, 0), else_=1),
        case((planned, Activity.date), else_=None).asc(),
        Activity.date.desc(),
        case((planned, Activity.id), else_=-Activity.id).asc(),
    )


def list_activities(
    filters: ActivityFilters, number: int = 1, per_page: int = PER_PAGE
) -> ActivityListing:
    """Return one page of the log: planned activities, then the done ones, project visits in."""
    visits = sorted(_project_entries(filters), key=lambda e: e.key)
    count = db.session.scalar(select(func.count()).select_from(_filtered(filters).subquery()))
    page = clamp(number, (count or 0) + len(visits), per_page)
    # The page's activities are among those from `start`: at most len(visits) visits precede.
    start = max(0, page.offset - len(visits))
    window = db.session.scalars(
        _log_order(_filtered(filters))
        .options(selectinload(Activity.members))
        .offset(start)
        .limit(page.offset + per_page - start)
    ).all()
    entries = [_entry(activity) for activity in window]
    shown = _slice(entries, visits, start, page)
    return ActivityListing(
        upcoming=[e for e in shown if e.upcoming],
        past=[e for e in shown if not e.upcoming],
        page=page,
    )


def _slice(
    entries: list[LogEntry], visits: list[LogEntry], start: int, page: Page
) -> list[LogEntry]:
    """Merge a window of activities (from log position `start`) with every visit; cut a page."""
    if start == 0:
        merged = list(_merge(entries, visits))
        return merged[page.offset : page.offset + page.per_page]
    first = entries[0].key if entries else None
    before = sum(1 for v in visits if first is None or v.key < first)
    position = start + before
    after = [v for v in visits if first is not None and v.key >= first]
    merged = list(_merge(entries, after))
    return merged[page.offset - position : page.offset - position + page.per_page]


def _merge(a: Sequence[LogEntry], b: Sequence[LogEntry]) -> Iterator[LogEntry]:
    i = j = 0
    while i < len(a) or j < len(b):
        if j >= len(b) or (i < len(a) and a[i].key <= b[j].key):
            yield a[i]
            i += 1
        else:
            yield b[j]
            j += 1


def _entry(activity: Activity) -> LogEntry:
    return LogEntry(
        date=activity.date,
        source="activity",
        activity=activity,
        member_names=[m.name for m in activity.members],
    )


def _project_entries(filters: ActivityFilters) -> list[LogEntry]:
    if filters.type not in (None, "", ActivityType.VISITE.value):
        return []
    rows = [
        row
        for row in project_visits(filters.start, filters.end, include_planned=True)
        if not filters.member_id or row.member_id == filters.member_id
    ]
    names = project_names(r.project_id for r in rows if r.project_id is not None)
    return [
        LogEntry(
            date=row.date,
            source="project",
            project_id=row.project_id,
            project_name=names.get(row.project_id or 0, ""),
            member_names=[row.member_name] if row.member_name else [],
        )
        for row in rows
    ]
