"""Read queries of the partner dashboard: pipeline figures without any personal data.

Only non-personal columns are ever selected (project name, commune, département, stage, dates):
no holder, form, comment or document is loaded, so none can leak into a page. A partner with
PartnerScope rows sees only projects whose commune lies in those départements.

The figures are computed by the database (GROUP BY and window functions, on SQLite and
PostgreSQL alike) and the project list is read a page at a time, so the page costs the same
for ten projects as for ten thousand. `stats` holds the same rules in Python, as their reference.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select

from accompagnement.auth.models import User
from accompagnement.auth.queries import partner_scope
from accompagnement.db import utcnow
from accompagnement.engine import Stage, UnknownWorkflow, Workflow
from accompagnement.extensions import db
from accompagnement.pagination import PER_PAGE, Page, clamp
from accompagnement.partners.stats import StageTime, days_between
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.projects.stagesql import days_between as sql_days
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
    page: Page = field(default_factory=lambda: Page(1, 0))
    now: datetime = field(default_factory=utcnow)

    @property
    def total(self) -> int:
        """Count the projects of the dashboard (all pages)."""
        return sum(s.count for s in self.by_stage)


def _restrict(query: Select, workflow: str, departements: frozenset[str] | None) -> Select:
    query = query.where(Project.workflow_name == workflow)
    if departements is not None:
        query = query.where(Commune.departement_code.in_(sorted(departements)))
    return query


def _scoped(query: Select, workflow: str, departements: frozenset[str] | None) -> Select:
    query = query.outerjoin(Commune, Commune.insee == Project.commune_insee)
    return _restrict(query, workflow, departements)


def _stage_counts(workflow: str, departements: frozenset[str] | None) -> Sequence[Any]:
    query = select(Project.state, Project.workflow_version, func.count()).group_by(
        Project.state, Project.workflow_version
    )
    return db.session.execute(_scoped(query, workflow, departements)).all()


def _departement_counts(workflow: str, departements: frozenset[str] | None) -> Sequence[Any]:
    query = select(Commune.departement_code, func.count()).select_from(Project)
    query = _scoped(query.group_by(Commune.departement_code), workflow, departements)
    return db.session.execute(query).all()


def _reached(workflow: str, departements: frozenset[str] | None) -> dict[str, int]:
    """Count, for each state, the projects that entered it at least once."""
    query = (
        select(TransitionRecord.to_state, func.count(TransitionRecord.project_id.distinct()))
        .join(Project, Project.id == TransitionRecord.project_id)
        .group_by(TransitionRecord.to_state)
    )
    rows = db.session.execute(_scoped(query, workflow, departements))
    return {state: count for state, count in rows}


def _stage_times(
    workflow: str, departements: frozenset[str] | None, now: datetime, keys: list[str]
) -> dict[str, StageTime]:
    """Return the median days spent in each of `keys` (projects still there count so far)."""
    following = func.lead(TransitionRecord.at).over(
        partition_by=TransitionRecord.project_id, order_by=TransitionRecord.id
    )
    steps = select(
        TransitionRecord.project_id, TransitionRecord.to_state, TransitionRecord.at
    ).add_columns(following.label("next_at"))
    steps = _scoped(
        steps.join(Project, Project.id == TransitionRecord.project_id), workflow, departements
    )
    s = steps.subquery()
    span = sql_days(s.c.at, func.coalesce(s.c.next_at, now))
    spent = (
        select(
            s.c.project_id,
            s.c.to_state,
            func.sum(case((span > 0, span), else_=0.0)).label("days"),
            func.max(case((s.c.next_at.is_(None), 1), else_=0)).label("ongoing"),
        )
        .where(s.c.to_state.in_(keys))
        .group_by(s.c.project_id, s.c.to_state)
        .subquery()
    )
    ranked = select(
        spent.c.to_state,
        spent.c.days,
        spent.c.ongoing,
        func.row_number().over(partition_by=spent.c.to_state, order_by=spent.c.days).label("rn"),
        func.count().over(partition_by=spent.c.to_state).label("n"),
    ).subquery()
    middle = ranked.c.rn.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2])
    query = select(
        ranked.c.to_state,
        func.avg(case((middle, ranked.c.days))),
        func.max(ranked.c.n),
        func.sum(ranked.c.ongoing),
    ).group_by(ranked.c.to_state)
    rows = db.session.execute(query)
    return {state: StageTime(state, float(days), n, int(on)) for state, days, n, on in rows}


def _project_page(
    workflow: str,
    departements: frozenset[str] | None,
    stages: list[Stage],
    page: Page,
) -> Sequence[Any]:
    order = case({s.key: i for i, s in enumerate(stages)}, value=Project.state, else_=len(stages))
    query = select(
        Project.id,
        Project.name,
        Project.state,
        Project.state_changed_at,
        Commune.name.label("commune"),
        Commune.departement_code,
    )
    query = _scoped(query, workflow, departements)
    query = query.order_by(order, func.lower(Project.name), Project.id)
    return db.session.execute(query.offset(page.offset).limit(page.per_page)).all()


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


def dashboard(
    user: User,
    workflow: str | None = None,
    departement: str | None = None,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    figures: bool = True,
) -> Dashboard:
    """Gather the dashboard of one workflow as `user` may see it (a constant number of queries).

    The project list holds one page (`per_page` rows); without `figures`, the funnel and the
    times are left empty (the partner's home shows only the counts).
    """
    choices = workflow_choices()
    name = pick_workflow(workflow, choices)
    scope = partner_scope(user)
    all_deps: dict[str, str] = {
        c: n for c, n in db.session.execute(select(Departement.code, Departement.name))
    }
    visible_deps = sorted(
        (code, label) for code, label in all_deps.items() if scope is None or code in scope
    )
    chosen = departement if departement in {c for c, _ in visible_deps} else None
    limit = frozenset({chosen}) if chosen else scope
    counts = _stage_counts(name, limit)
    stages = _stages(name, {version for _state, version, _n in counts})
    by_stage = _by_stage(counts, stages)
    shown = clamp(page, sum(s.count for s in by_stage), per_page)
    now = utcnow()
    return Dashboard(
        workflow_name=name,
        workflow_label=dict(choices).get(name, name),
        workflows=choices,
        departements=visible_deps,
        departement=chosen,
        scoped=scope is not None,
        by_stage=by_stage,
        by_departement=_by_departement(_departement_counts(name, limit), all_deps),
        funnel=_funnel(_reached(name, limit), stages) if figures else [],
        times=_times(name, limit, stages, now) if figures else [],
        projects=_projects(_project_page(name, limit, stages, shown), stages, now),
        stage_labels=_labels(stages),
        page=shown,
        now=now,
    )


def _labels(stages: list[Stage]) -> dict[str, Any]:
    return {s.key: s.label for s in stages}


def _by_stage(counts: Sequence[Any], stages: list[Stage]) -> list[StageCount]:
    per_state: dict[str, int] = defaultdict(int)
    for state, _version, count in counts:
        per_state[state] += count
    known = [StageCount(s.key, s.label, per_state.get(s.key, 0)) for s in stages]
    labels = _labels(stages)
    unknown = [StageCount(k, k, n) for k, n in sorted(per_state.items()) if k not in labels]
    return known + unknown


def _by_departement(counts: Sequence[Any], names: dict[str, str]) -> list[tuple[str, str, int]]:
    per_code: dict[str, int] = defaultdict(int)
    for code, count in counts:
        per_code[code or ""] += count
    return [(code, names.get(code, ""), n) for code, n in sorted(per_code.items())]


def _funnel(counts: dict[str, int], stages: list[Stage]) -> list[StageCount]:
    return [
        StageCount(s.key, s.label, counts.get(s.key, 0)) for s in stages if s.kind in PIPELINE_KINDS
    ]


def _times(
    workflow: str, departements: frozenset[str] | None, stages: list[Stage], now: datetime
) -> list[tuple[Any, StageTime]]:
    keys = [s.key for s in stages if s.kind == "stage"]
    found = _stage_times(workflow, departements, now, keys) if keys else {}
    labels = _labels(stages)
    return [(labels[key], found[key]) for key in keys if key in found]


def _projects(rows: Sequence[Any], stages: list[Stage], now: datetime) -> list[ProjectRow]:
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
    return result
