"""A project along its pathway: where it is, the timeline of its stages, its history.

Nothing here queries the database: the history is merged from rows the page loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from accompagnement import engine
from accompagnement.projects.models import FormSubmission, Project, TransitionRecord


def stage_or_none(workflow: engine.Workflow, key: str | None) -> engine.Stage | None:
    """Return the stage of a key, or None when this workflow version does not know it."""
    try:
        return workflow.stage(key or "")
    except engine.UnknownStage:
        return None


@dataclass
class Step:
    """One stage of the timeline of a project."""

    stage: engine.Stage
    state: str  # "done", "current" or "todo"


def current_stage_key(project: Project) -> str:
    """Return the pathway stage a project is at (the one it left, when it is on hold)."""
    return project.return_state or project.state


def timeline(workflow: engine.Workflow, project: Project) -> list[Step]:
    """Return the pathway stages with done / current / todo marks."""
    keys = [s.key for s in workflow.stages if s.kind != "hold"]
    current = current_stage_key(project)
    position = keys.index(current) if current in keys else -1
    steps = []
    for index, key in enumerate(keys):
        state = "done" if index < position else "current" if index == position else "todo"
        steps.append(Step(workflow.stage(key), state))
    return steps


@dataclass
class HistoryEntry:
    """One line of a project's history: a transition or a form save, with labels to show."""

    at: datetime
    order: int
    who: str | None
    title: Any = ""
    source: Any = ""
    dest: Any = ""
    transition: TransitionRecord | None = None
    submission: FormSubmission | None = None


def history(
    workflow: engine.Workflow,
    transitions: Sequence[TransitionRecord],
    submissions: Sequence[FormSubmission],
) -> list[HistoryEntry]:
    """Merge transitions and form saves, newest first."""
    entries = [
        HistoryEntry(
            t.at,
            t.id,
            t.user.name if t.user else None,
            title=trigger_label(workflow, t),
            source=stage_label(workflow, t.from_state) if t.from_state else "",
            dest=stage_label(workflow, t.to_state),
            transition=t,
        )
        for t in transitions
    ]
    entries += [
        HistoryEntry(
            s.created_at,
            s.id,
            s.author.name if s.author else None,
            title=stage_label(workflow, s.stage),
            submission=s,
        )
        for s in submissions
    ]
    return sorted(entries, key=lambda e: (e.at, e.transition is None, e.order), reverse=True)


def stage_label(workflow: engine.Workflow, key: str | None) -> Any:
    """Return the label of a stage key, or the key itself when the version does not know it."""
    stage = stage_or_none(workflow, key)
    return stage.label if stage is not None else key or ""


def trigger_label(workflow: engine.Workflow, record: TransitionRecord) -> Any:
    """Return the label of the transition a record was fired by."""
    if record.trigger == "create":
        return _("Project created")
    for transition in workflow.definition.transitions:
        if transition.trigger == record.trigger and _leaves(transition, record.from_state):
            return transition.label
    return record.trigger


def _leaves(transition: engine.TransitionDef, state: str | None) -> bool:
    source = transition.source
    return source == "*" or source == state or (isinstance(source, list) and state in source)
