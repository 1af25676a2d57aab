"""Load and arrange everything the project page and its summary show, in a constant number of
queries whatever the length of the history, the comments or the documents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import url_for

from accompagnement import engine
from accompagnement.auth.models import User
from accompagnement.i18n import current_language
from accompagnement.messages import describe_refusal
from accompagnement.network import queries as network_queries
from accompagnement.projects import board, display, queries, services
from accompagnement.projects import timeline as pathway
from accompagnement.projects.models import (
    ChecklistTick,
    Comment,
    Document,
    FormSubmission,
    Project,
)
from accompagnement.territory.services import CommuneNames


@dataclass
class OptionView:
    """A transition offered on the page: a button when allowed, else the reasons why not."""

    trigger: str
    label: Any
    dest: Any
    reason: str
    allowed: bool
    reasons: list[str]
    forward: bool = False


@dataclass
class ChecklistLine:
    """An item of the current stage's checklist and who ticked it, when."""

    item: engine.ChecklistItem
    tick: ChecklistTick | None

    @property
    def done(self) -> bool:
        """Say whether the item is ticked."""
        return bool(self.tick and self.tick.done)


@dataclass
class FormSummary:
    """A stage form as the project page lists it: newest saved revision, editable or not, rows."""

    stage: engine.Stage
    latest: FormSubmission | None
    editable: bool
    rows: list[display.Row] = field(default_factory=list)


@dataclass
class ProjectPage:
    """What the project page shows."""

    project: Project
    workflow: engine.Workflow
    current: engine.Stage
    hold: engine.Stage | None
    days: int
    timeline: list[pathway.Step]
    options: list[OptionView]
    missing: list[str]
    checklists: dict[str, list[ChecklistLine]]
    forms: list[FormSummary]
    history: list[pathway.HistoryEntry]
    comments: Sequence[Comment]
    documents: Sequence[Document]

    form_urls: dict[str, str] = field(default_factory=dict)

    def form_url(self, stage: str, revision: int) -> str:
        """Return the address of a revision of a stage form (one url_for a stage, not a row)."""
        base = self.form_urls.get(stage)
        if base is None:
            base = url_for("projects.form", project_id=self.project.id, stage=stage)
            self.form_urls[stage] = base
        return f"{base}?revision={int(revision)}"

    def stage_label(self, key: str | None) -> Any:
        """Return the label of a stage of this project's workflow (the key when unknown)."""
        return pathway.stage_label(self.workflow, key)

    @property
    def checklist(self) -> list[ChecklistLine]:
        """Return the checklist of the current stage."""
        return self.checklists.get(self.current.key, [])

    @property
    def current_form(self) -> FormSummary | None:
        """Return the form of the current stage, if it has one."""
        return next((f for f in self.forms if f.stage.key == self.current.key), None)


def names_for(types: Iterable[str]) -> display.Names:
    """Load the commune and member names needed to show values of these field types."""
    wanted = set(types)
    communes = CommuneNames() if "commune" in wanted else {}
    members = {str(m.id): m.name for m in queries.members()} if "member" in wanted else {}
    departements = (
        {d.code: d.name for d in network_queries.departements()} if "departement" in wanted else {}
    )
    return display.Names(communes, members, departements)


def all_field_types(workflow: engine.Workflow) -> set[str]:
    """Return every field type used by the forms of a workflow."""
    found: set[str] = set()
    for stage in workflow.stages:
        found |= display.used_types(stage.form)
    return found


def build(user: User, project: Project, *, every_form: bool = False) -> ProjectPage:
    """Gather the project page of a project the user may see."""
    locale = current_language()
    workflow = services.workflow_of(project)
    current = workflow.stage(pathway.current_stage_key(project))
    hold = workflow.stage(project.state) if project.state != current.key else None
    submissions = queries.form_revisions(project.id)
    ticks = queries.checklist_with_users(project.id)
    facts = services.facts_from(project, submissions, ticks.values())  # from the rows above
    return ProjectPage(
        project=project,
        workflow=workflow,
        current=current,
        hold=hold,
        days=board.days_since(project.state_changed_at),
        timeline=pathway.timeline(workflow, project),
        options=_options(workflow, facts, user.role, locale),
        missing=[describe_refusal(r, workflow, locale) for r in workflow.missing(facts, user.role)],
        checklists={
            stage.key: [ChecklistLine(i, ticks.get((stage.key, i.key))) for i in stage.checklist]
            for stage in workflow.stages
            if stage.checklist
        },
        forms=_forms(workflow, project, user, submissions, current.key, every_form, locale),
        history=pathway.history(workflow, queries.history(project.id), submissions),
        comments=queries.comments(project.id),
        documents=queries.documents(project.id),
    )


def _options(
    workflow: engine.Workflow, facts: engine.ProjectFacts, role: str, locale: str
) -> list[OptionView]:
    views = []
    for option in workflow.options(facts, role):
        if any(r.code == "role_not_allowed" for r in option.refusals):
            continue  # never theirs to fire: not shown, not even as "not possible yet"
        views.append(
            OptionView(
                trigger=option.trigger,
                label=option.label,
                dest=pathway.stage_label(workflow, option.dest) if option.dest else "",
                reason=option.reason,
                allowed=option.allowed,
                reasons=[describe_refusal(r, workflow, locale) for r in option.refusals],
                forward=option.forward,
            )
        )
    # Moving forward comes first; going back, pausing and abandoning follow (a stable sort).
    return sorted(views, key=lambda view: not view.forward)


def _forms(
    workflow: engine.Workflow,
    project: Project,
    user: User,
    submissions: Sequence[FormSubmission],
    current: str,
    every_form: bool,
    locale: str,
) -> list[FormSummary]:
    latest: dict[str, FormSubmission] = {}
    for submission in submissions:
        latest[submission.stage] = submission
    editable = set(services.editable_form_stages(project, user))
    shown = [s for s in workflow.stages if s.form is not None]
    with_rows = {s.key for s in shown} if every_form else {current}
    types: set[str] = set()
    for stage in shown:
        if stage.key in with_rows:
            types |= display.used_types(stage.form)
    names = names_for(types)
    forms = []
    for stage in shown:
        saved = latest.get(stage.key)
        rows = []
        if stage.key in with_rows and saved is not None and stage.form is not None:
            rows = display.form_rows(stage.form.fields, saved.data, names, locale)
        forms.append(FormSummary(stage, saved, stage.key in editable, rows))
    return forms
