"""Where projects stand, as SQL: late in their stage, status of their stage, days elapsed.

A stage's usual duration and kind live in the workflow files, not in the database. These helpers
turn every known workflow version into SQL conditions, so that the database filters, counts,
orders and cuts long lists (SQLite and PostgreSQL alike) instead of Python loading every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, and_, case, false, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from accompagnement.engine import DefinitionError, Stage, UnknownWorkflow, Workflow
from accompagnement.projects.models import Project
from accompagnement.workflows.services import get_workflow, registry, snapshot_versions


class days_between(FunctionElement[float]):  # noqa: N801 (an SQL function)
    """Days (with decimals) from a start to an end timestamp."""

    type = Float()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(julianday({end}) - julianday({start}))"


@compiles(days_between, "postgresql")
def _days_postgresql(element: days_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"


class whole_days(FunctionElement[int]):  # noqa: N801 (an SQL function)
    """Whole days elapsed from a start to an end timestamp (as `timedelta.days` when positive)."""

    type = Integer()
    inherit_cache = True
    name = "whole_days"


@compiles(whole_days)
def _whole_days_sqlite(element: whole_days, compiler: Any, **kw: Any) -> str:
    # julianday() is a float: round each side to whole milliseconds first, to stay exact.
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    end_ms, start_ms = (f"CAST(round(julianday({t}) * 86400000) AS INTEGER)" for t in (end, start))
    return f"(({end_ms} - {start_ms}) / 86400000)"


@compiles(whole_days, "postgresql")
def _whole_days_postgresql(element: whole_days, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({end} - {start})) / 86400) AS INTEGER)"


def known_workflows() -> list[Workflow]:
    """Return every workflow version a project may run on: the files' and the snapshots'."""
    found = {(w.name, w.version): w for w in registry().all()}
    for name, version in snapshot_versions():
        if (name, version) not in found:
            with suppress(UnknownWorkflow, DefinitionError):
                found[(name, version)] = get_workflow(name, version)
    return list(found.values())


def in_stage(workflow: Workflow, keys: Iterable[str]) -> ColumnElement[bool]:
    """Say in SQL whether a project runs on this workflow version and is in one of `keys`."""
    return and_(
        Project.workflow_name == workflow.name,
        Project.workflow_version == workflow.version,
        Project.state.in_(sorted(keys)),
    )


def late(workflows: Iterable[Workflow], now: datetime) -> ColumnElement[bool]:
    """Say in SQL whether a project has stayed longer than usual in its stage.

    Same rule as the board's cards: more whole days than the stage's usual duration, that is
    at least usual + 1 days since the project entered its stage.
    """
    cases = [
        and_(
            in_stage(workflow, [stage.key]),
            Project.state_changed_at <= now - timedelta(days=stage.usual_days + 1),
        )
        for workflow in workflows
        for stage in workflow.stages
        if stage.usual_days is not None
    ]
    return or_(false(), *cases)


def in_stages(workflows: Iterable[Workflow], keep: Any) -> ColumnElement[bool]:
    """Say in SQL whether a project is in a stage for which `keep(stage)` is true."""
    cases = []
    for workflow in workflows:
        keys = [stage.key for stage in workflow.stages if keep(stage)]
        if keys:
            cases.append(in_stage(workflow, keys))
    return or_(false(), *cases)


def usual_days(workflows: Iterable[Workflow], keep: Any) -> ColumnElement[Any]:
    """Return, in SQL, the usual days of a project's stage when `keep(stage)`, else NULL."""
    whens: list[tuple[ColumnElement[bool], int]] = [
        (in_stage(workflow, [stage.key]), stage.usual_days)
        for workflow in workflows
        for stage in workflow.stages
        if stage.usual_days is not None and keep(stage)
    ]
    return case(*whens, else_=None) if whens else case((false(), 0), else_=None)


def is_stage(stage: Stage) -> bool:
    """Say whether a stage is an ordinary pathway step (not a hold, not a final outcome)."""
    return stage.kind == "stage"
