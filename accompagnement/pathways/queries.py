"""Read queries of the pathway editor."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accompagnement.extensions import db
from accompagnement.pagination import Page, clamp
from accompagnement.pathways.models import WorkflowDraft


def drafts_page(number: int) -> tuple[Page, list[WorkflowDraft]]:
    """Return a page of drafts, the most recently changed first, with their last author."""
    page = clamp(number, db.session.scalar(select(func.count(WorkflowDraft.id))) or 0)
    query = (
        select(WorkflowDraft)
        .options(selectinload(WorkflowDraft.author))
        .order_by(WorkflowDraft.updated_at.desc(), WorkflowDraft.id.desc())
        .offset(page.offset)
        .limit(page.per_page)
    )
    return page, list(db.session.scalars(query))
