"""Figures of the regional view computed in plain Python (no queries here): the totals of the
members' reports, and the projects counted per stage, named and ordered by their workflow."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from accompagnement.engine import UnknownWorkflow, Workflow
from accompagnement.observatory.indicators import (
    BY_KEY,
    KEYS,
    OUTGOING,
    RECOVERY,
    REUSE,
    percent,
    ratio,
    sum_of,
    total_collected,
)
from accompagnement.workflows.services import available, latest_workflow

DEFAULT_PATHWAY = "creation-ressourcerie"
OPENED_STATE = "ouverte"


@dataclass
class Totals:
    """The sum of several reports, with rates computed only where their inputs were given.

    Rates use only the reports that gave both the tonnes collected and at least one outgoing
    figure; the average basket only those that gave both turnover and number of sales; the
    share of women is weighted by headcount.
    """

    reports: int = 0
    sums: dict[str, Any] = field(default_factory=dict)
    total_collected: Decimal = Decimal(0)
    reuse_rate: Decimal | None = None
    recovery_rate: Decimal | None = None
    average_basket: Decimal | None = None
    women_percent: Decimal | None = None


def _zero(key: str) -> Any:
    return 0 if BY_KEY[key].places == 0 else Decimal(0)


def aggregate(reports: Iterable[Mapping[str, Any]]) -> Totals:
    """Add up the values of several reports (each a mapping of indicator -> value or None)."""
    rows = list(reports)
    sums = {key: sum((r[key] for r in rows if r.get(key) is not None), _zero(key)) for key in KEYS}
    collected = [total_collected(r) for r in rows]
    with_outgoing = [
        (r, c)
        for r, c in zip(rows, collected, strict=True)
        if c is not None and sum_of(r, OUTGOING) is not None
    ]
    base = sum((c for _, c in with_outgoing), Decimal(0))
    reuse = sum((sum_of(r, REUSE) or Decimal(0) for r, _ in with_outgoing), Decimal(0))
    recovery = sum((sum_of(r, RECOVERY) or Decimal(0) for r, _ in with_outgoing), Decimal(0))
    selling = [r for r in rows if r.get("turnover") is not None and r.get("sales_count")]
    staffed = [r for r in rows if r.get("women_percent") is not None and r.get("headcount")]
    headcount = sum((Decimal(r["headcount"]) for r in staffed), Decimal(0))
    women = sum((Decimal(r["headcount"]) * r["women_percent"] / 100 for r in staffed), Decimal(0))
    return Totals(
        reports=len(rows),
        sums=sums,
        total_collected=sum((c for c in collected if c is not None), Decimal(0)),
        reuse_rate=percent(reuse, base) if with_outgoing else None,
        recovery_rate=percent(recovery, base) if with_outgoing else None,
        average_basket=ratio(
            sum((r["turnover"] for r in selling), Decimal(0)),
            Decimal(sum(r["sales_count"] for r in selling)),
        ),
        women_percent=percent(women, headcount) if staffed else None,
    )


@dataclass(frozen=True)
class StageCount:
    """How many projects of a workflow are in one stage."""

    workflow: str
    workflow_label: str
    key: str
    label: str
    count: int


def _latest(name: str) -> Workflow | None:
    try:
        return latest_workflow(name)
    except UnknownWorkflow:
        return None


def _names(counts: Mapping[tuple[str, str], int]) -> list[str]:
    """Return the workflows to show: the default pathway, then every one with projects."""
    names = {name for name, _ in counts}
    if DEFAULT_PATHWAY in available().names():
        names.add(DEFAULT_PATHWAY)
    return sorted(names, key=lambda n: (n != DEFAULT_PATHWAY, n))


def stage_table(counts: Mapping[tuple[str, str], int], locale: str) -> list[StageCount]:
    """Return a row per stage of each workflow in definition order, zeros included.

    States no longer in the newest version of a workflow come last, under their key.
    """
    rows: list[StageCount] = []
    for name in _names(counts):
        workflow = _latest(name)
        known = [s.key for s in workflow.stages] if workflow else []
        extra = sorted(state for n, state in counts if n == name and state not in known)
        wf_label = workflow.label(locale) if workflow else name
        for key in known + extra:
            label = workflow.stage(key).label.get(locale) if key in known and workflow else key
            rows.append(StageCount(name, wf_label, key, label, counts.get((name, key), 0)))
    return rows


def by_stage(rows: list[StageCount]) -> dict[str, int]:
    """Flatten stage rows to {stage key: projects}, adding up keys shared by workflows."""
    flat: dict[str, int] = {}
    for row in rows:
        flat[row.key] = flat.get(row.key, 0) + row.count
    return flat


def all_stage_labels(locale: str) -> dict[str, str]:
    """Return the label of every stage key of the known workflows (default pathway first)."""
    names = sorted(available().names(), key=lambda n: (n != DEFAULT_PATHWAY, n))
    labels: dict[str, str] = {}
    for name in names:
        workflow = _latest(name)
        for stage in workflow.stages if workflow else ():
            labels.setdefault(stage.key, stage.label.get(locale))
    return labels
