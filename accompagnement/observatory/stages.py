"""Name and order the stages projects are in, for the regional view and the report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from accompagnement.engine import UnknownWorkflow, Workflow
from accompagnement.workflows.services import latest_workflow, registry

DEFAULT_PATHWAY = "creation-ressourcerie"
OPENED_STATE = "ouverte"


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
    if DEFAULT_PATHWAY in registry().names():
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
    names = sorted(registry().names(), key=lambda n: (n != DEFAULT_PATHWAY, n))
    labels: dict[str, str] = {}
    for name in names:
        workflow = _latest(name)
        for stage in workflow.stages if workflow else ():
            labels.setdefault(stage.key, stage.label.get(locale))
    return labels
