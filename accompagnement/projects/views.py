"""Pages of the projects feature: the pipeline board, a project's page and what it links to."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import roles
from accompagnement.engine import UnknownWorkflow, Workflow
from accompagnement.errors import InvalidInput, ProjectChanged, TransitionRefused
from accompagnement.extensions import db
from accompagnement.i18n import current_language, label
from accompagnement.members.services import MEMBER_STAGES
from accompagnement.network import queries as network_queries
from accompagnement.pagination import page_number
from accompagnement.projects import board, forms, pages, queries, services, stagesql
from accompagnement.projects.models import Project
from accompagnement.workflows.registry import get_workflow, latest_workflow, registry

bp = Blueprint("projects", __name__, url_prefix="/projects")

EDITORS = ("coordinator", "holder")
Page = str | Response | tuple[str, int]


def _latest_for(name: str, version: int) -> Workflow:
    try:
        return latest_workflow(name)
    except UnknownWorkflow:
        return get_workflow(name, version)


def put_errors(form: object, errors: dict[str, str]) -> None:
    """Show service errors next to the matching fields of a form, or as a flash message."""
    for key, message in errors.items():
        bound = getattr(form, key, None)
        if bound is not None and hasattr(bound, "errors"):
            bound.errors = [*bound.errors, _(message)]
        else:
            flash(_(message), "error")


def redirect_to_detail(project_id: int, anchor: str | None = None) -> Response:
    return redirect(url_for("projects.detail", project_id=project_id, _anchor=anchor))


@bp.route("/", endpoint="board")
@roles("coordinator")
def pipeline() -> Page:
    """Show the pipeline: per stage, how many projects and the most urgent ones."""
    form = forms.BoardFilterForm(request.args)
    _filter_choices(form)
    criteria, workflows, now = _criteria(form), stagesql.known_workflows(), board.utcnow()
    counts = queries.board_counts(criteria, workflows, now)
    cards = queries.board_cards(criteria, workflows, now, queries.BOARD_CARDS)
    sections = board.build_board(counts, cards, get_workflow, _latest_for, now)
    filtered = any(request.args.get(k) for k in ("workflow", "departement", "stage", "status", "q"))
    return render_template("projects/board.html", form=form, sections=sections, filtered=filtered)


@bp.route("/list")
@roles("coordinator")
def project_list() -> Page:
    """List the projects of a filter (a stage of the board, late ones...), a page at a time."""
    form = forms.ProjectListForm(request.args)
    _filter_choices(form)
    criteria, workflows, now = _criteria(form), stagesql.known_workflows(), board.utcnow()
    page, projects = queries.list_page(criteria, workflows, now, page_number(request.args))
    cards = [
        board.card_for(p, get_workflow(p.workflow_name, p.workflow_version), now) for p in projects
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
    if current_user.role == "coordinator":
        return redirect(url_for("projects.board"))
    projects = queries.projects_for_list(current_user)
    now = board.utcnow()
    cards = [board.card_for(p, services.workflow_of(p), now) for p in projects]
    return render_template("projects/mine.html", cards=cards)


@bp.route("/new", methods=["GET", "POST"])
@roles("coordinator")
def new() -> Page:
    """Start a project on a workflow, with its commune and holders."""
    form = forms.ProjectForm()
    locale = current_language()
    form.workflow.choices = forms.choices(
        (name, latest_workflow(name).label(locale)) for name in registry().names()
    )
    if not form.is_submitted():
        form.workflow.data = network_queries.default_pathway()
    form.holders.choices = forms.choices(
        (u.id, f"{u.name} ({u.email})") for u in queries.holder_accounts()
    )
    if form.validate_on_submit():
        try:
            project = services.create_project(
                form.name.data or "",
                workflow_name=form.workflow.data or "",
                user_id=current_user.id,
                holder_ids=form.holders.data or [],
                commune_insee=form.commune.data or None,
            )
        except InvalidInput as exc:
            db.session.rollback()
            put_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(_("The project was created."), "success")
            return redirect_to_detail(project.id)
    status = 400 if form.errors or request.method == "POST" else 200
    return render_template("projects/new.html", form=form), status


@bp.route("/<int:project_id>")
@roles(*EDITORS)
def detail(project_id: int) -> Page:
    """Show a project: timeline, current form, checklist, actions, history, comments, files."""
    project = queries.get_project_for_page(current_user, project_id)
    return render_detail(project)


def render_detail(
    project: Project,
    *,
    status: int = 200,
    comment_form: forms.CommentForm | None = None,
    upload_form: forms.UploadForm | None = None,
) -> tuple[str, int]:
    """Render the project page (also with a comment or upload form holding errors)."""
    page = pages.project_page(current_user, project)
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
        accept=forms_accept(),
        member=queries.member_of_project(project.id),
        may_join=project.state in MEMBER_STAGES,
    )
    return html, status


def _stage_choices(workflow: Workflow) -> list[tuple[str, str]]:
    stages = [(s.key, label(s.label)) for s in workflow.stages if s.kind != "hold"]
    return [("", _("No particular stage")), *stages]


def forms_accept() -> str:
    """Return the file types offered by the upload input."""
    from accompagnement.projects.documents import ACCEPT

    return ACCEPT


@bp.route("/<int:project_id>/transition", methods=["POST"])
@roles(*EDITORS)
def transition(project_id: int) -> Response:
    """Fire a transition, refusing when the page was stale or the workflow says no."""
    queries.get_visible_project(current_user, project_id)
    form = forms.TransitionForm()
    if not form.validate_on_submit():
        flash(_("This action could not be understood. Reload the page and try again."), "error")
        return redirect_to_detail(project_id, "actions")
    try:
        entry = services.fire_transition(
            project_id,
            form.trigger.data or "",
            user_id=current_user.id,
            reason=form.reason.data,
            expected_state=form.expected_state.data,
        )
    except ProjectChanged:
        db.session.rollback()
        message = _("The project has changed since you loaded the page. Check it and try again.")
        flash(message, "warning")
        return redirect_to_detail(project_id, "actions")
    except TransitionRefused as exc:
        db.session.rollback()
        reasons = " ".join(exc.sentences(current_language()))
        flash(_("This action is not possible now: %(reasons)s", reasons=reasons), "error")
        return redirect_to_detail(project_id, "actions")
    project = db.session.get(Project, project_id)
    stage = board.stage_label(services.workflow_of(project), entry.to_state) if project else ""
    db.session.commit()
    flash(_("Done. The project is now at the stage: %(stage)s.", stage=label(stage)), "success")
    return redirect_to_detail(project_id)


@bp.route("/<int:project_id>/checklist/<stage>/<item>", methods=["POST"])
@roles(*EDITORS)
def checklist(project_id: int, stage: str, item: str) -> Response:
    """Tick or untick a checklist item (coordinators)."""
    queries.get_visible_project(current_user, project_id)
    form = forms.ChecklistForm()
    if not form.validate_on_submit() or form.done.data not in ("0", "1"):
        flash(_("This action could not be understood. Reload the page and try again."), "error")
        return redirect_to_detail(project_id, "checklist")
    done = form.done.data == "1"
    services.set_checklist_item(project_id, stage, item, done=done, user_id=current_user.id)
    db.session.commit()
    flash(_("Item ticked.") if done else _("Item unticked."), "success")
    return redirect_to_detail(project_id, "checklist")


@bp.route("/<int:project_id>/comments", methods=["POST"])
@roles(*EDITORS)
def comment(project_id: int) -> Page:
    """Add a comment to a project."""
    project = queries.get_project_for_page(current_user, project_id)
    form = forms.CommentForm()
    if form.validate_on_submit():
        try:
            services.add_comment(project.id, form.body.data or "", user_id=current_user.id)
        except InvalidInput as exc:
            db.session.rollback()
            put_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(_("Your comment was added."), "success")
            return redirect_to_detail(project_id, "comments")
    return render_detail(project, status=400, comment_form=form)


@bp.route("/<int:project_id>/summary")
@roles(*EDITORS)
def summary(project_id: int) -> Page:
    """Show a printable summary of a project."""
    project = queries.get_project_for_page(current_user, project_id)
    page = pages.project_page(current_user, project, every_form=True)
    return render_template("projects/summary.html", page=page, project=project, now=board.utcnow())


# The stage forms, documents and holders pages register their routes on `bp` too.
from accompagnement.projects import views_documents, views_forms, views_holders  # noqa: E402, F401
