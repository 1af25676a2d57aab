"""Read queries of the partner dashboard: pipeline figures without any personal data.

Only non-personal columns are ever selected (project name, commune, département, stage, dates):
no holder, form, comment or document is loaded, so none can leak into a page. A partner with
PartnerScope rows sees only projects whose commune lies in those départements.

The figures are computed by the database, on SQLite and PostgreSQL alike: counts by GROUP BY,
the funnel and the median time per stage from `stage_entries` (the days each project spent in
each state, kept with its transitions: `projects/stageentries.py`), a median being the middle
row of a stage's entries read in order. The project list is read a page at a time, so the page
costs about the same for ten projects as for ten thousand. `stats` holds the same rules in
Python, from the transition records, as their reference.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    DateTime,
    Select,
    bindparam,
    case,
    func,
    literal_column,
    select,
    union_all,
)

from accompagnement.auth.models import User
from accompagnement.auth.queries import partner_scope
from accompagnement.db import utcnow
from accompagnement.engine import Stage, UnknownWorkflow, Workflow
from accompagnement.extensions import db
from accompagnement.pagination import PER_PAGE, Page, clamp
from accompagnement.partners.stats import StageTime, days_between
from accompagnement.projects.models import Project, StageEntry
from accompagnement.projects.stagesql import days_between as sql_days
from accompagnement.territory.models import Commune, Departement
from accompagnement.workflows.services import available, get_workflow

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


def _in_scope(query: Select, departements: frozenset[str] | None) -> Select:
    if departements is None:
        return query
    return query.where(Commune.departement_code.in_(sorted(departements)))


def _counts(workflow: str, departements: frozenset[str] | None) -> Sequence[Any]:
    """Count the projects by state, workflow version and département, in one pass."""
    query = (
        select(Project.state, Project.workflow_version, Commune.departement_code, func.count())
        .outerjoin(Commune, Commune.insee == Project.commune_insee)
        .where(Project.workflow_name == workflow)
        .group_by(Project.state, Project.workflow_version, Commune.departement_code)
    )
    return db.session.execute(_in_scope(query, departements)).all()


def _entries_of(workflow: str, departements: frozenset[str] | None) -> list[ColumnElement[bool]]:
    """Say in SQL which stage entries belong to the dashboard's projects."""
    where = [StageEntry.workflow_name == workflow]
    if departements is not None:
        scoped = select(Project.id).join(Commune, Commune.insee == Project.commune_insee)
        where.append(StageEntry.project_id.in_(_in_scope(scoped, departements)))
    return where


def _reached(workflow: str, departements: frozenset[str] | None) -> dict[str, tuple[int, int]]:
    """Count, for each state, the projects that entered it at least once, and those still in it."""
    query = (
        select(StageEntry.stage, func.count(), func.count(StageEntry.since))
        .where(*_entries_of(workflow, departements))
        .group_by(StageEntry.stage)
    )
    return {stage: (n, ongoing) for stage, n, ongoing in db.session.execute(query)}


def _stage_times(
    workflow: str,
    departements: frozenset[str] | None,
    now: datetime,
    reached: dict[str, tuple[int, int]],
) -> dict[str, StageTime]:
    """Return the median days spent in each stage of `reached` (projects still there count so
    far), reading only the one or two middle entries of each stage in order (one statement)."""
    stages = list(reached)
    if not stages:
        return {}
    params: dict[str, Any] = {"workflow": workflow, "now": now}
    if departements is not None:
        params["departements"] = sorted(departements)
    for i, stage in enumerate(stages):
        n = reached[stage][0]  # the middle one, or the two middle ones of an even count
        params.update({f"stage_{i}": stage, f"take_{i}": 2 - n % 2, f"skip_{i}": (n - 1) // 2})
    found: dict[str, list[float]] = defaultdict(list)
    query = _medians_query(len(stages), departements is not None)
    for i, days in db.session.execute(query, params):
        found[stages[i]].append(days)
    return {
        stage: StageTime(stage, sum(days) / len(days), *reached[stage])
        for stage, days in found.items()
    }


@cache
def _medians_query(stages: int, scoped: bool) -> CompoundSelect:
    # Built once for each shape: building it cost more than running it.
    where = [StageEntry.workflow_name == bindparam("workflow")]
    if scoped:
        codes: BindParameter[list[str]] = bindparam("departements", expanding=True)
        ids = select(Project.id).join(Commune, Commune.insee == Project.commune_insee)
        where.append(StageEntry.project_id.in_(ids.where(Commune.departement_code.in_(codes))))
    return union_all(*(_middle(i, where) for i in range(stages)))


def _middle(i: int, where: list[ColumnElement[bool]]) -> Select:
    # The entries of stage i in order of days: the finished ones straight from the index, the
    # ones under way (their days grow with `now`) sorted apart, the two merged by the database;
    # then the middle one or two of them.
    mine = (*where, StageEntry.stage == bindparam(f"stage_{i}"))
    running = sql_days(StageEntry.since, bindparam("now", type_=DateTime()))
    finished = select(StageEntry.days.label("days")).where(*mine, StageEntry.since.is_(None))
    ongoing = select(
        (StageEntry.days + case((running > 0, running), else_=0.0)).label("days")
    ).where(*mine, StageEntry.since.is_not(None))
    ordered = union_all(finished, ongoing).order_by("days")
    middle = ordered.limit(bindparam(f"take_{i}")).offset(bindparam(f"skip_{i}")).subquery()
    return select(literal_column(str(i)).label("part"), middle.c.days)


def _project_page(
    workflow: str,
    departements: frozenset[str] | None,
    stages: list[Stage],
    page: Page,
    per_state: dict[str, int],
) -> Sequence[Any]:
    """Return one page of projects in pathway order, then by name (communes joined last).

    The counts per state say which stages the page falls in: only their projects are sorted.
    """
    wanted, skip = _page_states(stages, page, per_state)
    if not wanted:
        return []
    position = case(
        {s.key: i for i, s in enumerate(stages)}, value=Project.state, else_=len(stages)
    )
    ranked = select(
        Project.id,
        Project.name,
        Project.state,
        Project.state_changed_at,
        Project.commune_insee,
        position.label("position"),
        func.lower(Project.name).label("sort_name"),
    ).where(Project.workflow_name == workflow, Project.state.in_(wanted))
    if departements is not None:
        ranked = _in_scope(
            ranked.join(Commune, Commune.insee == Project.commune_insee), departements
        )
    order = (position, func.lower(Project.name), Project.id)
    shown = ranked.order_by(*order).offset(skip).limit(page.per_page).subquery()
    query = (
        select(
            shown.c.id,
            shown.c.name,
            shown.c.state,
            shown.c.state_changed_at,
            Commune.name.label("commune"),
            Commune.departement_code,
        )
        .outerjoin(Commune, Commune.insee == shown.c.commune_insee)
        .order_by(shown.c.position, shown.c.sort_name, shown.c.id)
    )
    return db.session.execute(query).all()


def _page_states(
    stages: list[Stage], page: Page, per_state: dict[str, int]
) -> tuple[list[str], int]:
    """Return the states whose projects fill the page, and how many of theirs come before it."""
    keys = [s.key for s in stages]
    groups = [[key] for key in keys] + [sorted(set(per_state) - set(keys))]  # unknown: last
    wanted: list[str] = []
    skip, start, end = 0, page.offset, page.offset + page.per_page
    before = 0
    for group in groups:
        size = sum(per_state.get(state, 0) for state in group)
        if size and before < end and before + size > start:
            skip = skip if wanted else start - before
            wanted.extend(group)
        before += size
    return wanted, skip


def _stages(name: str, versions: set[int]) -> list[Stage]:
    """Return the stages of a workflow: newest version's order, then stages only older have."""
    workflows: list[Workflow] = []
    with suppress(UnknownWorkflow):
        workflows.append(available().latest(name))
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
    """Return (name, label) of every workflow the network can use (shared and its own)."""
    reg = available()
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
    counts = _counts(name, limit)
    stages = _stages(name, {version for _state, version, _dep, _n in counts})
    per_state = _per_state(counts)
    by_stage = _by_stage(per_state, stages)
    shown = clamp(page, sum(s.count for s in by_stage), per_page)
    now = utcnow()
    reached = _reached(name, limit) if figures else {}
    return Dashboard(
        workflow_name=name,
        workflow_label=dict(choices).get(name, name),
        workflows=choices,
        departements=visible_deps,
        departement=chosen,
        scoped=scope is not None,
        by_stage=by_stage,
        by_departement=_by_departement(counts, all_deps),
        funnel=_funnel(reached, stages) if figures else [],
        times=_times(name, limit, stages, now, reached) if figures else [],
        projects=_projects(_project_page(name, limit, stages, shown, per_state), stages, now),
        stage_labels=_labels(stages),
        page=shown,
        now=now,
    )


def _labels(stages: list[Stage]) -> dict[str, Any]:
    return {s.key: s.label for s in stages}


def _per_state(counts: Sequence[Any]) -> dict[str, int]:
    per_state: dict[str, int] = defaultdict(int)
    for state, _version, _departement, count in counts:
        per_state[state] += count
    return dict(per_state)


def _by_stage(per_state: dict[str, int], stages: list[Stage]) -> list[StageCount]:
    known = [StageCount(s.key, s.label, per_state.get(s.key, 0)) for s in stages]
    labels = _labels(stages)
    unknown = [StageCount(k, k, n) for k, n in sorted(per_state.items()) if k not in labels]
    return known + unknown


def _by_departement(counts: Sequence[Any], names: dict[str, str]) -> list[tuple[str, str, int]]:
    per_code: dict[str, int] = defaultdict(int)
    for _state, _version, code, count in counts:
        per_code[code or ""] += count
    return [(code, names.get(code, ""), n) for code, n in sorted(per_code.items())]


def _funnel(reached: dict[str, tuple[int, int]], stages: list[Stage]) -> list[StageCount]:
    return [
        StageCount(s.key, s.label, reached.get(s.key, (0, 0))[0])
        for s in stages
        if s.kind in PIPELINE_KINDS
    ]


def _times(
    workflow: str,
    departements: frozenset[str] | None,
    stages: list[Stage],
    now: datetime,
    reached: dict[str, tuple[int, int]],
) -> list[tuple[Any, StageTime]]:
    keys = [s.key for s in stages if s.kind == "stage" and s.key in reached]
    found = _stage_times(workflow, departements, now, {key: reached[key] for key in keys})
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


@dataclass(frozen=True)
class Pipeline:
    """One workflow's pipeline figures over every project the current network scope reaches:
    projects by stage now, the funnel, the median time in each stage (no project listed)."""

    by_stage: list[StageCount]
    funnel: list[StageCount]
    times: list[tuple[Any, StageTime]]


def pipeline(workflow: str) -> Pipeline:
    """Gather one workflow's pipeline figures in 3 queries (the national pages, per network)."""
    counts = _counts(workflow, None)
    stages = _stages(workflow, {version for _state, version, _dep, _n in counts})
    reached = _reached(workflow, None)
    return Pipeline(
        by_stage=_by_stage(_per_state(counts), stages),
        funnel=_funnel(reached, stages),
        times=_times(workflow, None, stages, utcnow(), reached),
    )
