"""Rows of the API's queries as the API's models (no queries here)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from accompagnement.api import schemas
from accompagnement.engine import Stage, UnknownStage, UnknownWorkflow
from accompagnement.i18n import label
from accompagnement.pagination import Page
from accompagnement.partners.stats import days_between
from accompagnement.workflows.services import get_workflow


def _stage(workflow: str, version: int, key: str) -> Stage | None:
    with suppress(UnknownWorkflow, UnknownStage):
        return get_workflow(workflow, version).stage(key)
    return None


def project(row: Any, now: datetime) -> schemas.Project:
    """Return a project row of `api.queries` as the API shows it."""
    stage = _stage(row.workflow_name, row.workflow_version, row.state)
    days = days_between(row.state_changed_at, now)
    usual = stage.usual_days if stage is not None else None
    return schemas.Project(
        id=row.id,
        name=row.name,
        workflow=row.workflow_name,
        workflow_version=row.workflow_version,
        stage=row.state,
        stage_label=label(stage.label) if stage is not None else row.state,
        stage_since=row.state_changed_at.replace(tzinfo=UTC),
        days_in_stage=days,
        late=bool(usual) and days > (usual or 0),
        commune=row.commune,
        departement=row.departement_code,
    )


def pagination(page: Page) -> schemas.Pagination:
    """Return where a page stands in its list."""
    return schemas.Pagination(
        page=page.number, limit=page.per_page, total=page.total, pages=page.pages
    )


def moves(rows: Sequence[Any]) -> list[schemas.Move]:
    """Return a project's transitions, without who made them or why."""
    return [
        schemas.Move(
            trigger=r.trigger,
            from_stage=r.from_state,
            to_stage=r.to_state,
            at=r.at.replace(tzinfo=UTC),
        )
        for r in rows
    ]
