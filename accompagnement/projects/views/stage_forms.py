"""Stage forms of a project: read a saved revision, fill in, save a draft or submit.

Repeating groups grow and shrink without JavaScript: the "add" and "remove" buttons post the
form, which comes back with one item more or less, keeping what was typed and saving nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accompagnement import engine
from accompagnement.access import roles
from accompagnement.errors import Forbidden, InvalidInput, NotFound, StaleEdit
from accompagnement.i18n import current_language
from accompagnement.network import queries as network_queries
from accompagnement.projects import display, project_page, queries, services, stageforms
from accompagnement.projects.models import FormSubmission, Project
from accompagnement.projects.views.blueprint import EDITORS, Page, bp
from accompagnement.transaction import commits, refusal


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
    types = display.used_types(definition)
    members = [(str(m.id), m.name) for m in queries.members()] if "member" in types else []
    departements = (
        [(d.code, f"{d.name} ({d.code})") for d in network_queries.departements()]
        if "departement" in types
        else []
    )
    organisations = (
        [o.name for o in network_queries.organisations(active_only=True)]
        if "organisation" in types
        else []
    )
    return stageforms.Lookups(current_language(), members, departements, organisations)


@bp.route("/<int:project_id>/forms/<stage>")
@roles(*EDITORS)
def form(project_id: int, stage: str) -> Page:
    """Show a stage form as saved (the newest revision, or ?revision=n) and its revisions."""
    project = queries.get_visible_project(current_user, project_id)
    workflow = services.workflow_of(project)
    spec = form_stage(workflow, stage)
    revisions = queries.form_revisions(project.id, stage)
    shown = revisions[-1] if revisions else None
    wanted = request.args.get("revision", type=int)
    if wanted is not None:
        shown = next((r for r in revisions if r.revision == wanted), None)
        if shown is None:
            raise NotFound("No such revision")
    rows: list[display.Row] = []
    if shown is not None and spec.form is not None:
        names = project_page.names_for(display.used_types(spec.form))
        rows = display.form_rows(spec.form.fields, shown.data, names, current_language())
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


@dataclass
class Editing:
    """A stage form being filled in: the project, its stage and the lists behind its selects."""

    project: Project
    spec: engine.Stage
    definition: engine.Form
    lookups: stageforms.Lookups


def _editing(project_id: int, stage: str) -> Editing:
    """Load what the edit page shows; 404 or 403 when the user may not fill this form."""
    project = queries.get_visible_project(current_user, project_id)
    spec = form_stage(services.workflow_of(project), stage)
    if stage not in services.editable_form_stages(project, current_user):
        raise Forbidden("This stage is not open yet")
    assert spec.form is not None
    return Editing(project, spec, spec.form, lookups_for(spec.form))


@bp.route("/<int:project_id>/forms/<stage>/edit", methods=["GET", "POST"])
@roles(*EDITORS)
@commits
def edit_form(project_id: int, stage: str) -> Page:
    """Fill in a stage form: save a draft or submit; refuse to overwrite someone else's save."""
    if request.method == "POST" and not stageforms.group_button_pressed(request.form):
        return _save(project_id, stage)
    editing = _editing(project_id, stage)
    if request.method == "POST":
        return _regroup(editing)
    latest = queries.latest_form(project_id, stage)
    data = latest.data if latest else {}
    stage_form = stageforms.StageForm(editing.definition, editing.lookups, data=data)
    return _render(editing, stage_form, latest.revision if latest else 0)


def _save(project_id: int, stage: str) -> Page:
    """Save the posted form through one service call; show its refusals on the form."""
    base_revision = _whole(request.form.get("base_revision"))
    submit = request.form.get("action") == stageforms.ACTION_SUBMIT
    locale = current_language()
    with refusal(InvalidInput, StaleEdit) as refused:
        services.save_form(
            project_id,
            stage,
            lambda definition: stageforms.read_input(request.form, definition, locale),
            user_id=current_user.id,
            submit=submit,
            base_revision=base_revision,
            locale=locale,
        )
        flash(_("The form was submitted.") if submit else _("The draft was saved."), "success")
        return redirect(url_for("projects.detail", project_id=project_id, _anchor="form"))
    editing = _editing(project_id, stage)
    formdata, _counts = stageforms.regrouped(request.form, editing.definition)
    stage_form = stageforms.StageForm(editing.definition, editing.lookups, formdata=formdata)
    if isinstance(refused.error, StaleEdit):
        conflict = queries.latest_form(project_id, stage)
        return _render(editing, stage_form, refused.error.current_revision, conflict=conflict)
    stage_form.apply_errors(refused.error.errors)
    return _render(editing, stage_form, base_revision, status=400)


def _regroup(editing: Editing) -> Page:
    """Add or remove an item of a group, keeping what was typed and saving nothing."""
    groups = [f.key for f in editing.definition.fields if f.type == "group"]
    operation, key, index = stageforms.group_operation(request.form, groups)
    if not operation:  # a button of no group of this form: an ordinary save
        return _save(editing.project.id, editing.spec.key)
    formdata, counts = stageforms.regrouped(request.form, editing.definition, operation, key, index)
    stage_form = stageforms.StageForm(editing.definition, editing.lookups, formdata=formdata)
    stage_form.focus = _focus_after(editing.spec, operation, key, counts[key])
    return _render(editing, stage_form, _whole(request.form.get("base_revision")))


def _render(
    editing: Editing,
    stage_form: stageforms.StageForm,
    base_revision: int,
    *,
    status: int = 200,
    conflict: FormSubmission | None = None,
) -> tuple[str, int]:
    html = render_template(
        "projects/form_edit.html",
        project=editing.project,
        stage=editing.spec,
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
