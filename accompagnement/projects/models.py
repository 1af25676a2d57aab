"""Projects accompanied through a workflow, and everything recorded along the way."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.db import created_at, in_values, intpk, json_dict, str40, utcnow
from accompagnement.extensions import Model, db
from accompagnement.tenancy import NetworkOwned

if TYPE_CHECKING:
    from accompagnement.auth.models import User
    from accompagnement.territory.models import Commune

project_holders = Table(
    "project_holders",
    db.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Project(NetworkOwned, Model):
    """A project holder's project, running on one version of a workflow."""

    __tablename__ = "projects"
    __table_args__ = (
        Index("ix_projects_workflow_state", "workflow_name", "state"),
        # The list indexes lead with network_id: every query of a network carries it (tenancy).
        # Board and lists: counts per stage and "late" (a date per stage) read from the index.
        Index(
            "ix_projects_stage_since",
            "network_id",
            "workflow_name",
            "state",
            "workflow_version",
            "state_changed_at",
        ),
        # Board: each stage's oldest projects in index order, cut at the column's cards.
        Index(
            "ix_projects_board", "network_id", "workflow_name", "state", "state_changed_at", "id"
        ),
        # Partner dashboard: counts per stage and département read from the index alone.
        Index(
            "ix_projects_counts",
            "network_id",
            "workflow_name",
            "state",
            "workflow_version",
            "commune_insee",
        ),
    )

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    workflow_name: Mapped[str] = mapped_column(String(80))
    workflow_version: Mapped[int]
    state: Mapped[str] = mapped_column(String(40), index=True)
    return_state: Mapped[str | None] = mapped_column(String(40))
    state_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    commune_insee: Mapped[str | None] = mapped_column(ForeignKey("communes.insee"), index=True)
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic lock: every UPDATE checks the version it read (a guarded UPDATE), so two
    # concurrent transitions cannot both succeed, on SQLite and PostgreSQL alike.
    lock_version: Mapped[int] = mapped_column(default=1)

    holders: Mapped[list[User]] = relationship(secondary=project_holders)
    commune: Mapped[Commune | None] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.state}>"


class FormStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class FormSubmission(NetworkOwned, Model):
    """One saved version of a stage form: every save is a new revision, never an overwrite."""

    __tablename__ = "form_submissions"
    __table_args__ = (
        UniqueConstraint("project_id", "stage", "revision", name="uq_form_revision"),
        CheckConstraint(in_values("status", [s.value for s in FormStatus]), name="status"),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    stage: Mapped[str40]
    revision: Mapped[int]
    status: Mapped[str] = mapped_column(String(10))
    data: Mapped[json_dict]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    author: Mapped[User | None] = relationship()


class ProjectVisit(NetworkOwned, Model):
    """One visit of a ressourcerie in a project's newest submitted visits form (visitrows.py)."""

    __tablename__ = "project_visits"
    __table_args__ = (
        # The log (a page of visits in its order: ORDER BY ... LIMIT) and the report (the
        # visits of a period, by ressourcerie), both read from the index alone.
        Index(
            "ix_project_visits_day_project",
            "network_id",
            "day",
            "project_id",
            "position",
            "member_id",
        ),
        Index("ix_project_visits_member_day", "member_id", "day"),
    )

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("form_submissions.id", ondelete="CASCADE")
    )
    position: Mapped[int]  # the item's place in the form's list, from 0
    day: Mapped[date]
    # None when the item names no existing member (the member's deletion clears it too).
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))


class ProjectFunding(NetworkOwned, Model):
    """One line of the funding plan of a project's newest submitted study form (fundingrows.py)."""

    __tablename__ = "project_funding_lines"
    __table_args__ = (
        # The report: the funding obtained in a period, by funder and kind, read from the index.
        Index("ix_project_funding_lines_day", "day", "status"),
    )

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("form_submissions.id", ondelete="CASCADE")
    )
    position: Mapped[int]  # the line's place in the form's list, from 0
    funder: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(40))  # None on lines written without one
    status: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    requested_on: Mapped[date | None]
    decided_on: Mapped[date | None]
    # The decision's day, else the day the form was submitted: where the line falls in a period.
    day: Mapped[date]


class ChecklistTick(NetworkOwned, Model):
    """The current state of one checklist item of a project's stage (history in the audit)."""

    __tablename__ = "checklist_ticks"
    __table_args__ = (UniqueConstraint("project_id", "stage", "item", name="uq_checklist_item"),)

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    stage: Mapped[str40]
    item: Mapped[str] = mapped_column(String(60))
    done: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str | None] = mapped_column(String(500))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()


class TransitionRecord(NetworkOwned, Model):
    """The audit row of one transition: append-only, and it replays to the current state."""

    __tablename__ = "transition_records"
    __table_args__ = (
        Index("ix_transition_records_project_at", "project_id", "id"),
        # Funnel and time per stage walk each project's steps in order: covered by this index.
        Index("ix_transition_records_steps", "project_id", "id", "to_state", "at"),
    )

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    workflow_version: Mapped[int]
    trigger: Mapped[str40]
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str40]
    return_state: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Where the move comes from: None when fired in the app, "import" when brought in from a
    # network's history file (then `at` is the past date and `user_id` the importing coordinator).
    source: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User | None] = relationship()


class StageEntry(NetworkOwned, Model):
    """The days one project spent in one state, kept up to date with its transitions.

    One row per (project, state) the project ever entered: `days` adds up its finished stays
    and `since` starts the stay under way (None once it left). The partner dashboard counts
    and ranks these rows instead of walking every transition (`stageentries.py`).
    """

    __tablename__ = "stage_entries"
    __table_args__ = (
        # Counts per stage, and medians read in order: finished stays by days (since IS NULL),
        # stays under way by their start.
        Index("ix_stage_entries_ranked", "network_id", "workflow_name", "stage", "since", "days"),
    )

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    stage: Mapped[str] = mapped_column(String(40), primary_key=True)
    workflow_name: Mapped[str] = mapped_column(String(80))  # the project's (it never changes)
    entered_at: Mapped[datetime]  # the first time the project entered the state
    days: Mapped[float] = mapped_column(Float)
    since: Mapped[datetime | None]


class Comment(NetworkOwned, Model):
    """A comment on a project, visible to its holders and the coordinators."""

    __tablename__ = "comments"

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[created_at]

    author: Mapped[User | None] = relationship()


class Document(NetworkOwned, Model):
    """An uploaded file of a project, stored under a generated name outside static/."""

    __tablename__ = "documents"

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    stage: Mapped[str | None] = mapped_column(String(40))
    original_name: Mapped[str] = mapped_column(String(255))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[created_at]

    uploaded_by: Mapped[User | None] = relationship()
