"""Use cases on the holders of a project: add, invite, remove (coordinators only)."""

from __future__ import annotations

from accompagnement.access import Role
from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.errors import Forbidden, NotFound
from accompagnement.extensions import db
from accompagnement.projects import queries
from accompagnement.projects.models import Project
from accompagnement.projects.services import _holders, _user


def _coordinator(user_id: int) -> User:
    user = _user(user_id)
    if user.role != Role.COORDINATOR:
        raise Forbidden("Only a coordinator can change the holders of a project")
    return user


def add_holder(project_id: int, holder_id: int, *, user_id: int) -> Project:
    """Make an existing holder account a holder of the project (coordinators only)."""
    user = _coordinator(user_id)
    project = queries.get_visible_project(user, project_id)
    (holder,) = _holders([holder_id])
    if holder not in project.holders:
        project.holders.append(holder)
        record("project.holder_added", user_id=user.id, project_id=project.id, holder=holder.id)
    db.session.flush()
    return project


def remove_holder(project_id: int, holder_id: int, *, user_id: int) -> Project:
    """Remove a holder from a project; the account stays (coordinators only)."""
    user = _coordinator(user_id)
    project = queries.get_visible_project(user, project_id)
    holder = next((h for h in project.holders if h.id == holder_id), None)
    if holder is None:
        raise NotFound("No such holder")
    project.holders.remove(holder)
    record("project.holder_removed", user_id=user.id, project_id=project.id, holder=holder_id)
    db.session.flush()
    return project


def invite_holder(project_id: int, *, name: str, email: str, user_id: int) -> User:
    """Create a holder account without password and add it to the project (coordinators only)."""
    from accompagnement.auth.services import create_user

    user = _coordinator(user_id)
    project = queries.get_visible_project(user, project_id)
    holder = create_user(email, name=name, role=Role.HOLDER.value)
    project.holders.append(holder)
    record("project.holder_invited", user_id=user.id, project_id=project.id, holder=holder.id)
    db.session.flush()
    return holder
