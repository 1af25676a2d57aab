"""The projects of the bench data set and their history, shaped as the services write them.

Stages and triggers come from the workflow definition: pathway stages (kind stage or final) get
fewer projects the further they are, hold stages get the paused and abandoned ones. Each project
has a creation record and one record per move (its records replay to its state), drafts and a
submitted revision of every form it went through, its checklist ticks, an audit event for each
save and tick, and a few comments. About a third of the projects on a pathway stage are ready to
move on (form submitted, checklist complete): the transitions benchmark fires those.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accompagnement.engine import Workflow
    from bench.dataset import Rows, World

REASON = "Bench: moved by the data set builder."


def pathway(workflow: Workflow) -> tuple[list[str], list[str]]:
    """Return the pathway stage keys (in order) and the hold stage keys of a workflow."""
    steps = [s.key for s in workflow.stages if s.kind != "hold"]
    holds = [s.key for s in workflow.stages if s.kind == "hold"]
    return steps, holds


def trigger_between(workflow: Workflow, source: str, dest: str, rng: random.Random) -> str:
    """Pick one trigger of the definition that moves a project from `source` to `dest`."""
    found = []
    for transition in workflow.definition.transitions:
        sources = transition.source if isinstance(transition.source, list) else [transition.source]
        if transition.dest == dest and (source in sources or "*" in sources):
            found.append(transition.trigger)
    if not found:
        raise ValueError(f"no transition {source} -> {dest} in {workflow.name}")
    return rng.choice(found)


def form_templates(workflow: Workflow, members: list[int]) -> dict[str, dict[str, Any]]:
    """Clean the demo's values of every stage form, as save_form stores them."""
    from accompagnement.demo.pathway import FORMS, DemoProject
    from accompagnement.network import queries as network_queries

    demo = DemoProject("Ressourcerie du bench", "x", "87085", "87", "premier_contact", 400)
    choices = network_queries.form_choices()
    templates = {}
    for stage in workflow.stages:
        if stage.form is None or stage.key not in FORMS:
            continue
        raw = FORMS[stage.key](demo, members, date(2025, 6, 1))
        cleaned = workflow.clean_form(stage.key, raw, submit=True, choices=choices)
        if cleaned.errors:
            raise ValueError(f"demo values of {stage.key} do not clean: {cleaned.errors}")
        templates[stage.key] = cleaned.data
    return templates


def add_projects(
    rng: random.Random, rows: Rows, world: World, workflow: Workflow, count: int
) -> None:
    """Add `count` projects of `workflow` with their whole history."""
    steps, holds = pathway(workflow)
    weights = [0.86**index for index in range(len(steps))]
    total = sum(weights)
    shares = [0.82 * w / total for w in weights] + [0.18 / len(holds)] * len(holds)
    templates = form_templates(workflow, world.members)
    for number in range(count):
        target = rng.choices([*steps, *holds], shares)[0]
        _project(rng, rows, world, workflow, number, target, templates)


def _project(
    rng: random.Random,
    rows: Rows,
    world: World,
    workflow: Workflow,
    number: int,
    target: str,
    templates: dict[str, dict[str, Any]],
) -> None:
    from bench.dataset import NOW

    steps, holds = pathway(workflow)
    project = world.new_id("projects")
    reached = steps[: steps.index(target) + 1] if target in steps else _before_hold(rng, steps)
    clock = NOW - timedelta(days=rng.randrange(60 + 200 * len(reached), 3650))
    step_days = max((NOW - clock).days // (len(reached) + 1), 2)
    history = History(rng, rows, world, workflow, project, clock)
    history.move(None, workflow.initial, "create")
    for stage, following in zip(reached, reached[1:], strict=False):
        history.complete(stage, templates, step_days)
        history.move(stage, following)
        if rng.random() < 0.15:  # sent back once with a reason, then moved on again
            history.clock += timedelta(days=rng.randrange(1, step_days))
            history.move(following, stage)
            history.clock += timedelta(days=rng.randrange(1, step_days))
            history.move(stage, following, trigger_between(workflow, stage, following, rng))
    last = reached[-1]
    ready = target in steps and rng.random() < 0.35
    if last != steps[-1]:
        history.work_on(last, templates, step_days, ready=ready)
    if target in holds:
        history.clock += timedelta(days=rng.randrange(1, step_days))
        history.move(last, target, return_state=last)
    commune = rng.choice(world.communes)
    rows.add("projects", id=project, name=f"Ressourcerie {commune} n° {number}",
             workflow_name=workflow.name, workflow_version=workflow.version, state=target,
             return_state=last if target in holds else None, state_changed_at=history.moved_at,
             commune_insee=commune, created_at=history.created_at, updated_at=history.clock,
             lock_version=1 + history.moves)  # fmt: skip
    rows.add("project_holders", project_id=project, user_id=rng.choice(world.holders))
    for _ in range(rng.randrange(0, 4)):
        body = "Point d'étape avec le porteur de projet."
        rows.add("comments", project_id=project, author_id=world.coordinator, body=body,
                 created_at=history.clock)  # fmt: skip


def _before_hold(rng: random.Random, steps: list[str]) -> list[str]:
    return steps[: rng.randrange(1, len(steps))]


class History:
    """The clock and the rows of one project's life."""

    def __init__(
        self,
        rng: random.Random,
        rows: Rows,
        world: World,
        workflow: Workflow,
        project: int,
        start: datetime,
    ) -> None:
        self.rng, self.rows, self.world, self.workflow = rng, rows, world, workflow
        self.project, self.clock, self.created_at, self.moved_at = project, start, start, start
        self.moves = 0

    def move(
        self, source: str | None, dest: str, trigger: str = "", return_state: str | None = None
    ) -> None:
        """Record one transition (the creation when source is None)."""
        if source is not None:
            trigger = trigger or trigger_between(self.workflow, source, dest, self.rng)
            self.moves += 1
        reason = REASON if trigger not in ("create", "advance", "open") else None
        self.rows.add("transition_records", project_id=self.project,
                      workflow_version=self.workflow.version, trigger=trigger,
                      from_state=source, to_state=dest, return_state=return_state,
                      reason=reason, user_id=self.world.coordinator, at=self.clock,
                      source=None)  # fmt: skip
        self.moved_at = self.clock

    def complete(self, stage: str, templates: dict[str, dict[str, Any]], days: int) -> None:
        """Fill a stage in before leaving it: drafts, a submitted form, a full checklist."""
        self.work_on(stage, templates, days, ready=True)

    def work_on(
        self, stage: str, templates: dict[str, dict[str, Any]], days: int, *, ready: bool
    ) -> None:
        """Save revisions of a stage form and tick its checklist (all of it when ready)."""
        definition = self.workflow.stage(stage)
        if definition.form is not None and stage in templates:
            drafts = self.rng.randrange(1, 5)
            for revision in range(1, drafts + 2):
                submitted = ready and revision == drafts + 1
                if revision == drafts + 1 and not ready:
                    break
                self._save(stage, templates[stage], revision, submitted, days)
        items = definition.checklist or []
        ticked = items if ready else items[: self.rng.randrange(0, len(items) + 1)]
        for item in ticked:
            self.clock += timedelta(hours=self.rng.randrange(1, 24 * max(days // 8, 1)))
            self.rows.add("checklist_ticks", project_id=self.project, stage=stage,
                          item=item.key, done=True, note=None,
                          user_id=self.world.coordinator, at=self.clock)  # fmt: skip
            self._audit("checklist.ticked", self.world.coordinator, stage=stage, item=item.key)
        self.clock += timedelta(days=self.rng.randrange(1, max(days // 4, 2)))

    def _save(
        self, stage: str, template: dict[str, Any], revision: int, submitted: bool, days: int
    ) -> None:
        self.clock += timedelta(hours=self.rng.randrange(1, 24 * max(days // 6, 1)))
        data = _vary(self.rng, stage, template, self.world.members, self.clock.date())
        author = self.world.coordinator
        self.rows.add("form_submissions", project_id=self.project, stage=stage,
                      revision=revision, status="submitted" if submitted else "draft",
                      data=data, author_id=author, created_at=self.clock)  # fmt: skip
        action = "form.submitted" if submitted else "form.saved"
        self._audit(action, author, stage=stage, revision=revision)

    def _audit(self, action: str, user: int, **detail: Any) -> None:
        self.rows.add("audit_events", at=self.clock, user_id=user, project_id=self.project,
                      action=action, detail=detail)  # fmt: skip


def _vary(
    rng: random.Random, stage: str, template: dict[str, Any], members: list[int], day: date
) -> dict[str, Any]:
    """Give the visits form its own visited members and dates; other forms keep the template."""
    if "visits" not in template:
        return template
    visits = []
    for index, item in enumerate(template["visits"]):
        visits.append(
            {
                **item,
                "member": rng.choice(members),
                "date": (day - timedelta(days=40 - 20 * index)).isoformat(),
            }
        )
    return {**template, "visits": visits}
