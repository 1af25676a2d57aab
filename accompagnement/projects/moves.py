"""Move the projects of a workflow to another version: where each lands, then the move itself.

One pipeline for `flask workflows migrate` and the coordinators' page. A stage that no longer
exists may be mapped to a stage of the target (renamed, merged, split); a paused project's return
stage is mapped the same way. The form data and checklist ticks of a mapped stage follow into
its new stage by field and item key. `move` only flushes: the command or request commits once,
so the move of every project is one transaction, written in each project's history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from accompagnement import engine
from accompagnement.audit.services import record
from accompagnement.db import utcnow
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.projects import hooks, stageentries
from accompagnement.projects.models import ChecklistTick, FormSubmission, Project, TransitionRecord
from accompagnement.workflows.services import available_workflow, get_workflow, snapshot

Mapping_ = Mapping[str, str]


@dataclass(frozen=True)
class MovePlan:
    """Where the projects not on the target version would land, and what is left to map."""

    target: engine.Workflow
    landings: list[engine.Landing[int]]
    unmapped: list[str]  # stages of those projects that the target lacks and no mapping covers

    @property
    def movable(self) -> list[engine.Landing[int]]:
        """The projects that would move."""
        return [landing for landing in self.landings if landing.movable]

    @property
    def refused(self) -> list[engine.Landing[int]]:
        """The projects that would stay (a stage left to map)."""
        return [landing for landing in self.landings if not landing.movable]

    def counts(self) -> tuple[Counter[str], Counter[str]]:
        """Count the projects by current stage, and by the stage they would land in."""
        now = Counter(landing.state for landing in self.landings)
        then = Counter(landing.lands or "" for landing in self.movable)
        return now, then


def target_workflow(name: str, version: int) -> engine.Workflow:
    """Return the version projects move to: one the network can use (raise NotFound)."""
    try:
        return available_workflow(name, version)
    except engine.UnknownWorkflow:
        raise NotFound(
            _("Unknown pathway %(name)s version %(version)s.", name=name, version=version)
        ) from None


def plan(name: str, version: int, mapping: Mapping_ | None = None) -> MovePlan:
    """Say where every project of `name` on another version would land in `version`."""
    target = target_workflow(name, version)
    mapping = check_mapping(target, mapping or {})
    rows = db.session.execute(
        select(Project.id, Project.state, Project.return_state)
        .where(Project.workflow_name == name, Project.workflow_version != version)
        .order_by(Project.id)
    ).all()
    found = engine.landings([(i, s, r) for i, s, r in rows], target, mapping)
    keys = {stage.key for stage in target.stages}
    gone = {x.state for x in found} | {x.return_state or "" for x in found}
    unmapped = sorted(s for s in gone - keys - {""} if s not in mapping)
    return MovePlan(target, found, unmapped)


def vanished(name: str, version: int) -> list[str]:
    """Return the stages projects of `name` are in (or paused from) that `version` lacks."""
    target = target_workflow(name, version)
    keys = {stage.key for stage in target.stages}
    rows = db.session.execute(
        select(Project.state, Project.return_state)
        .where(Project.workflow_name == name, Project.workflow_version != version)
        .distinct()
    ).all()
    return sorted({s for row in rows for s in row if s and s not in keys})


def check_mapping(target: engine.Workflow, mapping: Mapping_) -> dict[str, str]:
    """Keep the mapping's filled entries; refuse one whose new stage the target lacks."""
    keys = {stage.key for stage in target.stages}
    kept = {old: new for old, new in mapping.items() if new}
    wrong = sorted(new for new in kept.values() if new not in keys)
    if wrong:
        raise InvalidInput(
            _(
                "Unknown stage in version %(version)s: %(stages)s.",
                version=target.version,
                stages=", ".join(wrong),
            )
        )
    return kept


def move(
    name: str, version: int, mapping: Mapping_ | None = None, *, user_id: int | None
) -> MovePlan:
    """Move every movable project to `version` (flush only: the caller commits once)."""
    found = plan(name, version, mapping)
    moving = {landing.project_id: landing for landing in found.movable}
    if not moving:
        return found
    snapshot(found.target)
    projects = db.session.scalars(
        select(Project).where(Project.id.in_(moving)).order_by(Project.id).with_for_update()
    ).all()
    at = utcnow()
    carried = _Carried.load(list(moving), check_mapping(found.target, mapping or {}))
    for project in projects:
        source = get_workflow(project.workflow_name, project.workflow_version)
        carried.follow(project.id, source, found.target, user_id)
        _move_one(project, moving[project.id], found.target, user_id, at)
    db.session.flush()
    return found


def _move_one(
    project: Project,
    landing: engine.Landing[int],
    target: engine.Workflow,
    user_id: int | None,
    at: datetime,
) -> None:
    """Write one project's move: its record in the history, its stay, its new version."""
    lands = landing.lands or landing.state
    db.session.add(
        TransitionRecord(
            project_id=project.id,
            workflow_version=target.version,
            trigger="migrate",
            from_state=landing.state,
            to_state=lands,
            return_state=landing.return_lands,
            reason=f"v{project.workflow_version} -> v{target.version}",
            user_id=user_id,
            at=at,
        )
    )
    # A move like any other for the time spent in each state (the same state: its stay goes on).
    stageentries.record_move(project.id, project.workflow_name, landing.state, lands, at)
    record(
        "workflow.migrated",
        user_id=user_id,
        project_id=project.id,
        source=project.workflow_version,
        target=target.version,
    )
    project.workflow_version = target.version
    project.return_state = landing.return_lands
    project.lock_version += 1  # a page opened before the move is out of date
    if lands != landing.state:
        project.state = lands
        project.state_changed_at = at
        hooks.stage_entered(project, lands, at)


@dataclass
class _Carried:
    """The forms and ticks of the mapped stages of the moving projects, loaded at once."""

    mapping: dict[str, str]
    forms: dict[tuple[int, str], FormSubmission]  # the newest revision of each
    ticks: dict[tuple[int, str], list[ChecklistTick]]

    @classmethod
    def load(cls, ids: Sequence[int], mapping: dict[str, str]) -> _Carried:
        stages = set(mapping) | set(mapping.values())
        if not mapping:
            return cls(mapping, {}, {})
        forms: dict[tuple[int, str], FormSubmission] = {}
        for form in db.session.scalars(
            select(FormSubmission)
            .where(FormSubmission.project_id.in_(ids), FormSubmission.stage.in_(stages))
            .order_by(FormSubmission.revision)
        ):
            forms[(form.project_id, form.stage)] = form
        ticks: dict[tuple[int, str], list[ChecklistTick]] = {}
        for tick in db.session.scalars(
            select(ChecklistTick).where(
                ChecklistTick.project_id.in_(ids), ChecklistTick.stage.in_(stages)
            )
        ):
            ticks.setdefault((tick.project_id, tick.stage), []).append(tick)
        return cls(mapping, forms, ticks)

    def follow(
        self,
        project_id: int,
        source: engine.Workflow,
        target: engine.Workflow,
        user_id: int | None,
    ) -> None:
        """Carry a project's data of each vanished stage into the stage it is mapped to."""
        keys = {stage.key for stage in target.stages}
        for old, new in self.mapping.items():
            if old in keys:
                continue
            self._form(project_id, old, source, target.stage(new), user_id)
            self._ticks(project_id, old, target.stage(new))

    def _form(
        self,
        project_id: int,
        old: str,
        source: engine.Workflow,
        stage: engine.Stage,
        user_id: int | None,
    ) -> None:
        """Copy the values of the fields the new stage has with the same key and type."""
        before = self.forms.get((project_id, old))
        if before is None or stage.form is None:
            return
        old_stage = source.definition.stage(old)
        kept = {
            key: value for key, value in before.data.items() if _same_field(old_stage, stage, key)
        }
        current = self.forms.get((project_id, stage.key))
        data = {**kept, **(current.data if current else {})}
        if not kept or (current is not None and data == current.data):
            return
        carried = FormSubmission(
            project_id=project_id,
            stage=stage.key,
            revision=current.revision + 1 if current else 1,
            status=current.status if current else before.status,
            data=data,
            author_id=user_id,
        )
        db.session.add(carried)
        self.forms[(project_id, stage.key)] = carried

    def _ticks(self, project_id: int, old: str, stage: engine.Stage) -> None:
        """Copy the ticks of the items the new stage's checklist has with the same key."""
        items = {item.key for item in stage.checklist}
        present = {t.item for t in self.ticks.get((project_id, stage.key), [])}
        for tick in self.ticks.get((project_id, old), []):
            if tick.item in items and tick.item not in present:
                copy = ChecklistTick(
                    project_id=project_id,
                    stage=stage.key,
                    item=tick.item,
                    done=tick.done,
                    note=tick.note,
                    user_id=tick.user_id,
                    at=tick.at,
                )
                db.session.add(copy)
                self.ticks.setdefault((project_id, stage.key), []).append(copy)
                present.add(tick.item)


def _same_field(old_stage: engine.Stage | None, new_stage: engine.Stage, key: str) -> bool:
    """Say whether a field key exists in both stages with the same type."""
    before = old_stage.field(key) if old_stage else None
    after = new_stage.field(key)
    return before is not None and after is not None and before.type == after.type


__all__ = ["MovePlan", "check_mapping", "move", "plan", "vanished"]
