"""What features above projects plug in from the factory: work done when a project enters a
stage, and figures shown on the board's cards.

`projects` cannot import the features built on it (the layers forbid it), so the factory tells
it: `hooks.install(app, stage_entered=[...], overdue_tasks=...)`. Without an installed hook,
entering a stage does nothing more and the cards show no figure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app

from accompagnement.projects.models import Project

StageEntered = Callable[[Project, str, datetime], object]
"""Called with the project, the stage it entered and when, inside the transition's transaction."""
CardCounts = Callable[[Sequence[int]], Mapping[int, int]]
"""Given project ids, return a count per project id (in one query); absent ids count 0."""

EXTENSION = "projects.hooks"


@dataclass(frozen=True)
class Hooks:
    stage_entered: tuple[StageEntered, ...] = ()
    overdue_tasks: CardCounts | None = None


def install(
    app: Flask,
    *,
    stage_entered: Sequence[StageEntered] = (),
    overdue_tasks: CardCounts | None = None,
) -> None:
    """Plug the features' hooks into the projects of this app."""
    app.extensions[EXTENSION] = Hooks(tuple(stage_entered), overdue_tasks)


def _hooks() -> Hooks:
    hooks = current_app.extensions.get(EXTENSION)
    return hooks if isinstance(hooks, Hooks) else Hooks()


def stage_entered(project: Project, stage: str, at: datetime) -> None:
    """Tell every installed feature that a project has entered a stage."""
    for callback in _hooks().stage_entered:
        callback(project, stage, at)


def overdue_tasks(project_ids: Sequence[int]) -> Mapping[int, int]:
    """Return the number of overdue tasks of each project (none when no feature counts them)."""
    count = _hooks().overdue_tasks
    return count(project_ids) if count is not None and project_ids else {}


__all__ = ["Hooks", "install", "overdue_tasks", "stage_entered"]
