"""The project page and its actions: create, show, fire a transition, tick, comment, summary."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, roles
from accompagnement.engine import Workflow
from accompagnement.errors import InvalidInput, ProjectChanged, TransitionRefused
from accompagnement.extensions import db
from accompagnement.i18n import current_language, label
from accompagnement.network import queries as network_queries
from accompagnement.projects import (
    board,
    documents,
    forms,
    project_page,
    queries,
    services,
    timeline,
)
from accompagnement.projects.membership import MEMBER_STAGES
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.projects.views.blueprint import (
    EDITORS,
    Page,
    bp,
    put_errors,
    redirect_to_detail,
)
from accompagnement.transaction import commits, refusal
from accompagnement.workflows.services import available, latest_workflow


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def new() -> Page:
    """Start a project on a workflow, with its commune and holders."""
    form = forms.ProjectForm()
    locale = current_language()
    form.workflow.choices = forms.choices(
        (name, latest_workflow(name).label(locale)) for name in available().names()
    )
    if not form.is_submitted():
        form.workflow.data = network_queries.default_pathway()
    form.holders.choices = forms.choices(
        (u.id, f"{u.name} ({u.email})") for u in queries.holder_accounts()
    )
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            project = services.create_project(
                form.name.data or "",
                workflow_name=form.workflow.data or "",
                user_id=current_user.id,
                holder_ids=form.holders.data or [],
                commune_insee=form.commune.data or None,
            )
            flash(_("The project was created."), "success")
            return redirect_to_detail(project.id)
        put_errors(form, refused.error.errors)
    status = 400 if form.errors or request.method == "POST" else 200
    return render_template("projects/new.html", form=form), status


@bp.route("/<int:project_id>")
@roles(*EDITORS)
def detail(project_id: int) -> Page:
    """Show a project: timeline, current form, checklist, actions, history, comments, files."""
    project = queries.get_visible_project(current_user, project_id, *queries.WITH_PEOPLE)
    return render_detail(project)


def render_detail(
    project: Project,
    *,
    status: int = 200,
    comment_form: forms.CommentForm | None = None,
    upload_form: forms.UploadForm | None = None,
) -> tuple[str, int]:
    """Render the project page (also with a comment or upload form holding errors)."""
    page = project_page.build(current_user, project)
    upload_form = upload_form or forms.UploadForm(formdata=None)
    upload_form.stage.choices = forms.choices(_stage_choices(page.workflow))
    if upload_form.stage.data is None:
        upload_form.stage.data = page.current.key
    html = render_template(
        "projects/detail.html",
        page=page,
        project=project,
        comment_form=comment_form or forms.CommentForm(formdata=None),
        upload_form=upload_form,
        accept=documents.ACCEPT,
        member=queries.member_of_project(project.id),
        may_join=project.state in MEMBER_STAGES,
    )
    return html, status


def _stage_choices(workflow: Workflow) -> list[tuple[str, str]]:
    stages = [(s.key, label(s.label)) for s in workflow.stages if s.kind != "hold"]
    return [("", _("No particular stage")), *stages]


def not_understood(project_id: int, anchor: str) -> Response:
    """Answer a post the page never sends (404 first when the project is not the user's)."""
    queries.get_visible_project(current_user, project_id)
    flash(_("This action could not be understood. Reload the page and try again."), "error")
    return redirect_to_detail(project_id, anchor)


@bp.route("/<int:project_id>/transition", methods=["POST"])
@roles(*EDITORS)
@commits
def transition(project_id: int) -> Response:
    """Fire a transition, refusing when the page was stale or the workflow says no."""
    form = forms.TransitionForm()
    if not form.validate_on_submit():
        return not_understood(project_id, "actions")
    with refusal(ProjectChanged, TransitionRefused) as refused:
        entry = services.fire_transition(
            project_id,
            form.trigger.data or "",
            user_id=current_user.id,
            reason=form.reason.data,
            expected_state=form.expected_state.data,
        )
        stage = label(_stage_reached(entry))
        flash(_("Done. The project is now at the stage: %(stage)s.", stage=stage), "success")
        return redirect_to_detail(project_id)
    if isinstance(refused.error, ProjectChanged):
        message = _("The project has changed since you loaded the page. Check it and try again.")
        flash(message, "warning")
    else:
        reasons = " ".join(refused.error.sentences(current_language()))
        flash(_("This action is not possible now: %(reasons)s", reasons=reasons), "error")
    return redirect_to_detail(project_id, "actions")


def _stage_reached(entry: TransitionRecord) -> object:
    project = db.session.get(Project, entry.project_id)  # the service's row: no query
    return timeline.stage_label(services.workflow_of(project), entry.to_state) if project else ""


@bp.route("/<int:project_id>/checklist/<stage>/<item>", methods=["POST"])
@roles(*EDITORS)
@commits
def checklist(project_id: int, stage: str, item: str) -> Response:
    """Tick or untick a checklist item (coordinators)."""
    form = forms.ChecklistForm()
    if not form.validate_on_submit() or form.done.data not in ("0", "1"):
        return not_understood(project_id, "checklist")
    done = form.done.data == "1"
    services.set_checklist_item(project_id, stage, item, done=done, user_id=current_user.id)
    flash(_("Item ticked.") if done else _("Item unticked."), "success")
    return redirect_to_detail(project_id, "checklist")


@bp.route("/<int:project_id>/comments", methods=["POST"])
@roles(*EDITORS)
@commits
def comment(project_id: int) -> Page:
    """Add a comment to a project."""
    form = forms.CommentForm()
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            services.add_comment(project_id, form.body.data or "", user_id=current_user.id)
            flash(_("Your comment was added."), "success")
            return redirect_to_detail(project_id, "comments")
        put_errors(form, refused.error.errors)
    project = queries.get_visible_project(current_user, project_id, *queries.WITH_PEOPLE)
    return render_detail(project, status=400, comment_form=form)


@bp.route("/<int:project_id>/summary")
@roles(*EDITORS)
def summary(project_id: int) -> Page:
    """Show a printable summary of a project."""
    project = queries.get_visible_project(current_user, project_id, *queries.WITH_PEOPLE)
    page = project_page.build(current_user, project, every_form=True)
    return render_template("projects/summary.html", page=page, project=project, now=board.utcnow())
