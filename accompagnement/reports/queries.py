"""Read queries behind the steering committee report (each one query, whatever the data size)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, func, select

from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory.stats import OPENED_STATE
from accompagnement.projects.models import Project, TransitionRecord

NETWORK_TZ = ZoneInfo("Europe/Paris")


def start_of_day(day: date) -> datetime:
    """Return the naive UTC instant at which a day starts in the network's time zone."""
    local = datetime.combine(day, time.min, tzinfo=NETWORK_TZ)
    return local.astimezone(UTC).replace(tzinfo=None)


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Return [since, until) in naive UTC covering the local days start..end inclusive."""
    return start_of_day(start), start_of_day(end + timedelta(days=1))


def new_members(start: date, end: date) -> int:
    """Count the members that joined the network during the period."""
    return (
        db.session.scalar(
            select(func.count(Member.id)).where(Member.joined_on >= start, Member.joined_on <= end)
        )
        or 0
    )


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


def movements(since: datetime, until: datetime) -> tuple[int, int]:
    """Return (transitions, projects opened) during [since, until); creations are not moves."""
    in_period = (
        TransitionRecord.at >= since,
        TransitionRecord.at < until,
        TransitionRecord.from_state.is_not(None),
    )
    transitions = db.session.scalar(select(func.count(TransitionRecord.id)).where(*in_period))
    opened = db.session.scalar(
        select(func.count(distinct(TransitionRecord.project_id))).where(
            *in_period, TransitionRecord.to_state == OPENED_STATE
        )
    )
    return transitions or 0, opened or 0
