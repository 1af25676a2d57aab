"""Move the projects of a pathway to a version: the preview, then the confirmed move."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from accompagnement import engine
from accompagnement.access import Role, roles
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.i18n import label
from accompagnement.pagination import clamp, page_number
from accompagnement.projects import moves as service
from accompagnement.projects.forms import ConfirmForm, move_form
from accompagnement.projects.models import Project
from accompagnement.projects.views.blueprint import Page, bp
from accompagnement.transaction import commits, refusal
from accompagnement.workflows.services import available

PER_PAGE = 50


@dataclass(frozen=True)
class MoveRow:
    """One project of the preview: where it is, and where it would land."""

    project_id: int
    name: str
    version: int
    stage: str
    lands: str | None
    return_stage: str | None
    return_lands: str | None


@bp.route("/moves/<name>/<int:version>")
@roles(Role.COORDINATOR)
def moves(name: str, version: int) -> Page:
    """Preview where each project of a pathway would land in a version (nothing moves)."""
    target, form, mapping = _form(name, version, preview=True)
    with refusal(InvalidInput) as refused:
        return _page(name, target, form, mapping)
    flash(refused.error.message, "error")
    return _page(name, target, form, {}, status=400)


@bp.route("/moves/<name>/<int:version>", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def move(name: str, version: int) -> Page:
    """Move the projects as previewed, in one transaction."""
    target, form, mapping = _form(name, version, preview=False)
    if not form.validate_on_submit():
        return _page(name, target, form, mapping, status=400)
    with refusal(InvalidInput) as refused:
        done = service.move(name, version, mapping, user_id=current_user.id)
        flash(
            _(
                "%(moved)s project(s) moved to version %(version)s; %(stayed)s stay(s).",
                moved=len(done.movable),
                version=version,
                stayed=len(done.refused),
            ),
            "success",
        )
        return redirect(url_for("workflows.version", name=name, version=version))
    flash(refused.error.message, "error")
    return _page(name, target, form, {}, status=400)


def _form(name: str, version: int, *, preview: bool) -> tuple[engine.Workflow, Any, dict[str, str]]:
    """Build the mapping form of the stages the target lacks; read the mapping it holds."""
    target = service.target_workflow(name, version)
    vanished = service.vanished(name, version)
    older = _older_labels(name, version)
    pairs = [(key, older.get(key, key)) for key in vanished]
    stages = [(s.key, label(s.label)) for s in target.stages]
    form = move_form(pairs, stages, preview=preview)
    mapping = {key: getattr(form, f"map_{key}").data or "" for key in vanished}
    return target, form, mapping


def _older_labels(name: str, version: int) -> dict[str, str]:
    """Label every stage key of the other versions of a pathway (newest wording first)."""
    labels: dict[str, str] = {}
    for workflow in reversed(available().all()):
        if workflow.name == name and workflow.version != version:
            for stage in workflow.stages:
                labels.setdefault(stage.key, label(stage.label))
    return labels


def _page(
    name: str, target: engine.Workflow, form: Any, mapping: dict[str, str], status: int = 200
) -> tuple[str, int]:
    """Draw the preview: counts by stage, the mapping form, a page of projects."""
    plan = service.plan(name, target.version, mapping)
    page = clamp(page_number(request.args), len(plan.landings), PER_PAGE)
    shown = plan.landings[page.offset : page.offset + PER_PAGE]
    now, then = plan.counts()
    older = _older_labels(name, target.version)
    stage_label = {**older, **{s.key: label(s.label) for s in target.stages}}
    body = render_template(
        "projects/moves.html",
        target=target,
        form=form,
        confirm=ConfirmForm(formdata=None),
        mapping={k: v for k, v in mapping.items() if v},
        plan=plan,
        page=page,
        rows=_rows(shown),
        now=sorted(now.items(), key=lambda item: -item[1]),
        then=sorted(then.items(), key=lambda item: -item[1]),
        stage_label=stage_label,
    )
    return body, status


def _rows(landings: list[engine.Landing[int]]) -> list[MoveRow]:
    """Name the projects of one page (one query)."""
    ids = [landing.project_id for landing in landings]
    found = {
        project_id: (name, version)
        for project_id, name, version in db.session.execute(
            select(Project.id, Project.name, Project.workflow_version).where(Project.id.in_(ids))
        )
    }
    rows = []
    for x in landings:
        name, version = found.get(x.project_id, ("", 0))
        rows.append(
            MoveRow(x.project_id, name, version, x.state, x.lands, x.return_state, x.return_lands)
        )
    return rows
