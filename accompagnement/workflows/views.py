"""Coordinator pages of the pathways: versions, a version's diagram, comparison, YAML in and out,
label-only changes published in place."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement import engine
from accompagnement.access import Role, roles
from accompagnement.errors import DomainError, InvalidInput, NotFound
from accompagnement.i18n import current_language
from accompagnement.messages import describe_problem
from accompagnement.pagination import page_number
from accompagnement.tenancy import current_network_id
from accompagnement.transaction import commits, refusal
from accompagnement.workflows import queries, versions
from accompagnement.workflows.changes import describe_change
from accompagnement.workflows.forms import LabelsForm, UploadForm
from accompagnement.workflows.services import available, available_workflow

bp = Blueprint("workflows", __name__, url_prefix="/workflows")

Page = str | tuple[str, int] | Response


def _workflow(name: str, version: int) -> engine.Workflow:
    """Return a version the network can use, or answer 404 (another network's included)."""
    try:
        return available_workflow(name, version)
    except engine.UnknownWorkflow:
        raise NotFound(
            _("Unknown pathway %(name)s version %(version)s.", name=name, version=version)
        ) from None


def _versions_of(name: str) -> list[int]:
    """Return the versions of a pathway, oldest first (404 for an unknown one)."""
    numbers = [w.version for w in available().all() if w.name == name]
    if not numbers:
        raise NotFound(_("Unknown pathway %(name)s.", name=name))
    return numbers


@bp.route("/")
@roles(Role.COORDINATOR)
def index() -> str:
    """List the pathways and their versions; upload a new version."""
    return _index(UploadForm(), [])[0]


def _index(form: UploadForm, problems: list[str], status: int = 200) -> tuple[str, int]:
    page = render_template(
        "workflows/index.html", pathways=queries.version_rows(), form=form, problems=problems
    )
    return page, status


@bp.route("/upload", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def upload() -> Page:
    """Publish the version of an uploaded YAML file, or say what is wrong with it."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _index(form, [], 400)
    name = form.file.data.filename or "upload.yaml"
    with refusal(DomainError) as refused:
        text = _utf8(form.file.data.read(), name)
        with versions.checked():
            workflow = versions.publish(
                text, user_id=current_user.id, network_id=current_network_id(), origin=name
            )
        flash(_("Version %(version)s published.", version=workflow.version), "success")
        return redirect(url_for(".version", name=workflow.name, version=workflow.version))
    return _index(form, _problems(refused.error), 400)


def _utf8(data: bytes, name: str) -> str:
    """Read an uploaded file as UTF-8 text, or refuse it."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(_("%(file)s: the file is not UTF-8 text.", file=name)) from None


def _problems(error: DomainError) -> list[str]:
    """Word a refusal: every problem of an invalid definition, else its message."""
    if isinstance(error, versions.InvalidDefinition):
        return [describe_problem(problem) for problem in error.problems]
    return [error.message]


@bp.route("/<name>/<int:version>")
@roles(Role.COORDINATOR)
def version(name: str, version: int) -> str:
    """Show a version: its diagram, its stages and transitions."""
    workflow = _workflow(name, version)
    numbers = _versions_of(name)
    earlier = [n for n in numbers if n < version]
    return render_template(
        "workflows/version.html",
        workflow=workflow,
        mermaid=workflow.mermaid(current_language()),
        previous=earlier[-1] if earlier else None,
        latest=numbers[-1],
    )


@bp.route("/<name>/<int:version>.yaml")
@roles(Role.COORDINATOR)
def download(name: str, version: int) -> Response:
    """Download the YAML text of a version."""
    text = versions.export_text(name, version)
    filename = f"{name}-v{version}.yaml"
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/<name>/compare")
@roles(Role.COORDINATOR)
def compare(name: str) -> str:
    """Say in words what changed between two versions of a pathway."""
    numbers = _versions_of(name)
    new = _number(request.args.get("new"), numbers, numbers[-1])
    old = _number(request.args.get("old"), numbers, numbers[-2] if len(numbers) > 1 else new)
    changes = engine.compare(_workflow(name, old).definition, _workflow(name, new).definition)
    return render_template(
        "workflows/compare.html",
        name=name,
        label=available().latest(name).label(current_language()),
        numbers=numbers,
        old=old,
        new=new,
        structural=[describe_change(c) for c in changes if c.structural],
        wording=[describe_change(c) for c in changes if not c.structural],
    )


def _number(raw: str | None, numbers: list[int], default: int) -> int:
    """Read a version number from the URL: one of `numbers`, else the default."""
    number = page_number({"n": raw or ""}, "n") if raw else default
    return number if number in numbers else default


@bp.route("/<name>/<int:version>/labels", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def labels(name: str, version: int) -> Page:
    """Check a changed text against a version; publish it in place when it only rewords."""
    workflow = _workflow(name, version)
    form = LabelsForm()
    if request.method == "GET":
        form.text.data = workflow.source_text
    if not form.validate_on_submit():
        return _labels_page(workflow, form, status=400 if request.method == "POST" else 200)
    with refusal(DomainError) as refused, versions.checked():
        if form.action.data == "publish":
            versions.publish_labels(name, version, form.text.data, user_id=current_user.id)
            flash(_("The new wording is published on version %(v)s.", v=version), "success")
            return redirect(url_for(".version", name=name, version=version))
        changes = engine.compare(workflow.definition, versions.read(form.text.data))
        return _labels_page(workflow, form, changes=changes)
    if isinstance(refused.error, versions.StructuralChange):
        return _labels_page(workflow, form, changes=refused.error.changes, status=409)
    return _labels_page(workflow, form, problems=_problems(refused.error), status=400)


def _labels_page(
    workflow: engine.Workflow,
    form: LabelsForm,
    *,
    changes: list[engine.Change] | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    found = changes or []
    page = render_template(
        "workflows/labels.html",
        workflow=workflow,
        form=form,
        checked=changes is not None,
        structural=[describe_change(c) for c in found if c.structural],
        wording=[describe_change(c) for c in found if not c.structural],
        problems=problems or [],
    )
    return page, status
