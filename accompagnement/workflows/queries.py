"""Read queries behind the pathway pages: every version with its publication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from accompagnement.engine import Workflow
from accompagnement.extensions import db
from accompagnement.workflows.models import WorkflowSnapshot
from accompagnement.workflows.services import available


@dataclass(frozen=True)
class VersionRow:
    """A version as the list shows it."""

    workflow: Workflow
    published_at: datetime | None  # None: a file's version not recorded yet
    label_revision: int


def version_rows() -> dict[str, list[VersionRow]]:
    """Return the versions of every pathway the network can use (the shared ones and its own),
    newest first, with when each was published (one query)."""
    published = {
        (name, version): (at, revision)
        for name, version, at, revision in db.session.execute(
            select(
                WorkflowSnapshot.name,
                WorkflowSnapshot.version,
                WorkflowSnapshot.recorded_at,
                WorkflowSnapshot.label_revision,
            )
        )
    }
    rows: dict[str, list[VersionRow]] = {}
    for workflow in reversed(available().all()):
        at, revision = published.get((workflow.name, workflow.version), (None, 0))
        rows.setdefault(workflow.name, []).append(VersionRow(workflow, at, revision))
    return rows
