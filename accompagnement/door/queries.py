"""The requests coordinators see: confirmed ones, newest first, by status."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from accompagnement.door.models import PENDING, UNCONFIRMED, ProjectRequest
from accompagnement.extensions import db
from accompagnement.pagination import Page


def count(status: str | None) -> int:
    """How many confirmed requests have this status (all confirmed ones when None)."""
    query = select(func.count()).select_from(ProjectRequest)
    if status:
        query = query.where(ProjectRequest.status == status)
    else:
        query = query.where(ProjectRequest.status != UNCONFIRMED)
    return int(db.session.scalar(query) or 0)


def pending_count() -> int:
    return count(PENDING)


def requests(status: str | None, page: Page) -> Sequence[ProjectRequest]:
    """One page of confirmed requests with this status (all when None), newest first."""
    query = select(ProjectRequest)
    if status:
        query = query.where(ProjectRequest.status == status)
    else:
        query = query.where(ProjectRequest.status != UNCONFIRMED)
    query = query.order_by(ProjectRequest.created_at.desc(), ProjectRequest.id.desc())
    return db.session.scalars(query.offset(page.offset).limit(page.per_page)).all()
