"""Turn the dates a network typed in (one per stage entered) into a path through a workflow.

The path visits the dated stages in the workflow's order (pathway stages and outcomes in the
order of the file, then side states such as a pause or an abandonment); each step must be a move
the workflow allows (guards are not asked: the history already happened), dates never go back,
it starts at the initial stage and ends at the project's current stage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _

from accompagnement.engine import Workflow
from accompagnement.engine.graph import Edge, edges
from accompagnement.engine.machine import next_return_state

DATE_PREFIX = "date_"
REASON_PREFIX = "reason_"


@dataclass(frozen=True)
class Step:
    """One past move: the stage entered, when, by which trigger, and why."""

    trigger: str
    source: str | None
    dest: str
    return_state: str | None
    at: dt.date
    reason: str | None


@dataclass(frozen=True)
class Problem:
    """What is wrong, and in which column."""

    column: str
    message: str


def date_column(stage: str) -> str:
    return DATE_PREFIX + stage


def reason_column(stage: str) -> str:
    return REASON_PREFIX + stage


def _order(workflow: Workflow) -> dict[str, tuple[bool, int]]:
    return {s.key: (s.kind == "hold", i) for i, s in enumerate(workflow.stages)}


def _edge(workflow: Workflow, source: str, dest: str, return_state: str | None) -> Edge | None:
    for edge in edges(workflow.definition):
        same = edge.source == source and edge.dest == dest
        if same and (not edge.via_return or return_state == dest):
            return edge
    return None


def build_path(
    workflow: Workflow, current: str, dates: dict[str, dt.date], reasons: dict[str, str]
) -> tuple[list[Step], list[Problem]]:
    """Check the dated stages of one project against its workflow; return its steps or problems."""
    order = _order(workflow)
    problems = [
        Problem(reason_column(stage), _("a reason without the date this stage was entered"))
        for stage in reasons
        if stage not in dates
    ]
    if current not in dates:
        problems.append(
            Problem(date_column(current), _("the date the current stage was entered is missing"))
        )
    if workflow.initial not in dates:
        problems.append(
            Problem(date_column(workflow.initial), _("the date the project started is missing"))
        )
    later = [s for s in dates if order[s] > order[current]]
    problems += [
        Problem(
            date_column(stage),
            _("a date for a stage after the current one (%(stage)s)", stage=current),
        )
        for stage in later
    ]
    if problems:
        return [], problems
    path = sorted(dates, key=lambda s: (s != workflow.initial, order[s]))
    return _walk(workflow, path, dates, reasons)


def _walk(
    workflow: Workflow, path: list[str], dates: dict[str, dt.date], reasons: dict[str, str]
) -> tuple[list[Step], list[Problem]]:
    kinds = {s.key: s.kind for s in workflow.stages}
    first = path[0]
    steps = [Step("create", None, first, None, dates[first], reasons.get(first))]
    problems: list[Problem] = []
    return_state: str | None = None
    for source, dest in zip(path, path[1:], strict=False):
        column = date_column(dest)
        if dates[dest] < dates[source]:
            problems.append(
                Problem(column, _("earlier than %(column)s", column=date_column(source)))
            )
        edge = _edge(workflow, source, dest, return_state)
        if edge is None:
            problems.append(
                Problem(
                    column,
                    _(
                        "the workflow has no move from %(source)s to %(dest)s: "
                        "give the date of the stage in between",
                        source=source,
                        dest=dest,
                    ),
                )
            )
            continue
        reason = reasons.get(dest)
        if edge.transition.reason == "required" and not reason:
            problems.append(Problem(reason_column(dest), _("a reason is required for this move")))
        return_state = next_return_state(kinds, source, dest, return_state)
        steps.append(Step(edge.transition.trigger, source, dest, return_state, dates[dest], reason))
    return steps, problems
