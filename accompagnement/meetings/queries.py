"""The exchanges behind the pages, and the accompaniment time they add up to (SQL sums)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from accompagnement.auth.models import User
from accompagnement.db import utcnow
from accompagnement.engine import UnknownStage, UnknownWorkflow
from accompagnement.errors import NotFound
from accompagnement.extensions import db
from accompagnement.meetings.models import Exchange
from accompagnement.pagination import Page
from accompagnement.projects.models import Project, project_holders
from accompagnement.territory.models import Commune
from accompagnement.workflows.services import latest_workflow


def count_of_project(project_id: int) -> int:
    query = select(func.count()).select_from(Exchange).where(Exchange.project_id == project_id)
    return int(db.session.scalar(query) or 0)


def of_project(project_id: int, page: Page) -> Sequence[Exchange]:
    """One page of a project's exchanges, planned ones (ahead) first, then newest first."""
    query = (
        select(Exchange)
        .where(Exchange.project_id == project_id)
        .options(joinedload(Exchange.coordinator))
        .order_by(Exchange.at.desc(), Exchange.id.desc())
    )
    return db.session.scalars(query.offset(page.offset).limit(page.per_page)).all()


def get_of_project(project_id: int, exchange_id: int) -> Exchange:
    """Return an exchange of this project, or raise NotFound."""
    exchange = db.session.get(Exchange, exchange_id)
    if exchange is None or exchange.project_id != project_id:
        raise NotFound("No such exchange")
    return exchange


def minutes_by_stage(project_id: int, now: dt.datetime) -> list[tuple[str, int]]:
    """The time spent with a project in each stage (held exchanges only), in minutes."""
    rows = db.session.execute(
        select(Exchange.stage, func.sum(Exchange.minutes))
        .where(Exchange.project_id == project_id, Exchange.at <= now)
        .group_by(Exchange.stage)
        .order_by(func.min(Exchange.at))
    )
    return [(stage, int(minutes or 0)) for stage, minutes in rows]


def planned_for_holder(user: User, now: dt.datetime, limit: int = 5) -> Sequence[Exchange]:
    """The next exchanges planned with the holder's projects (soonest first, bounded)."""
    query = (
        select(Exchange)
        .join(project_holders, project_holders.c.project_id == Exchange.project_id)
        .where(project_holders.c.user_id == user.id, Exchange.at > now)
        .options(joinedload(Exchange.project))
        .order_by(Exchange.at, Exchange.id)
        .limit(limit)
    )
    return db.session.scalars(query).all()


def for_calendar(
    user_id: int, *, coordinator: bool, since: dt.datetime, limit: int
) -> Sequence[Exchange]:
    """The exchanges of a person's calendar: a holder's projects', or those a coordinator
    recorded, from `since` on, soonest first, bounded."""
    query = select(Exchange).where(Exchange.at >= since)
    if coordinator:
        query = query.where(Exchange.coordinator_id == user_id)
    else:
        query = query.join(
            project_holders, project_holders.c.project_id == Exchange.project_id
        ).where(project_holders.c.user_id == user_id)
    query = query.options(joinedload(Exchange.project)).order_by(Exchange.at, Exchange.id)
    return db.session.scalars(query.limit(limit)).all()


@dataclass(frozen=True)
class TimeSpent:
    """The coordination's time with projects over a period, in minutes."""

    total: int
    exchanges: int
    projects: int
    by_stage: list[tuple[str, str, int]]  # workflow, stage, minutes
    by_coordinator: list[tuple[str, int]]  # name ("" when the account is gone), minutes
    by_kind: list[tuple[str, int]]


def _held(since: dt.datetime, until: dt.datetime, departements: Sequence[str] | None) -> Select:
    query = (
        select(Exchange.id)
        .join(Project, Project.id == Exchange.project_id)
        .where(Exchange.at >= since, Exchange.at < until)
    )
    if departements is not None:
        query = query.join(Commune, Commune.insee == Project.commune_insee).where(
            Commune.departement_code.in_(list(departements))
        )
    return query


def time_spent(
    start: dt.date, end: dt.date, *, departements: Sequence[str] | None = None
) -> TimeSpent:
    """Sum the time of the exchanges held between two local days (inclusive), in 4 queries."""
    since = to_utc(dt.datetime.combine(start, dt.time.min))
    until = min(to_utc(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)), utcnow())
    ids = _held(since, until, departements).subquery()
    chosen = Exchange.id.in_(select(ids.c.id))
    total, count, projects = db.session.execute(
        select(
            func.coalesce(func.sum(Exchange.minutes), 0),
            func.count(Exchange.id),
            func.count(func.distinct(Exchange.project_id)),
        ).where(chosen)
    ).one()
    by_stage = db.session.execute(
        select(Project.workflow_name, Exchange.stage, func.sum(Exchange.minutes))
        .join(Project, Project.id == Exchange.project_id)
        .where(chosen)
        .group_by(Project.workflow_name, Exchange.stage)
        .order_by(func.sum(Exchange.minutes).desc())
    ).all()
    by_coordinator = db.session.execute(
        select(func.coalesce(User.name, ""), func.sum(Exchange.minutes))
        .select_from(Exchange)
        .outerjoin(User, User.id == Exchange.coordinator_id)
        .where(chosen)
        .group_by(User.name)
        .order_by(func.sum(Exchange.minutes).desc())
    ).all()
    by_kind = db.session.execute(
        select(Exchange.kind, func.sum(Exchange.minutes))
        .where(chosen)
        .group_by(Exchange.kind)
        .order_by(Exchange.kind)
    ).all()
    return TimeSpent(
        total=int(total),
        exchanges=int(count),
        projects=int(projects),
        by_stage=[(w, s, int(m)) for w, s, m in by_stage],
        by_coordinator=[(n, int(m)) for n, m in by_coordinator],
        by_kind=[(k, int(m)) for k, m in by_kind],
    )


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_now() -> dt.datetime:
    """Now in the network's local time (naive): what a person reads on a clock there."""
    return dt.datetime.now(_zone()).replace(tzinfo=None)


def to_utc(local: dt.datetime) -> dt.datetime:
    """A local time as typed (naive) to the stored form: naive UTC, like every moment stored."""
    return local.replace(tzinfo=_zone()).astimezone(dt.UTC).replace(tzinfo=None)


def to_local(moment: dt.datetime) -> dt.datetime:
    """A stored moment (naive UTC) to the network's local time (naive), for a form."""
    return moment.replace(tzinfo=dt.UTC).astimezone(_zone()).replace(tzinfo=None)


def stage_name(workflow_name: str, stage: str, lang: str) -> str:
    """A stage's label in a language; its key when the pathway no longer has it."""
    try:
        return str(latest_workflow(workflow_name).stage(stage).label.get(lang))
    except (UnknownStage, UnknownWorkflow):
        return stage
