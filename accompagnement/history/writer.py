"""Write imported projects and their past transitions (no guard: the history already happened).

Everything is added first and flushed twice in all (projects, then their records), so an import
of thousands of projects costs a few statements per project, not a flush each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import insert

from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.engine import Workflow
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.history.path import Step
from accompagnement.projects import stageentries
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.workflows.services import WorkflowChanged, snapshot


def moment(day: dt.date) -> dt.datetime:
    """The stored instant of a day typed in a history file: its start (naive UTC)."""
    return dt.datetime.combine(day, dt.time())


def keep_snapshots(workflows: Iterable[Workflow]) -> None:
    """Record the text of each workflow version the imported projects run on."""
    for workflow in {(w.name, w.version): w for w in workflows}.values():
        try:
            snapshot(workflow)
        except WorkflowChanged as exc:
            raise InvalidInput(str(exc), {"workflow": str(exc)}) from exc


def new_project(
    name: str, workflow: Workflow, commune: str | None, holders: list[User], steps: list[Step]
) -> Project:
    """Add a project in the stage its last step entered (written at the next flush)."""
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
    return project


def write_histories(
    histories: list[tuple[Project, list[Step]]], *, user_id: int, source: str
) -> None:
    """Flush the projects, then add one transition record per past move of each, in order."""
    db.session.flush()
    for project, steps in histories:
        # A flush inserts the rows of a table in the order they were added: the statistics
        # read a project's records by id.
        db.session.add_all(
            TransitionRecord(
                project_id=project.id,
                workflow_version=project.workflow_version,
                trigger=step.trigger,
                from_state=step.source,
                to_state=step.dest,
                return_state=step.return_state,
                reason=step.reason,
                user_id=user_id,
                at=moment(step.at),
                source=source,
            )
            for step in steps
        )
        record("project.imported", user_id=user_id, project_id=project.id, source=source)
    db.session.flush()
    _write_stage_entries(histories)


def _write_stage_entries(histories: list[tuple[Project, list[Step]]]) -> None:
    """Insert the time each imported project spent in each state, from its past moves."""
    rows = [
        row
        for project, steps in histories
        for row in stageentries.entry_rows(
            project.id, project.workflow_name, [(step.dest, moment(step.at)) for step in steps]
        )
    ]
    if rows:
        db.session.execute(insert(stageentries.ENTRIES), rows)
