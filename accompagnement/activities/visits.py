"""Visits of ressourceries read by the database: the activity log's and the projects' forms.

Project holders record their visits in their project's `visites` form; the items of the newest
submitted revision are stored as rows of `project_visits` when it is submitted
(projects/visitrows.py), so a period, a count or one page of the log is an indexed query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import String, Subquery, cast, func, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from accompagnement.activities.models import Activity, ActivityStatus, ActivityType
from accompagnement.activities.models import activity_members as links
from accompagnement.activities.services import today
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects.models import ProjectVisit

VISITORS = ("collectivite", "porteur_projet", "autre")


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _in_period(
    start: dt.date | None, end: dt.date | None, include_planned: bool
) -> list[ColumnElement[bool]]:
    """The project visits of a period; those after today only with `include_planned`."""
    conditions = []
    if start is not None:
        conditions.append(ProjectVisit.day >= start)
    if end is not None:
        conditions.append(ProjectVisit.day <= end)
    if not include_planned:
        conditions.append(ProjectVisit.day <= today())
    return conditions


def project_visits_query(
    start: dt.date | None, end: dt.date | None, include_planned: bool, member_id: int | None = None
) -> Subquery:
    """Return the project holders' visits in a period, one row per visit.

    Columns: project_id, on (ISO text), member_id (None when the member does not exist),
    member_name, position (the item's place in its form). Visits after today count only with
    `include_planned`.
    """
    query = (
        select(
            ProjectVisit.project_id.label("project_id"),
            text_date(ProjectVisit.day).label("on"),
            ProjectVisit.member_id.label("member_id"),
            Member.name.label("member_name"),
            ProjectVisit.position.label("position"),
        )
        .select_from(ProjectVisit)
        .outerjoin(Member, Member.id == ProjectVisit.member_id)
        .where(*_in_period(start, end, include_planned))
    )
    if member_id is not None:
        query = query.where(ProjectVisit.member_id == member_id)
    return query.subquery("holder_visits")


def _activity_visit_filter(start: dt.date | None, end: dt.date | None) -> list[Any]:
    conditions: list[Any] = [
        Activity.type == ActivityType.VISITE.value,
        Activity.status == ActivityStatus.DONE.value,
    ]
    if start is not None:
        conditions.append(Activity.date >= start)
    if end is not None:
        conditions.append(Activity.date <= end)
    return conditions


def member_in(departements: Collection[str] | None, member_id: Any) -> list[Any]:
    """Return the condition 'the member is in one of these départements' (none: [])."""
    if departements is None:
        return []
    in_scope = select(Member.id).where(Member.departement_code.in_(sorted(departements)))
    return [member_id.in_(in_scope)]


def visit_summary(
    start: dt.date | None, end: dt.date | None, departements: Collection[str] | None = None
) -> dict[str, Any]:
    """Count the done visits of a period by visitor, and the distinct ressourceries visited.

    An activity visiting two ressourceries counts twice; a project visit once. With
    `departements`, only the visits of ressourceries of those départements count. Two grouped
    queries (a few hundred rows at most), whatever the size of the log.
    """
    by_visitor = dict.fromkeys(VISITORS, 0)
    visited: set[int | None] = set()
    activity_rows = db.session.execute(
        select(Activity.visitor, links.c.member_id, func.count())
        .select_from(Activity)
        .outerjoin(links, links.c.activity_id == Activity.id)
        .where(*_activity_visit_filter(start, end), *member_in(departements, links.c.member_id))
        .group_by(Activity.visitor, links.c.member_id)
    )
    for visitor, member_id, count in activity_rows:
        by_visitor[visitor if visitor in by_visitor else "autre"] += count
        visited.add(member_id)
    project_rows = db.session.execute(
        select(ProjectVisit.member_id, func.count())
        .where(
            *_in_period(start, end, include_planned=False),
            *member_in(departements, ProjectVisit.member_id),
        )
        .group_by(ProjectVisit.member_id)
    )
    for member_id, count in project_rows:
        by_visitor["porteur_projet"] += count
        visited.add(member_id)
    visited.discard(None)
    return {
        "total": sum(by_visitor.values()),
        "by_visitor": by_visitor,
        "ressourceries": len(visited),
    }


def visits_by_year(
    start: dt.date, end: dt.date, departements: Collection[str] | None = None
) -> dict[int, int]:
    """Count the done visits of each year of a period, as `visit_summary` counts them."""
    counts: dict[int, int] = {}
    activity_year = func.extract("year", Activity.date)
    project_year = func.extract("year", ProjectVisit.day)
    for query in (
        select(activity_year, func.count())
        .select_from(Activity)
        .outerjoin(links, links.c.activity_id == Activity.id)
        .where(*_activity_visit_filter(start, end), *member_in(departements, links.c.member_id))
        .group_by(activity_year),
        select(project_year, func.count())
        .where(
            *_in_period(start, end, include_planned=False),
            *member_in(departements, ProjectVisit.member_id),
        )
        .group_by(project_year),
    ):
        for year, count in db.session.execute(query):
            counts[int(year)] = counts.get(int(year), 0) + count
    return counts


def activity_visit_rows(
    start: dt.date | None, end: dt.date | None, include_planned: bool
) -> list[tuple[Any, ...]]:
    """Return (activity id, date, visitor, member id, member name) of the visits in a period."""
    conditions = _activity_visit_filter(start, end)
    if include_planned:
        conditions = conditions[:1] + conditions[2:]
    return [
        tuple(row)
        for row in db.session.execute(
            select(Activity.id, Activity.date, Activity.visitor, Member.id, Member.name)
            .select_from(Activity)
            .outerjoin(links, links.c.activity_id == Activity.id)
            .outerjoin(Member, Member.id == links.c.member_id)
            .where(*conditions)
        )
    ]


def text_date(column: Any) -> ColumnElement[str]:
    """Return a date column as ISO text, to sort and merge it with the forms' dates."""
    # SQLite stores dates as that text already: only the Python-side type changes.
    return cast(column, String(10)) if _postgresql() else type_coerce(column, String(10))
