"""What the task pages show: rows with their wording and flags, from loaded tasks (no queries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _

from accompagnement.access import ROLE_LABELS
from accompagnement.auth.models import User
from accompagnement.engine import TaskTemplate, UnknownStage, UnknownWorkflow
from accompagnement.tasks.models import ASSIGNEE_LABELS, Assignee, Task
from accompagnement.workflows.services import get_workflow


@dataclass(frozen=True)
class FormValues:
    """A task's values under the names of the task form's fields (the form's `obj`)."""

    title: str
    assignee: str
    due_on: dt.date | None
    stage: str
    notes: str
    version: str


@dataclass(frozen=True)
class TaskRow:
    """One task as a list shows it."""

    task: Task
    title: str
    assignee: str
    stage: str | None
    overdue: bool


def person_label(person: User) -> str:
    """Name a person with their role: "Camille Martin (Project holder)"."""
    return f"{person.name} ({ROLE_LABELS.get(person.role, person.role)})"


def assignee_label(task: Task) -> str:
    """Say who the task is for."""
    if task.assignee == Assignee.PERSON:
        return task.assigned_to.name if task.assigned_to else _("Nobody (account removed)")
    return str(ASSIGNEE_LABELS.get(Assignee(task.assignee), task.assignee))


def title_in(task: Task, language: str) -> str:
    """Return the title in the reader's language while a template's task keeps its title."""
    template = _template(task)
    if template is not None and task.title == template.title.fr:
        return template.title.get(language)
    return task.title


def stage_label(task: Task, language: str) -> str | None:
    """Return the label of the task's stage in the project's workflow."""
    if not task.stage:
        return None
    try:
        workflow = get_workflow(task.project.workflow_name, task.project.workflow_version)
        return workflow.stage(task.stage).label.get(language)
    except (UnknownStage, UnknownWorkflow):
        return task.stage


def _template(task: Task) -> TaskTemplate | None:
    if not (task.template and task.stage):
        return None
    try:
        workflow = get_workflow(task.project.workflow_name, task.project.workflow_version)
        stage = workflow.stage(task.stage)
    except (UnknownStage, UnknownWorkflow):
        return None
    return next((t for t in stage.tasks if t.key == task.template), None)


def rows(tasks: Iterable[Task], today: dt.date, language: str) -> list[TaskRow]:
    """Turn loaded tasks (with project and assignee) into list rows."""
    return [
        TaskRow(
            task=task,
            title=title_in(task, language),
            assignee=assignee_label(task),
            stage=stage_label(task, language),
            overdue=task.overdue(today),
        )
        for task in tasks
    ]
