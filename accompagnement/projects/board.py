"""The pipeline board: one section per workflow, one column per stage, one card per project.

Nothing here queries the database: the view loads rows through `queries.board_projects` (a
constant number of queries) and these functions arrange them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

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


class Holder(NamedTuple):
    """A holder's name on a board card."""

    name: str


class Place(NamedTuple):
    """A board card's commune: its name and département."""

    name: str
    departement_code: str | None


class CardProject(NamedTuple):
    """What a board card shows of a project, read as plain rows (no ORM object to build: the
    board shows up to 20 cards per stage, and building their objects cost more than reading)."""

    id: int
    name: str
    workflow_name: str
    workflow_version: int
    state: str
    return_state: str | None
    state_changed_at: datetime
    commune: Place | None
    holders: list[Holder]


@dataclass
class Card:
    """A project on the board."""

    project: Project | CardProject
    stage: engine.Stage | None
    days: int
    usual_days: int | None
    return_stage: engine.Stage | None = None
    overdue_tasks: int = 0

    @property
    def late(self) -> bool:
        """Say whether the project has stayed longer than usual in its stage."""
        return self.usual_days is not None and self.days > self.usual_days


@dataclass
class Column:
    """One stage of the board: how many projects it holds, and the most urgent ones as cards."""

    key: str
    stage: engine.Stage | None
    cards: list[Card] = field(default_factory=list)
    total: int = 0
    late_count: int = 0

    @property
    def more(self) -> bool:
        """Say whether some projects of the stage are left out of the cards."""
        return self.total > len(self.cards)


@dataclass
class Section:
    """The board of one workflow: a column per stage, hold stages folded apart."""

    workflow: engine.Workflow
    columns: list[Column]
    folded: list[Column]

    @property
    def count(self) -> int:
        """Count the projects of this workflow on the board."""
        return sum(c.total for c in [*self.columns, *self.folded])


def card_for(
    project: Project | CardProject, workflow: engine.Workflow, now: datetime, overdue_tasks: int = 0
) -> Card:
    """Build the card of a project (`overdue_tasks`: how many of its tasks are overdue)."""
    stage = stage_or_none(workflow, project.state)
    days = days_since(project.state_changed_at, now)
    return_stage = stage_or_none(workflow, project.return_state) if project.return_state else None
    usual = stage.usual_days if stage else None
    return Card(project, stage, days, usual, return_stage, overdue_tasks)


def build_board(
    counts: Iterable[Any],
    projects: Iterable[Project | CardProject],
    workflow_of: Any,
    latest_of: Any,
    now: datetime,
    overdue_tasks: Mapping[int, int] | None = None,
) -> list[Section]:
    """Arrange stage counts and the most urgent projects: a section per workflow, a column
    per stage. `counts` are rows of (workflow_name, workflow_version, state, total, late);
    `overdue_tasks` the number of overdue tasks of each project shown."""
    overdue = overdue_tasks or {}
    sections: dict[str, Section] = {}
    for row in counts:
        workflow = workflow_of(row.workflow_name, row.workflow_version)
        section = sections.get(row.workflow_name)
        if section is None:
            section = sections[row.workflow_name] = _section(
                latest_of(row.workflow_name, row.workflow_version)
            )
        column = _column(section, row.state, stage_or_none(workflow, row.state))
        column.total += row.total
        column.late_count += row.late
    for project in projects:
        workflow = workflow_of(project.workflow_name, project.workflow_version)
        card = card_for(project, workflow, now, overdue.get(project.id, 0))
        section = sections[project.workflow_name]
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
