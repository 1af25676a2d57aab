"""Tasks of a project (typed in or created by a stage's template), and personal feed keys."""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.db import created_at, in_values, intpk, utcnow
from accompagnement.extensions import Model
from accompagnement.tenancy import NetworkOwned

if TYPE_CHECKING:
    from accompagnement.auth.models import User
    from accompagnement.projects.models import Project

TITLE_MAX = 200
NOTES_MAX = 5000


class Assignee(StrEnum):
    """Who a task is for: one person, the project's holders together, or the coordination."""

    PERSON = "person"
    HOLDERS = "holders"
    COORDINATION = "coordination"


ASSIGNEE_LABELS = {
    Assignee.HOLDERS: _l("The project holders"),
    Assignee.COORDINATION: _l("The coordination"),
}
# A workflow's task template names a role; the task goes to these assignees.
TEMPLATE_ASSIGNEES = {"holders": Assignee.HOLDERS, "coordinator": Assignee.COORDINATION}


class Task(NetworkOwned, Model):
    """Something to do on a project by a due date; `template` names the stage template."""

    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint(in_values("assignee", [a.value for a in Assignee]), name="assignee"),
        CheckConstraint("assignee_id IS NULL OR assignee = 'person'", name="assignee_person"),
        CheckConstraint("template IS NULL OR stage IS NOT NULL", name="template_has_stage"),
        # A stage's template creates its task once per project, whatever the re-entries.
        UniqueConstraint("project_id", "stage", "template", name="uq_tasks_template"),
        # Board cards and project pages: a project's open tasks by due date.
        Index("ix_tasks_project_open", "project_id", "done_at", "due_on"),
        # "My tasks" and the homes: a person's open tasks by due date.
        Index("ix_tasks_assignee_open", "assignee_id", "done_at", "due_on"),
        Index("ix_tasks_open_due", "done_at", "due_on"),
    )

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    stage: Mapped[str | None] = mapped_column(String(40))
    template: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    notes: Mapped[str | None] = mapped_column(Text)
    assignee: Mapped[str] = mapped_column(String(12))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[dt.date | None]
    done_at: Mapped[dt.datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic lock: an edit carries the version it was made on; a guarded UPDATE refuses
    # the second of two concurrent writes instead of losing the first.
    lock_version: Mapped[int] = mapped_column(default=1)

    project: Mapped[Project] = relationship()
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def overdue(self, today: dt.date) -> bool:
        """Say whether the task is still open after its due date."""
        return self.done_at is None and self.due_on is not None and self.due_on < today

    def __repr__(self) -> str:
        return f"<Task {self.id} project={self.project_id}>"


def new_feed_secret() -> str:
    """Return a fresh random secret from which a feed address is derived."""
    return secrets.token_urlsafe(32)


class PersonalFeedKey(NetworkOwned, Model):
    """The secret behind a person's calendar feed address (the address itself is not stored)."""

    __tablename__ = "personal_feed_keys"
    __table_args__ = (
        UniqueConstraint("network_id", "user_id", name="uq_personal_feed_keys_user_id"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    secret: Mapped[str] = mapped_column(String(64), default=new_feed_secret)
    created_at: Mapped[created_at]
