"""The coordinators' pipeline board and the holders' list of their projects."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accompagnement.access import Role, roles
from accompagnement.engine import UnknownWorkflow, Workflow
from accompagnement.i18n import current_language
from accompagnement.network import queries as network_queries
from accompagnement.projects import board, forms, queries, services
from accompagnement.projects.models import Project
from accompagnement.projects.views.blueprint import EDITORS, Page, bp
from accompagnement.workflows.services import latest_workflow, registry


def _latest_for(project: Project) -> Workflow:
    try:
        return latest_workflow(project.workflow_name)
    except UnknownWorkflow:
        return services.workflow_of(project)


@bp.route("/", endpoint="board")
@roles(Role.COORDINATOR)
def pipeline() -> Page:
    """Show the pipeline: one column per stage, filtered by the query string."""
    form = forms.BoardFilterForm(request.args)
    _filter_choices(form)
    projects = queries.board_projects(
        workflow_name=form.workflow.data or None,
        departement=form.departement.data or None,
        stage=form.stage.data or None,
        search=(form.q.data or "")[:100] or None,
    )
    status = form.status.data if form.status.data in board.STATUSES else ""
    sections = board.build_board(projects, services.workflow_of, _latest_for, status=status)
    filtered = any(request.args.get(k) for k in ("workflow", "departement", "stage", "status", "q"))
    return render_template("projects/board.html", form=form, sections=sections, filtered=filtered)


def _filter_choices(form: forms.BoardFilterForm) -> None:
    locale = current_language()
    workflows = [latest_workflow(name) for name in registry().names()]
    form.workflow.choices = forms.choices(
        [("", _("All")), *[(w.name, w.label(locale)) for w in workflows]]
    )
    form.departement.choices = forms.choices(
        [
            ("", _("All")),
            *[(d.code, f"{d.name} ({d.code})") for d in network_queries.departements()],
        ]
    )
    stages: dict[str, str] = {}
    for workflow in workflows:
        if form.workflow.data in ("", None, workflow.name):
            for stage in workflow.stages:
                stages.setdefault(stage.key, stage.label.get(locale))
    form.stage.choices = forms.choices([("", _("All")), *stages.items()])
    form.status.choices = forms.choices((key, str(text)) for key, text in forms.STATUS_CHOICES)


@bp.route("/mine")
@roles(*EDITORS)
def mine() -> Page:
    """List the projects of the signed-in holder."""
    if current_user.role == Role.COORDINATOR:
        return redirect(url_for("projects.board"))
    projects = queries.projects_for_list(current_user)
    now = board.utcnow()
    cards = [board.card_for(p, services.workflow_of(p), now) for p in projects]
    return render_template("projects/mine.html", cards=cards)
