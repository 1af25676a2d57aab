"""The pipeline board: one section per workflow, one column per stage, one card per project.

Nothing here queries the database: the view loads rows through `queries.board_projects` (a
constant number of queries) and these functions arrange them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from accompagnement import engine
from accompagnement.db import utcnow
from accompagnement.projects.models import Project
from accompagnement.projects.timeline import stage_or_none

ACTIVE, PAUSED, ABANDONED, OPEN = "active", "paused", "abandoned", "open"
STATUSES = (ACTIVE, PAUSED, ABANDONED, OPEN)


def status_of(stage: engine.Stage) -> str:
    """Classify a stage: active (a pathway step), open (final), paused or abandoned (holds).

    Workflows have no "abandoned" flag: by convention a hold stage whose key starts with
    "abandon" is an abandonment, any other hold stage is a pause.
    """
    if stage.kind == "final":
        return OPEN
    if stage.kind == "hold":
        return ABANDONED if stage.key.startswith("abandon") else PAUSED
    return ACTIVE


def days_since(moment: datetime | None, now: datetime | None = None) -> int:
    """Return the whole days elapsed since a (naive UTC) moment."""
    if moment is None:
        return 0
    return max(((now or utcnow()) - moment).days, 0)


@dataclass
class Card:
    """A project on the board."""

    project: Project
    stage: engine.Stage | None
    days: int
    usual_days: int | None
    return_stage: engine.Stage | None = None

    @property
    def late(self) -> bool:
        """Say whether the project has stayed longer than usual in its stage."""
        return self.usual_days is not None and self.days > self.usual_days


@dataclass
class Column:
    """One stage of the board, with its cards."""

    key: str
    stage: engine.Stage | None
    cards: list[Card] = field(default_factory=list)

    @property
    def late_count(self) -> int:
        """Count the cards over the stage's usual duration."""
        return sum(1 for card in self.cards if card.late)


@dataclass
class Section:
    """The board of one workflow: a column per stage, hold stages folded apart."""

    workflow: engine.Workflow
    columns: list[Column]
    folded: list[Column]

    @property
    def count(self) -> int:
        """Count the projects of this workflow on the board."""
        return sum(len(c.cards) for c in [*self.columns, *self.folded])


def card_for(project: Project, workflow: engine.Workflow, now: datetime) -> Card:
    """Build the card of a project."""
    stage = stage_or_none(workflow, project.state)
    days = days_since(project.state_changed_at, now)
    return_stage = stage_or_none(workflow, project.return_state) if project.return_state else None
    return Card(project, stage, days, stage.usual_days if stage else None, return_stage)


def build_board(
    projects: Iterable[Project],
    workflow_of: Any,
    latest_of: Any,
    *,
    status: str = "",
) -> list[Section]:
    """Arrange projects in one section per workflow and one column per stage."""
    now = utcnow()
    sections: dict[str, Section] = {}
    for project in projects:
        workflow = workflow_of(project)
        card = card_for(project, workflow, now)
        if status and (card.stage is None or status_of(card.stage) != status):
            continue
        section = sections.get(project.workflow_name)
        if section is None:
            section = sections[project.workflow_name] = _section(latest_of(project))
        _column(section, project.state, card.stage).cards.append(card)
    # The busiest pathway first (the network's main one), then by name.
    return sorted(sections.values(), key=lambda s: (-s.count, s.workflow.name))


def _section(workflow: engine.Workflow) -> Section:
    columns = [Column(s.key, s) for s in workflow.stages if s.kind != "hold"]
    folded = [Column(s.key, s) for s in workflow.stages if s.kind == "hold"]
    return Section(workflow, columns, folded)


def _column(section: Section, key: str, stage: engine.Stage | None) -> Column:
    for column in [*section.columns, *section.folded]:
        if column.key == key:
            return column
    column = Column(key, stage)  # a stage of an older workflow version
    (section.folded if stage is not None and stage.kind == "hold" else section.columns).append(
        column
    )
    return column
