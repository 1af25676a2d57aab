"""What each role's home page lists: what needs them now, in bounded lists (constant queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import current_app
from sqlalchemy import func, select

from accompagnement import engine
from accompagnement.activities.models import Activity, ActivityStatus
from accompagnement.auth.models import User
from accompagnement.db import utcnow
from accompagnement.door import queries as door_queries
from accompagnement.extensions import db
from accompagnement.i18n import current_language
from accompagnement.members.models import Member
from accompagnement.messages import describe_refusal
from accompagnement.observatory.indicators import KEYS
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.observatory.queries import active_in
from accompagnement.partners import queries as partner_queries
from accompagnement.projects import queries as project_queries
from accompagnement.projects import services, timeline
from accompagnement.projects.models import (
    FormStatus,
    FormSubmission,
    Project,
)
from accompagnement.reminders import queries as reminders
from accompagnement.reminders.queries import OverdueProject, StaleProject
from accompagnement.tasks import display as task_display
from accompagnement.tasks import queries as task_queries
from accompagnement.tasks.display import TaskRow

LIMIT = 5
T = TypeVar("T")


@dataclass(frozen=True)
class Bounded(Generic[T]):
    """The first rows of a list and how many there are in all (for a "see all" link)."""

    items: list[T]
    total: int

    @property
    def more(self) -> bool:
        """Say whether some rows are left out."""
        return self.total > len(self.items)


@dataclass(frozen=True)
class ToReview:
    """A project whose current stage form was submitted: the coordinator's review is awaited."""

    project_id: int
    name: str
    stage: str
    stage_label: Any
    submitted_at: dt.datetime


def forms_to_review(limit: int | None = LIMIT) -> Bounded[ToReview]:
    """Return the projects whose current stage form is submitted, the oldest submission first."""
    newest = (
        select(
            FormSubmission.project_id,
            FormSubmission.stage,
            func.max(FormSubmission.revision).label("revision"),
        )
        .group_by(FormSubmission.project_id, FormSubmission.stage)
        .subquery()
    )
    query = (
        select(Project, FormSubmission.created_at, func.count().over())
        .join(newest, (newest.c.project_id == Project.id) & (newest.c.stage == Project.state))
        .join(
            FormSubmission,
            (FormSubmission.project_id == newest.c.project_id)
            & (FormSubmission.stage == newest.c.stage)
            & (FormSubmission.revision == newest.c.revision),
        )
        .where(FormSubmission.status == FormStatus.SUBMITTED.value)
        .order_by(FormSubmission.created_at, Project.id)
    )
    rows = db.session.execute(query.limit(limit) if limit is not None else query).all()
    found = [ToReview(p.id, p.name, p.state, _stage_label(p, p.state), at) for p, at, _ in rows]
    return Bounded(found, rows[0][2] if rows else 0)


def _stage_label(project: Project, key: str) -> Any:
    try:
        return timeline.stage_label(services.workflow_of(project), key)
    except engine.UnknownWorkflow:
        return key


def upcoming_activities(today: dt.date, limit: int = LIMIT) -> Bounded[Activity]:
    """Return the planned activities from today on, the soonest first."""
    query = select(Activity).where(
        Activity.status == ActivityStatus.PLANNED.value, Activity.date >= today
    )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(query.order_by(Activity.date, Activity.id).limit(limit)).all()
    return Bounded(list(items), total)


def missing_reports(year: int, limit: int = LIMIT) -> Bounded[Member]:
    """Return the members of a year that have no observatory report for it, by name."""
    reported = select(ObservatoryReport.member_id).where(ObservatoryReport.year == year)
    query = select(Member).where(active_in(year), Member.id.not_in(reported))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(query.order_by(Member.name, Member.id).limit(limit)).all()
    return Bounded(list(items), total)


def overdue_projects(now: dt.datetime, limit: int = LIMIT) -> Bounded[OverdueProject]:
    """Return the projects longest over their stage's usual duration, and how many are late."""
    return Bounded(reminders.overdue_projects(now, limit=limit), reminders.count_overdue(now))


def stale_projects(days: int, now: dt.datetime, limit: int = LIMIT) -> Bounded[StaleProject]:
    """Return the running projects untouched for the longest, and how many are untouched."""
    return Bounded(
        reminders.stale_projects(days, now, limit=limit), reminders.count_stale(days, now)
    )


def overdue_tasks(user: User, today: dt.date, limit: int = LIMIT) -> Bounded[TaskRow]:
    """Return the person's most overdue tasks (for a coordinator: theirs and the coordination's)."""
    items, total = task_queries.overdue_for(user, today, limit)
    return Bounded(task_display.rows(items, today, current_language()), total)


@dataclass(frozen=True)
class CoordinatorHome:
    to_review: Bounded[ToReview]
    overdue: Bounded[Any]
    stale: Bounded[Any]
    activities: Bounded[Activity]
    report_year: int
    missing_reports: Bounded[Member]
    tasks: Bounded[TaskRow]
    requests_waiting: int = 0  # confirmed requests from the public door, not yet decided


def coordinator_home(user: User, today: dt.date) -> CoordinatorHome:
    """Gather what needs the coordinator now."""
    year = today.year - 1
    return CoordinatorHome(
        tasks=overdue_tasks(user, today),
        to_review=forms_to_review(),
        overdue=overdue_projects(utcnow()),
        stale=stale_projects(current_app.config["STALE_PROJECT_DAYS"], utcnow()),
        activities=upcoming_activities(today),
        report_year=year,
        missing_reports=missing_reports(year),
        requests_waiting=door_queries.pending_count(),
    )


@dataclass(frozen=True)
class HolderProject:
    """A holder's project: where it stands, what is missing, the form to fill in next."""

    project: Project
    stage_label: Any
    on_hold: Any
    missing: list[str]
    form_stage: str | None


def holder_projects(user: User) -> list[HolderProject]:
    """Return the holder's projects with what keeps each from moving on (constant queries)."""
    projects = project_queries.projects_for_list(user)
    facts = services.facts_of_many(projects)
    locale = current_language()
    found = []
    for project in projects:
        workflow = services.workflow_of(project)
        current = workflow.stage(timeline.current_stage_key(project))
        hold = workflow.stage(project.state) if project.state != current.key else None
        missing = workflow.missing(facts[project.id], user.role)
        form = current.key if current.form is not None and hold is None else None
        found.append(
            HolderProject(
                project=project,
                stage_label=current.label,
                on_hold=hold.label if hold else None,
                missing=[describe_refusal(r, workflow, locale) for r in missing],
                form_stage=form,
            )
        )
    return found


@dataclass(frozen=True)
class PartnerHome:
    dashboard: partner_queries.Dashboard
    projects: Bounded[partner_queries.ProjectRow]


def partner_home(user: User) -> PartnerHome:
    """Return the pipeline summary within the partner's départements (their scope only)."""
    summary = partner_queries.dashboard(user, per_page=2 * LIMIT, figures=False)
    return PartnerHome(summary, Bounded(summary.projects, summary.total))


@dataclass(frozen=True)
class MemberHome:
    member: Member | None
    year: int
    report: ObservatoryReport | None
    filled: int
    expected: int


def member_home(user: User, today: dt.date) -> MemberHome:
    """Return the state of the member's observatory report for last year."""
    year = today.year - 1
    member = db.session.get(Member, user.member_id) if user.member_id else None
    report = None
    if member is not None:
        report = db.session.scalars(
            select(ObservatoryReport).where(
                ObservatoryReport.member_id == member.id, ObservatoryReport.year == year
            )
        ).one_or_none()
    filled = sum(v is not None for v in report.values().values()) if report else 0
    return MemberHome(member, year, report, filled, len(KEYS))
