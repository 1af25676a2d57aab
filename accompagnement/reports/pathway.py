"""What the accompaniment pathway did in a period: projects per workflow, stage and département,
and the ressourceries that opened with the jobs and tonnes of their first years.

Plain functions over the rows of `reports.queries` (a constant number of queries in all).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from accompagnement.engine import UnknownStage, UnknownWorkflow, Workflow
from accompagnement.observatory.indicators import total_collected
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.observatory.stats import by_stage, stage_table
from accompagnement.reports import queries
from accompagnement.reports.figures import json_number
from accompagnement.reports.queries import NETWORK_TZ, Departements, Opening, ProjectGroup
from accompagnement.workflows.services import latest_workflow

FIRST_YEARS = 3  # an opening's first years: the year it opened and the two after


def _workflow(name: str) -> Workflow | None:
    try:
        return latest_workflow(name)
    except UnknownWorkflow:
        return None


def _on_the_pathway(workflows: Mapping[str, Workflow | None], group: ProjectGroup) -> bool:
    """Say whether a group of projects was accompanied during the period.

    Accompanied: created or moved during the period, or at a pathway stage (not on hold, not
    at a final outcome) when it began.
    """
    if group.moved or group.at_start is None:
        return True
    workflow = workflows.get(group.workflow)
    try:
        return workflow is not None and workflow.stage(group.at_start).kind == "stage"
    except UnknownStage:
        return False


def projects(groups: Sequence[ProjectGroup], names: Mapping[str, str], lang: str) -> dict[str, Any]:
    """Return the projects per workflow and stage at the period's end, and per département.

    `by_stage` comes first, as it always did: every workflow's stages added up by key.
    """
    workflows = {name: _workflow(name) for name in {g.workflow for g in groups}}
    at_end: dict[tuple[str, str], int] = {}
    accompanied: dict[tuple[str, str], int] = {}
    for group in groups:
        key = (group.workflow, group.at_end)
        at_end[key] = at_end.get(key, 0) + group.count
        if _on_the_pathway(workflows, group):
            accompanied[key] = accompanied.get(key, 0) + group.count
    by_workflow: dict[str, Any] = {}
    rows = stage_table(at_end, lang)
    for row in rows:
        entry = by_workflow.setdefault(row.workflow, {"label": row.workflow_label, "stages": []})
        entry["stages"].append({
            "key": row.key, "label": row.label, "count": row.count,
            "accompanied": accompanied.get((row.workflow, row.key), 0),
        })  # fmt: skip
    return {
        "by_stage": by_stage(rows),
        "by_workflow": by_workflow,
        "accompanied": sum(accompanied.values()),
        "by_departement": _by_departement(groups, workflows, names),
    }


def _by_departement(
    groups: Iterable[ProjectGroup],
    workflows: Mapping[str, Workflow | None],
    names: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Count the projects of each département (those without a commune last)."""
    counts: dict[str | None, list[int]] = {}
    for group in groups:
        entry = counts.setdefault(group.departement, [0, 0])
        entry[0] += group.count
        if _on_the_pathway(workflows, group):
            entry[1] += group.count
    order = sorted(counts, key=lambda code: (code is None, code or ""))
    return [
        {"code": code, "name": names.get(code) if code else None,
         "count": counts[code][0], "accompanied": counts[code][1]}
        for code in order
    ]  # fmt: skip


def openings(since: datetime, until: datetime, departements: Departements) -> list[dict[str, Any]]:
    """Return the ressourceries that opened in the period, with their first years' figures."""
    rows = queries.openings(since, until, departements)
    jobs = queries.opening_jobs([row.project_id for row in rows])
    reports = queries.member_reports([row.member_id for row in rows if row.member_id])
    by_member: dict[int, list[ObservatoryReport]] = {}
    for report in reports:
        by_member.setdefault(report.member_id, []).append(report)
    return [
        _opening(row, jobs.get(row.project_id), by_member.get(row.member_id or 0, []))
        for row in rows
    ]


def _opening(row: Opening, jobs: Any, reports: Sequence[ObservatoryReport]) -> dict[str, Any]:
    opened_on = row.opened_at.replace(tzinfo=UTC).astimezone(NETWORK_TZ).date()
    first = [r for r in reports if opened_on.year <= r.year < opened_on.year + FIRST_YEARS]
    return {
        "project": row.project,
        "member": row.member,
        "departement": row.departement,
        "opened_on": opened_on.isoformat(),
        "fte_at_opening": json_number(_decimal(jobs)),
        "first_years": [
            {"year": r.year, "fte": json_number(r.fte), "headcount": r.headcount,
             "collected_t": json_number(total_collected(r.values()))}
            for r in first
        ],
    }  # fmt: skip


def _decimal(value: Any) -> Decimal | None:
    """Read a number saved in a form (text or number); None when it is not one."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
