"""Stage forms of a project: read a saved revision, fill in, save a draft or submit.

Repeating groups grow and shrink without JavaScript: the "add" and "remove" buttons post the
form, which comes back with one item more or less, keeping what was typed and saving nothing.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from accompagnement import engine
from accompagnement.access import roles
from accompagnement.errors import Forbidden, InvalidInput, NotFound, StaleEdit
from accompagnement.extensions import db
from accompagnement.i18n import current_language
from accompagnement.network import queries as network_queries
from accompagnement.projects import board, pages, queries, services, stageforms
from accompagnement.projects.models import FormSubmission, Project
from accompagnement.projects.views import EDITORS, Page, bp


def form_stage(workflow: engine.Workflow, key: str) -> engine.Stage:
    """Return a stage that has a form, or raise NotFound."""
    try:
        stage = workflow.stage(key)
    except engine.UnknownStage:
        raise NotFound("No such form") from None
    if stage.form is None:
        raise NotFound("No such form")
    return stage


def lookups_for(definition: engine.Form) -> stageforms.Lookups:
    """Load the members a form's selects offer (communes are typed: see CommuneField)."""
    types = board.used_types(definition)
    members = [(str(m.id), m.name) for m in queries.members()] if "member" in types else []
    departements = (
        [(d.code, f"{d.name} ({d.code})") for d in network_queries.departements()]
        if "departement" in types
        else []
    )
    return stageforms.Lookups(current_language(), members, departements)


@bp.route("/<int:project_id>/forms/<stage>")
@roles(*EDITORS)
def form(project_id: int, stage: str) -> Page:
    """Show a stage form as saved (the newest revision, or ?revision=n) and its revisions."""
    project = queries.get_project_for_page(current_user, project_id)
    workflow = services.workflow_of(project)
    spec = form_stage(workflow, stage)
    revisions = queries.form_revisions(project.id, stage)
    shown = revisions[-1] if revisions else None
    wanted = request.args.get("revision", type=int)
    if wanted is not None:
        shown = next((r for r in revisions if r.revision == wanted), None)
        if shown is None:
            raise NotFound("No such revision")
    rows: list[board.Row] = []
    if shown is not None and spec.form is not None:
        names = pages.names_for(board.used_types(spec.form))
        rows = board.form_rows(spec.form.fields, shown.data, names, current_language())
    return render_template(
        "projects/form_view.html",
        project=project,
        stage=spec,
        shown=shown,
        latest=revisions[-1] if revisions else None,
        revisions=list(reversed(revisions)),
        rows=rows,
        editable=stage in services.editable_form_stages(project, current_user),
    )


@bp.route("/<int:project_id>/forms/<stage>/edit", methods=["GET", "POST"])
@roles(*EDITORS)
def edit_form(project_id: int, stage: str) -> Page:
    """Fill in a stage form: save a draft or submit; refuse to overwrite someone else's save."""
    project = queries.get_project_for_page(current_user, project_id)
    workflow = services.workflow_of(project)
    spec = form_stage(workflow, stage)
    if stage not in services.editable_form_stages(project, current_user):
        raise Forbidden("This stage is not open yet")
    assert spec.form is not None
    lookups = lookups_for(spec.form)
    if request.method == "GET":
        latest = queries.latest_form(project.id, stage)
        data = latest.data if latest else {}
        stage_form = stageforms.StageForm(spec.form, lookups, data=data)
        return _render(project, spec, stage_form, latest.revision if latest else 0)
    return _post(project, workflow, spec, lookups)


def _post(
    project: Project, workflow: engine.Workflow, spec: engine.Stage, lookups: stageforms.Lookups
) -> Page:
    assert spec.form is not None
    base_revision = _whole(request.form.get("base_revision"))
    groups = [f.key for f in spec.form.fields if f.type == "group"]
    operation, key, index = stageforms.group_operation(request.form, groups)
    formdata: MultiDict[str, Any] = request.form
    counts: dict[str, int] = {}
    for group in groups:
        formdata, counts[group] = stageforms.restructure(
            formdata, operation if group == key else "", group, index
        )
    stage_form = stageforms.StageForm(spec.form, lookups, formdata=formdata)
    if operation:
        stage_form.focus = _focus_after(spec, operation, key, counts[key])
        return _render(project, spec, stage_form, base_revision)
    submit = request.form.get("action") == stageforms.ACTION_SUBMIT
    raw = stage_form.raw()
    try:
        services.save_form(
            project.id,
            spec.key,
            raw,
            user_id=current_user.id,
            submit=submit,
            base_revision=base_revision,
            locale=current_language(),
        )
    except InvalidInput as exc:
        db.session.rollback()
        stage_form.apply_errors(exc.errors)
        return _render(project, spec, stage_form, base_revision, status=400)
    except StaleEdit as exc:
        db.session.rollback()
        conflict = queries.latest_form(project.id, spec.key)
        return _render(project, spec, stage_form, exc.current_revision, conflict=conflict)
    db.session.commit()
    flash(_("The form was submitted.") if submit else _("The draft was saved."), "success")
    return redirect(url_for("projects.detail", project_id=project.id, _anchor="form"))


def _render(
    project: Project,
    spec: engine.Stage,
    stage_form: stageforms.StageForm,
    base_revision: int,
    *,
    status: int = 200,
    conflict: FormSubmission | None = None,
) -> tuple[str, int]:
    html = render_template(
        "projects/form_edit.html",
        project=project,
        stage=spec,
        stage_form=stage_form,
        base_revision=base_revision,
        conflict=conflict,
    )
    return html, 409 if conflict is not None else status


def _whole(value: str | None) -> int:
    text = (value or "").strip()
    return int(text) if text.isdecimal() and len(text) < 10 else 0


def _focus_after(spec: engine.Stage, operation: str, key: str, count: int) -> str:
    """Return the id of the element to focus after adding or removing an item."""
    group = spec.field(key)
    subs = [f for f in (group.fields if group else None) or () if f.type in stageforms.FIELD_TYPES]
    if operation == "add" and subs and count:
        return f"f-{key}-{count - 1}-{subs[0].key}"
    return f"add-{key}"
