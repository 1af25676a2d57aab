"""Read queries of the partner dashboard: pipeline figures without any personal data.

Only non-personal columns are ever selected (project name, commune, département, stage, dates):
no holder, form, comment or document is loaded, so none can leak into a page. A partner with
PartnerScope rows sees only projects whose commune lies in those départements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from accompagnement.auth.models import User
from accompagnement.auth.queries import partner_scope
from accompagnement.db import utcnow
from accompagnement.engine import Stage, UnknownWorkflow, Workflow
from accompagnement.extensions import db
from accompagnement.partners.stats import StageTime, Step, days_between, reached, stage_times
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.territory.models import Commune, Departement
from accompagnement.workflows.services import get_workflow, registry

DEFAULT_WORKFLOW = "creation-ressourcerie"
PIPELINE_KINDS = ("stage", "final")


@dataclass(frozen=True)
class ProjectRow:
    """A project as a partner sees it: no holder, no form, no comment, no document."""

    id: int
    name: str
    commune: str | None
    departement: str | None
    state: str
    days_in_state: int
    late: bool


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: Any  # an engine Label (fr/en), or the raw key of a stage unknown to the workflow
    count: int


@dataclass(frozen=True)
class Dashboard:
    """Everything the partner dashboard shows for one workflow within one scope."""

    workflow_name: str
    workflow_label: Any
    workflows: list[tuple[str, Any]]
    departements: list[tuple[str, str]]
    departement: str | None
    scoped: bool
    by_stage: list[StageCount]
    by_departement: list[tuple[str, str, int]]
    funnel: list[StageCount]
    times: list[tuple[Any, StageTime]]
    projects: list[ProjectRow]
    stage_labels: dict[str, Any]
    now: datetime = field(default_factory=utcnow)


def _restrict(query: Select, workflow: str, departements: frozenset[str] | None) -> Select:
    query = query.where(Project.workflow_name == workflow)
    if departements is not None:
        query = query.where(Commune.departement_code.in_(sorted(departements)))
    return query


def _project_rows(workflow: str, departements: frozenset[str] | None) -> Sequence[Any]:
    query = select(
        Project.id,
        Project.name,
        Project.state,
        Project.workflow_version,
        Project.state_changed_at,
        Commune.name.label("commune"),
        Commune.departement_code,
    ).outerjoin(Commune, Commune.insee == Project.commune_insee)
    return db.session.execute(_restrict(query, workflow, departements).order_by(Project.name)).all()


def _steps(workflow: str, departements: frozenset[str] | None) -> list[Step]:
    query = (
        select(TransitionRecord.project_id, TransitionRecord.to_state, TransitionRecord.at)
        .join(Project, Project.id == TransitionRecord.project_id)
        .outerjoin(Commune, Commune.insee == Project.commune_insee)
    )
    query = _restrict(query, workflow, departements).order_by(
        TransitionRecord.project_id, TransitionRecord.id
    )
    return [Step(*row) for row in db.session.execute(query)]


def _stages(name: str, versions: set[int]) -> list[Stage]:
    """Return the stages of a workflow: newest version's order, then stages only older have."""
    workflows: list[Workflow] = []
    with suppress(UnknownWorkflow):
        workflows.append(registry().latest(name))
    for version in sorted(versions, reverse=True):
        try:
            workflows.append(get_workflow(name, version))
        except UnknownWorkflow:
            continue
    stages: dict[str, Stage] = {}
    for workflow in workflows:
        for stage in workflow.stages:
            stages.setdefault(stage.key, stage)
    return list(stages.values())


def workflow_choices() -> list[tuple[str, Any]]:
    """Return (name, label) of every workflow known to the files."""
    reg = registry()
    return [(name, reg.latest(name).definition.label) for name in reg.names()]


def pick_workflow(requested: str | None, choices: list[tuple[str, Any]]) -> str:
    """Return the requested workflow when known, else the default one."""
    names = [name for name, _ in choices]
    if requested in names:
        return str(requested)
    if DEFAULT_WORKFLOW in names or not names:
        return DEFAULT_WORKFLOW
    return names[0]


def dashboard(user: User, workflow: str | None = None, departement: str | None = None) -> Dashboard:
    """Gather the dashboard of one workflow as `user` may see it (a constant number of queries)."""
    choices = workflow_choices()
    name = pick_workflow(workflow, choices)
    scope = partner_scope(user)
    all_deps = [(d.code, d.name) for d in db.session.scalars(select(Departement))]
    visible_deps = sorted(
        (code, label) for code, label in all_deps if scope is None or code in scope
    )
    chosen = departement if departement in {c for c, _ in visible_deps} else None
    limit = frozenset({chosen}) if chosen else scope
    rows = _project_rows(name, limit)
    steps = _steps(name, limit)
    stages = _stages(name, {row.workflow_version for row in rows})
    now = utcnow()
    return Dashboard(
        workflow_name=name,
        workflow_label=dict(choices).get(name, name),
        workflows=choices,
        departements=visible_deps,
        departement=chosen,
        scoped=scope is not None,
        by_stage=_by_stage(rows, stages),
        by_departement=_by_departement(rows, dict(all_deps)),
        funnel=_funnel(steps, stages),
        times=_times(steps, stages, now),
        projects=_projects(rows, stages, now),
        stage_labels=_labels(stages),
        now=now,
    )


def _labels(stages: list[Stage]) -> dict[str, Any]:
    return {s.key: s.label for s in stages}


def _by_stage(rows: Sequence[Any], stages: list[Stage]) -> list[StageCount]:
    counts = Counter(row.state for row in rows)
    known = [StageCount(s.key, s.label, counts.get(s.key, 0)) for s in stages]
    unknown = [StageCount(k, k, n) for k, n in sorted(counts.items()) if k not in _labels(stages)]
    return known + unknown


def _by_departement(rows: Sequence[Any], names: dict[str, str]) -> list[tuple[str, str, int]]:
    counts = Counter(row.departement_code or "" for row in rows)
    return [(code, names.get(code, ""), n) for code, n in sorted(counts.items())]


def _funnel(steps: list[Step], stages: list[Stage]) -> list[StageCount]:
    counts = reached(steps)
    return [
        StageCount(s.key, s.label, counts.get(s.key, 0)) for s in stages if s.kind in PIPELINE_KINDS
    ]


def _times(steps: list[Step], stages: list[Stage], now: datetime) -> list[tuple[Any, StageTime]]:
    labels = _labels(stages)
    keys = [s.key for s in stages if s.kind == "stage"]
    return [(labels[t.stage], t) for t in stage_times(steps, now, keys)]


def _projects(rows: Sequence[Any], stages: list[Stage], now: datetime) -> list[ProjectRow]:
    order = {s.key: i for i, s in enumerate(stages)}
    usual = {s.key: s.usual_days for s in stages}
    result = []
    for row in rows:
        days = days_between(row.state_changed_at, now)
        limit = usual.get(row.state)
        result.append(
            ProjectRow(
                id=row.id,
                name=row.name,
                commune=row.commune,
                departement=row.departement_code,
                state=row.state,
                days_in_state=days,
                late=bool(limit) and days > (limit or 0),
            )
        )
    result.sort(key=lambda p: (order.get(p.state, len(order)), p.name.lower()))
    return result
