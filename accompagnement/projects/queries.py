"""Read queries behind the project pages and commands; visibility rules live here."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from accompagnement.auth.models import Role, User
from accompagnement.errors import NotFound
from accompagnement.extensions import db
from accompagnement.projects.models import (
    ChecklistTick,
    FormSubmission,
    Project,
    TransitionRecord,
    project_holders,
)


def visible_projects(user: User) -> Select[tuple[Project]]:
    """Return a select of the projects this user may see (holders: only their own)."""
    query = select(Project)
    if user.role == Role.HOLDER:
        query = query.join(project_holders).where(project_holders.c.user_id == user.id)
    elif user.role not in (Role.COORDINATOR, Role.PARTNER):
        query = query.where(Project.id.is_(None))
    return query


def get_visible_project(user: User, project_id: int) -> Project:
    """Load a project the user may see, or raise NotFound (never reveal other projects)."""
    project = db.session.scalars(
        visible_projects(user).where(Project.id == project_id)
    ).one_or_none()
    if project is None:
        raise NotFound("No such project")
    return project


def list_projects(workflow_name: str | None = None) -> Sequence[Project]:
    """Return every project with its holders and commune, in one round of queries."""
    query = (
        select(Project)
        .options(selectinload(Project.holders), selectinload(Project.commune))
        .order_by(Project.workflow_name, Project.name)
    )
    if workflow_name:
        query = query.where(Project.workflow_name == workflow_name)
    return db.session.scalars(query).all()


def form_history(project_id: int, stage: str) -> Sequence[FormSubmission]:
    """Return every saved revision of a stage form, newest first."""
    return db.session.scalars(
        select(FormSubmission)
        .where(FormSubmission.project_id == project_id, FormSubmission.stage == stage)
        .order_by(FormSubmission.revision.desc())
    ).all()


def latest_forms(project_id: int) -> dict[str, FormSubmission]:
    """Return the newest revision of each stage form of a project."""
    rows = db.session.scalars(
        select(FormSubmission)
        .where(FormSubmission.project_id == project_id)
        .order_by(FormSubmission.revision)
    )
    return {row.stage: row for row in rows}


def latest_submitted(project_id: int) -> dict[str, FormSubmission]:
    """Return the newest submitted revision of each stage form of a project."""
    rows = db.session.scalars(
        select(FormSubmission)
        .where(FormSubmission.project_id == project_id, FormSubmission.status == "submitted")
        .order_by(FormSubmission.revision)
    )
    return {row.stage: row for row in rows}


def checklist(project_id: int) -> dict[tuple[str, str], ChecklistTick]:
    """Return the checklist rows of a project keyed by (stage, item)."""
    rows = db.session.scalars(select(ChecklistTick).where(ChecklistTick.project_id == project_id))
    return {(row.stage, row.item): row for row in rows}


def history(project_id: int) -> Sequence[TransitionRecord]:
    """Return the transitions of a project, oldest first, with who fired them."""
    return db.session.scalars(
        select(TransitionRecord)
        .options(selectinload(TransitionRecord.user))
        .where(TransitionRecord.project_id == project_id)
        .order_by(TransitionRecord.id)
    ).all()
