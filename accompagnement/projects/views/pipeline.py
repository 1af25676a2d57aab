"""The coordinators' pipeline board and the holders' list of their projects."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accompagnement.access import Role, roles
from accompagnement.engine import UnknownWorkflow, Workflow
from accompagnement.i18n import current_language
from accompagnement.network import queries as network_queries
from accompagnement.pagination import page_number
from accompagnement.projects import board, forms, hooks, queries, services, stagesql
from accompagnement.projects.views.blueprint import EDITORS, Page, bp
from accompagnement.workflows.services import available, get_workflow, latest_workflow


def _latest_for(name: str, version: int) -> Workflow:
    try:
        return latest_workflow(name)
    except UnknownWorkflow:
        return get_workflow(name, version)


@bp.route("/", endpoint="board")
@roles(Role.COORDINATOR)
def pipeline() -> Page:
    """Show the pipeline: per stage, how many projects and the most urgent ones."""
    form = forms.BoardFilterForm(request.args)
    _filter_choices(form)
    criteria, workflows, now = _criteria(form), stagesql.known_workflows(), board.utcnow()
    is_late = stagesql.late(workflows, now)
    counts = queries.board_counts(criteria, workflows, now, is_late=is_late)
    stages = [(row.workflow_name, row.state) for row in counts]
    cards = queries.board_cards(
        criteria, workflows, now, queries.BOARD_CARDS, stages, is_late=is_late
    )
    overdue = hooks.overdue_tasks([p.id for p in cards])
    sections = board.build_board(counts, cards, get_workflow, _latest_for, now, overdue)
    filtered = any(request.args.get(k) for k in ("workflow", "departement", "stage", "status", "q"))
    return render_template("projects/board.html", form=form, sections=sections, filtered=filtered)


@bp.route("/list")
@roles(Role.COORDINATOR)
def project_list() -> Page:
    """List the projects of a filter (a stage of the board, late ones...), a page at a time."""
    form = forms.ProjectListForm(request.args)
    _filter_choices(form)
    criteria, workflows, now = _criteria(form), stagesql.known_workflows(), board.utcnow()
    page, projects = queries.list_page(criteria, workflows, now, page_number(request.args))
    overdue = hooks.overdue_tasks([p.id for p in projects])
    cards = [
        board.card_for(p, services.workflow_of(p), now, overdue.get(p.id, 0)) for p in projects
    ]
    return render_template("projects/list.html", form=form, page=page, cards=cards)


def _criteria(form: forms.BoardFilterForm) -> queries.BoardFilter:
    status = form.status.data if form.status.data in board.STATUSES else None
    return queries.BoardFilter(
        workflow=form.workflow.data or None,
        departement=form.departement.data or None,
        stage=form.stage.data or None,
        status=status,
        search=(form.q.data or "")[:100] or None,
        late_only=bool(getattr(form, "late", None) and form.late.data),
    )


def _filter_choices(form: forms.BoardFilterForm) -> None:
    locale = current_language()
    workflows = [latest_workflow(name) for name in available().names()]
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
