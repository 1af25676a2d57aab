"""What the project pages show, computed from loaded rows: board columns, timeline, history, values.

Nothing here queries the database: views load rows through `queries` (a constant number of
queries per page) and these functions arrange them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from accompagnement import engine
from accompagnement.db import utcnow
from accompagnement.projects.models import FormSubmission, Project, TransitionRecord

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


def card_for(project: Project, workflow: engine.Workflow, now: datetime) -> Card:
    """Build the card of a project."""
    stage = _stage_or_none(workflow, project.state)
    days = days_since(project.state_changed_at, now)
    return_stage = _stage_or_none(workflow, project.return_state) if project.return_state else None
    return Card(project, stage, days, stage.usual_days if stage else None, return_stage)


def _stage_or_none(workflow: engine.Workflow, key: str | None) -> engine.Stage | None:
    try:
        return workflow.stage(key or "")
    except engine.UnknownStage:
        return None


def build_board(
    counts: Iterable[Any],
    projects: Iterable[Project],
    workflow_of: Any,
    latest_of: Any,
    now: datetime,
) -> list[Section]:
    """Arrange stage counts and the most urgent projects: a section per workflow, a column
    per stage. `counts` are rows of (workflow_name, workflow_version, state, total, late)."""
    sections: dict[str, Section] = {}
    for row in counts:
        workflow = workflow_of(row.workflow_name, row.workflow_version)
        section = sections.get(row.workflow_name)
        if section is None:
            section = sections[row.workflow_name] = _section(
                latest_of(row.workflow_name, row.workflow_version)
            )
        column = _column(section, row.state, _stage_or_none(workflow, row.state))
        column.total += row.total
        column.late_count += row.late
    for project in projects:
        card = card_for(project, workflow_of(project.workflow_name, project.workflow_version), now)
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


# --- The project page ---------------------------------------------------------------------------


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
    stage = _stage_or_none(workflow, key)
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


# --- Stored form values, as text ---------------------------------------------------------------


@dataclass
class Names:
    """Names of the communes and member ressourceries that form values refer to."""

    communes: Mapping[str, str] = field(default_factory=dict)
    members: Mapping[str, str] = field(default_factory=dict)
    departements: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Row:
    """A field of a saved form, ready to show: a text, or the rows of each group item."""

    label: Any
    text: str = ""
    items: list[list[Row]] | None = None


def form_rows(
    fields: Sequence[engine.Field], data: Mapping[str, Any], names: Names, locale: str
) -> list[Row]:
    """Describe saved form data field by field, in the order of the definition."""
    rows = []
    for spec in fields:
        value = data.get(spec.key)
        if spec.type != "group":
            rows.append(Row(spec.label, display_value(spec, value, names, locale)))
            continue
        items = [i for i in value if isinstance(i, Mapping)] if isinstance(value, list) else []
        subs = list(spec.fields or ())
        rows.append(Row(spec.label, items=[form_rows(subs, i, names, locale) for i in items]))
    return rows


def display_value(spec: engine.Field, value: Any, names: Names, locale: str) -> str:
    """Return a stored value as text in the current language (empty when absent)."""
    if value is None or value == "" or value == []:
        return ""
    kind = spec.type
    if kind == "boolean":
        return _("Yes") if value else _("No")
    if kind == "choice":
        return _choice_label(spec, value, locale)
    if kind == "multi_choice" and isinstance(value, list):
        return ", ".join(_choice_label(spec, v, locale) for v in value)
    if kind == "date":
        return _date_text(value)
    if kind in ("integer", "decimal", "money"):
        return _number_text(spec, value, locale)
    if kind == "commune":
        name = names.communes.get(str(value))
        return f"{name} ({value})" if name else str(value)
    if kind == "departement":
        name = names.departements.get(str(value))
        return f"{name} ({value})" if name else str(value)
    if kind == "member":
        return names.members.get(str(value)) or _("Member #%(id)s", id=value)
    return str(value)


def _choice_label(spec: engine.Field, key: Any, locale: str) -> str:
    choice = spec.choice(str(key))
    return choice.label.get(locale) if choice else str(key)


def _date_text(value: Any) -> str:
    try:
        return format_date(date.fromisoformat(str(value)), "medium")
    except ValueError:
        return str(value)


def _number_text(spec: engine.Field, value: Any, locale: str) -> str:
    try:
        text = format_decimal(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)
    if spec.type == "money":
        return f"{text} €"
    return f"{text} {spec.unit.get(locale)}" if spec.unit else text


def used_types(definition: engine.Form | None) -> set[str]:
    """Return the field types a form uses, including inside groups."""
    found: set[str] = set()
    for spec in definition.fields if definition else ():
        found.add(spec.type)
        found.update(sub.type for sub in spec.fields or ())
    return found
