"""Read queries behind the steering committee report (each one query, whatever the data size).

Every query takes `departements`: None for the whole network, else the codes whose projects
(by their commune), members and members' figures it counts; nothing of another département
is read. A project without a commune, an activity without a member belong to no département.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import aliased

from accompagnement.activities.models import Activity, ActivityStatus
from accompagnement.activities.queries import involving
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.observatory.stats import OPENED_STATE
from accompagnement.projects.models import FormSubmission, Project, TransitionRecord
from accompagnement.territory.models import Commune, Departement

Departements = Collection[str] | None
OPENING_FORM = ("ouverture", "fte_at_opening")  # the stage form and field of the jobs at opening

NETWORK_TZ = ZoneInfo("Europe/Paris")


def start_of_day(day: date) -> datetime:
    """Return the naive UTC instant at which a day starts in the network's time zone."""
    local = datetime.combine(day, time.min, tzinfo=NETWORK_TZ)
    return local.astimezone(UTC).replace(tzinfo=None)


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Return [since, until) in naive UTC covering the local days start..end inclusive."""
    return start_of_day(start), start_of_day(end + timedelta(days=1))


def _members_of(departements: Departements) -> list[Any]:
    if departements is None:
        return []
    return [Member.departement_code.in_(sorted(departements))]


def _projects_of(departements: Departements, project_id: Any) -> list[Any]:
    """Return the condition 'the project's commune is in these départements' (none: [])."""
    if departements is None:
        return []
    in_scope = (
        select(Project.id)
        .join(Commune, Commune.insee == Project.commune_insee)
        .where(Commune.departement_code.in_(sorted(departements)))
    )
    return [project_id.in_(in_scope)]


def new_members(start: date, end: date, departements: Departements = None) -> int:
    """Count the members that joined the network during the period."""
    return (
        db.session.scalar(
            select(func.count(Member.id)).where(
                Member.joined_on >= start, Member.joined_on <= end, *_members_of(departements)
            )
        )
        or 0
    )


def departement_names(codes: Collection[str]) -> dict[str, str]:
    """Return the names of the given départements, by code."""
    if not codes:
        return {}
    rows = db.session.execute(
        select(Departement.code, Departement.name).where(Departement.code.in_(sorted(codes)))
    )
    return {code: name for code, name in rows}


def states_at(until: datetime) -> dict[tuple[str, str], int]:
    """Count projects per (workflow, state) as the transition records left them before `until`.

    The records are append-only and each starts where the previous one ended, so a project's
    state at a moment is the destination of its last record before that moment; projects
    created later do not count.
    """
    last = (
        select(func.max(TransitionRecord.id).label("id"))
        .where(TransitionRecord.at < until)
        .group_by(TransitionRecord.project_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Project.workflow_name, TransitionRecord.to_state, func.count())
        .select_from(TransitionRecord)
        .join(last, last.c.id == TransitionRecord.id)
        .join(Project, Project.id == TransitionRecord.project_id)
        .group_by(Project.workflow_name, TransitionRecord.to_state)
    )
    return {(workflow, state): count for workflow, state, count in rows}


def movements(
    since: datetime, until: datetime, departements: Departements = None
) -> tuple[int, int]:
    """Return (transitions, projects opened) during [since, until); creations are not moves."""
    in_period = (
        TransitionRecord.at >= since,
        TransitionRecord.at < until,
        TransitionRecord.from_state.is_not(None),
        *_projects_of(departements, TransitionRecord.project_id),
    )
    transitions = db.session.scalar(select(func.count(TransitionRecord.id)).where(*in_period))
    opened = db.session.scalar(
        select(func.count(distinct(TransitionRecord.project_id))).where(
            *in_period, TransitionRecord.to_state == OPENED_STATE
        )
    )
    return transitions or 0, opened or 0


@dataclass(frozen=True)
class ProjectGroup:
    """Projects alike for the report: workflow, state when the period began (None: not created
    yet) and ended, département of their commune, and whether they moved during the period."""

    workflow: str
    at_start: str | None
    at_end: str
    departement: str | None
    moved: bool
    count: int


def project_groups(
    since: datetime, until: datetime, departements: Departements = None
) -> list[ProjectGroup]:
    """Count the projects created before `until`, grouped as ProjectGroup says, in one query.

    A project's state at a moment is the destination of its last transition record before it
    (the records are append-only and chained); a creation during the period is a move.
    """
    record = TransitionRecord
    per_project = (
        select(
            record.project_id.label("project_id"),
            func.max(case((record.at < since, record.id))).label("start_id"),
            func.max(record.id).label("end_id"),
            func.count(case((record.at >= since, record.id))).label("moves"),
        )
        .where(record.at < until, *_projects_of(departements, record.project_id))
        .group_by(record.project_id)
        .subquery()
    )
    start, end = aliased(TransitionRecord), aliased(TransitionRecord)
    moved = case((per_project.c.moves > 0, 1), else_=0)
    rows = db.session.execute(
        select(Project.workflow_name, start.to_state, end.to_state, Commune.departement_code,
               moved, func.count())
        .select_from(per_project)
        .join(end, end.id == per_project.c.end_id)
        .outerjoin(start, start.id == per_project.c.start_id)
        .join(Project, Project.id == per_project.c.project_id)
        .outerjoin(Commune, Commune.insee == Project.commune_insee)
        .group_by(Project.workflow_name, start.to_state, end.to_state,
                  Commune.departement_code, moved)
    )  # fmt: skip
    return [
        ProjectGroup(workflow, at_start, at_end, code, bool(has_moved), count)
        for workflow, at_start, at_end, code, has_moved, count in rows
    ]


@dataclass(frozen=True)
class Opening:
    """A project that opened during the period, and the member it became (if recorded)."""

    project_id: int
    project: str
    departement: str | None
    opened_at: datetime
    member_id: int | None
    member: str | None


def openings(since: datetime, until: datetime, departements: Departements = None) -> list[Opening]:
    """Return the projects that reached the opened state in [since, until), by date."""
    opened_at = func.min(TransitionRecord.at).label("opened_at")
    rows = db.session.execute(
        select(Project.id, Project.name, Commune.departement_code, opened_at, Member.id,
               Member.name)
        .select_from(TransitionRecord)
        .join(Project, Project.id == TransitionRecord.project_id)
        .outerjoin(Commune, Commune.insee == Project.commune_insee)
        .outerjoin(Member, Member.project_id == Project.id)
        .where(TransitionRecord.at >= since, TransitionRecord.at < until,
               TransitionRecord.to_state == OPENED_STATE,
               *_projects_of(departements, TransitionRecord.project_id))
        .group_by(Project.id, Project.name, Commune.departement_code, Member.id, Member.name)
        .order_by(opened_at, Project.id)
    )  # fmt: skip
    return [Opening(*row) for row in rows]


def opening_jobs(project_ids: Sequence[int]) -> dict[int, Any]:
    """Return the jobs at opening (FTE) of the newest submitted opening form of each project."""
    if not project_ids:
        return {}
    stage, key = OPENING_FORM
    rows = db.session.execute(
        select(FormSubmission.project_id, FormSubmission.data)
        .where(FormSubmission.project_id.in_(list(project_ids)), FormSubmission.stage == stage,
               FormSubmission.status == "submitted")
        .order_by(FormSubmission.revision)
    )  # fmt: skip
    return {project_id: (data or {}).get(key) for project_id, data in rows}


def member_reports(member_ids: Sequence[int]) -> Sequence[ObservatoryReport]:
    """Return every observatory report of the given members, by year."""
    if not member_ids:
        return []
    return db.session.scalars(
        select(ObservatoryReport)
        .where(ObservatoryReport.member_id.in_(list(member_ids)))
        .order_by(ObservatoryReport.year)
    ).all()


def activities_by_year(
    start: date, end: date, departements: Departements = None
) -> dict[tuple[int, str], int]:
    """Count the done activities of each (year, type) of the period, visits apart.

    Visits of ressourceries are counted by `activities.visits.visits_by_year` (a visit is a
    ressourcerie visited, from the log or a project's form).
    """
    year = func.extract("year", Activity.date)
    rows = db.session.execute(
        select(year, Activity.type, func.count(Activity.id))
        .where(Activity.status == ActivityStatus.DONE.value, Activity.date >= start,
               Activity.date <= end, *involving(departements))
        .group_by(year, Activity.type)
    )  # fmt: skip
    return {(int(y), type_): count for y, type_, count in rows}
