"""Read queries of the API: a page of projects and one project, as the caller may see them.

Visibility follows the web app: a coordinator sees every project, a holder their own, a partner
the projects of their départements (`auth.queries.partner_scope`, as the partners' dashboard).
Only non-personal columns are selected. A page costs two statements (count and rows) and a
project two (the project and its history), however many rows there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import contains_eager, selectinload

from accompagnement.access import Role
from accompagnement.activities.models import Activity
from accompagnement.auth.models import User
from accompagnement.auth.queries import partner_scope
from accompagnement.errors import NotFound
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.pagination import Page, clamp
from accompagnement.projects.models import Project, TransitionRecord, project_holders
from accompagnement.territory.models import Commune

COLUMNS = (
    Project.id,
    Project.name,
    Project.workflow_name,
    Project.workflow_version,
    Project.state,
    Project.state_changed_at,
    Commune.name.label("commune"),
    Commune.departement_code,
)


def _visible(query: Select, user: User) -> Select:
    """Limit a select of projects joined to their commune to what `user` may see."""
    if user.role == Role.HOLDER:
        mine = select(project_holders.c.project_id).where(project_holders.c.user_id == user.id)
        return query.where(Project.id.in_(mine))
    if user.role == Role.PARTNER:
        scope = partner_scope(user)
        if scope is not None:
            return query.where(Commune.departement_code.in_(sorted(scope)))
        return query
    if user.role == Role.COORDINATOR:
        return query
    return query.where(Project.id.is_(None))


def _reads_communes(user: User, filters: Any) -> bool:
    """Tell whether choosing the projects reads their commune (a département filter or scope)."""
    return bool(filters.departement) or (
        user.role == Role.PARTNER and partner_scope(user) is not None
    )


def _filtered(query: Select, user: User, filters: Any, *, communes: bool = True) -> Select:
    """Limit a select of projects to what `user` may see within the filters; join the commune
    when `communes` (its columns are selected) or when a filter reads it."""
    if communes or _reads_communes(user, filters):
        query = query.outerjoin(Commune, Commune.insee == Project.commune_insee)
    query = _visible(query, user)
    if filters.workflow:
        query = query.where(Project.workflow_name == filters.workflow)
    if filters.stage:
        query = query.where(Project.state == filters.stage)
    if filters.departement:
        query = query.where(Commune.departement_code == filters.departement)
    if filters.changed_since:
        query = query.where(Project.state_changed_at >= _start(filters.changed_since))
    if filters.changed_until:
        end = _start(filters.changed_until) + dt.timedelta(days=1)
        query = query.where(Project.state_changed_at < end)
    return query


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def project_page(user: User, filters: Any) -> tuple[Page, Sequence[Any]]:
    """Return one page of the projects `user` may see, by id, within the filters.

    The count and the page's ids read the projects' index alone (the commune only when a
    filter needs it); only the page's rows are joined to their commune, not every row skipped.
    """
    total = db.session.scalar(
        _filtered(select(func.count(Project.id)), user, filters, communes=False)
    )
    page = clamp(filters.page, total or 0, filters.limit)
    ids = (
        _filtered(select(Project.id), user, filters, communes=False)
        .order_by(Project.id)
        .offset(page.offset)
        .limit(page.per_page)
    )
    rows = db.session.execute(
        select(*COLUMNS)
        .outerjoin(Commune, Commune.insee == Project.commune_insee)
        .where(Project.id.in_(ids))
        .order_by(Project.id)
    ).all()
    return page, rows


class _NoFilter:
    workflow = stage = departement = changed_since = changed_until = None


def project_row(user: User, project_id: int) -> Any:
    """Return one project `user` may see, or raise NotFound (never reveal another one)."""
    query = _filtered(select(*COLUMNS), user, _NoFilter()).where(Project.id == project_id)
    row = db.session.execute(query).one_or_none()
    if row is None:
        raise NotFound("No such project")
    return row


def moves(project_id: int) -> Sequence[Any]:
    """Return the project's transitions, oldest first: what moved where and when, not who."""
    query = (
        select(
            TransitionRecord.trigger,
            TransitionRecord.from_state,
            TransitionRecord.to_state,
            TransitionRecord.at,
        )
        .where(TransitionRecord.project_id == project_id)
        .order_by(TransitionRecord.at, TransitionRecord.id)
    )
    return db.session.execute(query).all()


def activity_page(number: int) -> tuple[Page, Sequence[Activity]]:
    """Return one page of the network's activities, newest first, with their members' ids."""
    total = db.session.scalar(select(func.count(Activity.id))) or 0
    page = clamp(number, total)
    query = (
        select(Activity)
        .options(selectinload(Activity.members).load_only(Member.id))
        .order_by(Activity.date.desc(), Activity.id.desc())
        .offset(page.offset)
        .limit(page.per_page)
    )
    return page, db.session.scalars(query).all()


def observatory_page(
    user: User, number: int, year: int | None
) -> tuple[Page, Sequence[ObservatoryReport]]:
    """Return one page of the yearly reports of the members `user` may see, by year then name."""
    scope = partner_scope(user)
    where: list[ColumnElement[bool]] = []
    if scope is not None:
        where.append(Member.departement_code.in_(sorted(scope)))
    if year is not None:
        where.append(ObservatoryReport.year == year)
    base = select(ObservatoryReport).join(ObservatoryReport.member).where(*where)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    page = clamp(number, total)
    query = (
        base.options(contains_eager(ObservatoryReport.member))
        .order_by(ObservatoryReport.year.desc(), Member.name, ObservatoryReport.id)
        .offset(page.offset)
        .limit(page.per_page)
    )
    return page, db.session.scalars(query).all()
