"""Read queries behind the observatory pages (a constant number of queries per page).

What a partner limited to some départements may see is decided here, in one place: the members
of those départements, with their figures and names (`Scope`), and the totals of those members
only (as the steering-committee report does: a total would reveal the other départements' sum).
Every query takes a scope (None: every member).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.orm import selectinload

from accompagnement.auth.models import User
from accompagnement.auth.queries import partner_scope
from accompagnement.extensions import db
from accompagnement.members.models import Member, MemberStatus
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.observatory.stats import Totals, aggregate
from accompagnement.projects.models import Project
from accompagnement.territory.models import Commune

# The départements whose members one may see by name; None: every member.
Scope = frozenset[str] | None


def member_scope(user: User) -> Scope:
    """Return the départements whose members `user` may see by name (None: all)."""
    return partner_scope(user)


def _in_scope(scope: Scope) -> Any:
    """Return the condition 'a member of one of these départements' (true when no scope)."""
    return Member.departement_code.in_(sorted(scope)) if scope is not None else true()


def reports_of_years(years: Iterable[int], scope: Scope = None) -> Sequence[ObservatoryReport]:
    """Return the reports of the given years with their member, by year then member name."""
    return db.session.scalars(
        select(ObservatoryReport)
        .join(ObservatoryReport.member)
        .options(selectinload(ObservatoryReport.member), selectinload(ObservatoryReport.updated_by))
        .where(ObservatoryReport.year.in_(list(years)), _in_scope(scope))
        .order_by(ObservatoryReport.year, Member.name)
    ).all()


def report_years() -> list[int]:
    """Return the years that have at least one report, most recent first."""
    rows = db.session.scalars(
        select(ObservatoryReport.year).distinct().order_by(ObservatoryReport.year.desc())
    )
    return list(rows)


def totals_by_year(years: Iterable[int], scope: Scope = None) -> dict[int, Totals]:
    """Return the totals of each year that has reports (of the scope's members), in one query."""
    by_year: dict[int, list[dict[str, Any]]] = {}
    for report in reports_of_years(years, scope):
        by_year.setdefault(report.year, []).append(report.values())
    return {year: aggregate(rows) for year, rows in sorted(by_year.items())}


def active_in(year: int) -> Any:
    """Return the condition 'a member of the network at some point of this year'."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return and_(
        or_(Member.joined_on.is_(None), Member.joined_on <= last),
        or_(Member.left_on.is_(None), Member.left_on >= first),
        or_(Member.left_on.is_not(None), Member.status == MemberStatus.MEMBER.value),
    )


def members_of_year(year: int, scope: Scope = None) -> Sequence[Member]:
    """Return the members that belonged to the network during a year, by name."""
    query = select(Member).where(active_in(year), _in_scope(scope)).order_by(Member.name)
    return db.session.scalars(query).all()


def all_members() -> Sequence[Member]:
    """Return every member, by name (for the coordinator's choice of a report to open)."""
    return db.session.scalars(select(Member).order_by(Member.name)).all()


@dataclass(frozen=True)
class YearStatus:
    """The reports of a year and the members expected to report who have not."""

    year: int
    reports: Sequence[ObservatoryReport]
    missing: Sequence[Member]


def year_status(year: int, scope: Scope) -> YearStatus:
    """Return a year's reports and the members of that year who have not reported."""
    reports = reports_of_years([year], scope)
    reported = {r.member_id for r in reports}
    missing = [m for m in members_of_year(year, scope) if m.id not in reported]
    return YearStatus(year=year, reports=reports, missing=missing)


def projects_by_state(scope: Scope = None) -> dict[tuple[str, str], int]:
    """Count the projects in each (workflow, current state), of the scope's départements."""
    query = select(Project.workflow_name, Project.state, func.count(Project.id))
    if scope is not None:
        query = query.join(Commune, Commune.insee == Project.commune_insee).where(
            Commune.departement_code.in_(sorted(scope))
        )
    rows = db.session.execute(query.group_by(Project.workflow_name, Project.state))
    return {(workflow, state): count for workflow, state, count in rows}
