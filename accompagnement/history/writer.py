"""Write one imported project and its past transitions (no guard: the history already happened)."""

from __future__ import annotations

import datetime as dt

from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.engine import Workflow
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.history.path import Step
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.workflows.registry import WorkflowChanged, snapshot


def moment(day: dt.date) -> dt.datetime:
    """The stored instant of a day typed in a history file: its start (naive UTC)."""
    return dt.datetime.combine(day, dt.time())


def write_project(
    name: str,
    workflow: Workflow,
    commune: str | None,
    holders: list[User],
    steps: list[Step],
    *,
    user_id: int,
    source: str,
) -> Project:
    """Create a project in its current stage with one transition record per past move."""
    try:
        snapshot(workflow)
    except WorkflowChanged as exc:
        raise InvalidInput(str(exc), {"workflow": str(exc)}) from exc
    last = steps[-1]
    project = Project(
        name=name,
        workflow_name=workflow.name,
        workflow_version=workflow.version,
        state=last.dest,
        return_state=last.return_state,
        state_changed_at=moment(last.at),
        created_at=moment(steps[0].at),
        commune_insee=commune,
        holders=holders,
    )
    db.session.add(project)
    db.session.flush()
    for step in steps:  # in order: the statistics read a project's records by id
        db.session.add(
            TransitionRecord(
                project_id=project.id,
                workflow_version=workflow.version,
                trigger=step.trigger,
                from_state=step.source,
                to_state=step.dest,
                return_state=step.return_state,
                reason=step.reason,
                user_id=user_id,
                at=moment(step.at),
                source=source,
            )
        )
        db.session.flush()
    record("project.imported", user_id=user_id, project_id=project.id, source=source)
    return project
