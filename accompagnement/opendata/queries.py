"""Read queries of the open data package: the network asked for, its years, when data changed.

The figures themselves come from the observatory's and the report's own queries (one
aggregation of each in the application), never from queries of this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accompagnement.audit.models import AuditEvent
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory import queries as observatory_queries
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.projects.models import Project, TransitionRecord


def first_year() -> int | None:
    """Return the first year with data: an observatory report, a project, a member joining."""
    years = db.session.execute(
        select(
            select(func.min(ObservatoryReport.year)).scalar_subquery(),
            select(func.min(TransitionRecord.at)).scalar_subquery(),
            select(func.min(Member.joined_on)).scalar_subquery(),
        )
    ).one()
    found = [y if isinstance(y, int) else _year_of(y) for y in years if y is not None]
    return min(found) if found else None


def _year_of(moment: object) -> int:
    # SQLite returns min() of a datetime column as text.
    if isinstance(moment, str):
        return int(moment[:4])
    return int(moment.year)  # type: ignore[attr-defined]


def last_change() -> datetime | None:
    """Return the newest moment the published figures may have changed (naive UTC).

    The newest of: a report's update, a project's update or transition, a member's creation,
    an audit event (member edits and imports are audited). It may be later than the real
    change, never earlier: a client asking If-Modified-Since gets no stale copy.
    """
    moments = db.session.execute(
        select(
            select(func.max(ObservatoryReport.updated_at)).scalar_subquery(),
            select(func.max(Project.updated_at)).scalar_subquery(),
            select(func.max(TransitionRecord.at)).scalar_subquery(),
            select(func.max(Member.created_at)).scalar_subquery(),
            select(func.max(AuditEvent.at)).scalar_subquery(),
        )
    ).one()
    found = [_moment(m) for m in moments if m is not None]
    return max(found) if found else None


def _moment(value: object) -> datetime:
    if isinstance(value, str):  # SQLite, through a scalar subquery
        return datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value


def directory_of_year(year: int) -> Sequence[Member]:
    """Return the members of the network at some point of a year, by name, with their commune."""
    return db.session.scalars(
        select(Member)
        .options(selectinload(Member.commune))
        .where(observatory_queries.active_in(year))
        .order_by(Member.name)
    ).all()
