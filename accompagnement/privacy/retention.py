"""The retention purge: what is kept RETENTION_YEARS after the relationship ended, and no longer.

1. Accounts whose relationship with the network ended more than N years ago are anonymised: a
   holder, or any deactivated account, last seen (last sign-in, else creation) before the cutoff
   and holding no project that is still running or that changed since the cutoff. A project is
   running while its state is a `stage` of its workflow (not a hold such as paused or abandoned,
   not a final state such as opened).
2. Log rows older than N years are deleted (tables with a `purge_column` in the registry): audit
   events, except `privacy.*` events (the proof that requests were handled, without personal
   data), and reminder logs. Transition records are never deleted.
Running it twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, or_, select

from accompagnement.access import Role
from accompagnement.audit.guard import purging
from accompagnement.audit.services import record
from accompagnement.auth.models import NetworkMembership, User
from accompagnement.db import utcnow
from accompagnement.door.services import purge_unconfirmed
from accompagnement.engine import UnknownStage, UnknownWorkflow
from accompagnement.extensions import db
from accompagnement.privacy.personal_data import REGISTRY
from accompagnement.privacy.services import anonymise_user
from accompagnement.projects.models import Project, project_holders
from accompagnement.workflows.services import get_workflow

KEPT_ACTIONS = "privacy.%"


@dataclass
class PurgeReport:
    """What a purge did, or would do in a dry run."""

    cutoff: datetime
    dry_run: bool
    anonymised: list[int] = field(default_factory=list)
    deleted: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Return whether the purge changed (or would change) anything."""
        return bool(self.anonymised) or any(self.deleted.values())


def cutoff_for(years: int, now: datetime | None = None) -> datetime:
    """Return the moment N years before now (365.25 days a year)."""
    if years < 1:
        raise ValueError("The retention period is at least one year")
    return (now or utcnow()) - timedelta(days=round(365.25 * years))


def purge(*, years: int, dry_run: bool = False, now: datetime | None = None) -> PurgeReport:
    """Anonymise the accounts past retention and delete old log rows (or only count them)."""
    report = PurgeReport(cutoff=cutoff_for(years, now), dry_run=dry_run)
    report.anonymised = expired_accounts(report.cutoff)
    if not dry_run:
        for user_id in report.anonymised:
            anonymise_user(user_id, reason="retention")
    for name, policy in REGISTRY.items():
        if policy.purge_column:
            report.deleted[name] = _purge_table(name, policy.purge_column, report.cutoff, dry_run)
    report.deleted["project_requests (unconfirmed)"] = purge_unconfirmed(now, dry_run=dry_run)
    if report.changed and not dry_run:
        record(
            "privacy.purged",
            user_id=None,
            years=years,
            anonymised=len(report.anonymised),
            deleted=report.deleted,
        )
        db.session.flush()
    return report


def expired_accounts(cutoff: datetime) -> list[int]:
    """Return the ids of the accounts whose data is past retention."""
    last_seen = func.coalesce(User.last_login_at, User.created_at)
    candidates = db.session.scalars(
        select(User.id).where(
            User.anonymised_at.is_(None),
            last_seen < cutoff,
            or_(only_a_holder(), User.active.is_(False)),
        )
    ).all()
    if not candidates:
        return []
    running = _users_with_live_projects(list(candidates), cutoff)
    return sorted(uid for uid in candidates if uid not in running)


def only_a_holder() -> Any:
    """Holders in every network they belong to (a coordinator elsewhere is kept)."""
    other_roles = select(NetworkMembership.user_id).where(
        NetworkMembership.role != Role.HOLDER.value
    )
    return User.instance_role.is_(None) & User.id.not_in(other_roles)


def _users_with_live_projects(user_ids: list[int], cutoff: datetime) -> set[int]:
    rows = db.session.execute(
        select(project_holders.c.user_id, Project)
        .join(Project, Project.id == project_holders.c.project_id)
        .where(project_holders.c.user_id.in_(user_ids))
    ).all()
    return {uid for uid, project in rows if _live(project, cutoff)}


def _live(project: Project, cutoff: datetime) -> bool:
    """Return whether a project still runs, or changed since the cutoff."""
    if project.state_changed_at >= cutoff:
        return True
    try:
        workflow = get_workflow(project.workflow_name, project.workflow_version)
        kind = workflow.stage(project.state).kind
    except (UnknownWorkflow, UnknownStage):
        return True  # unsure: keep the data
    return kind == "stage"


def _purge_table(name: str, column: str, cutoff: datetime, dry_run: bool) -> int:
    table = db.metadata.tables[name]
    condition = table.c[column] < cutoff
    if "action" in table.c:
        condition = condition & ~table.c.action.like(KEPT_ACTIONS)
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(table).where(condition)) or 0
    with purging():
        result = cast(CursorResult[Any], db.session.execute(delete(table).where(condition)))
    return result.rowcount or 0
