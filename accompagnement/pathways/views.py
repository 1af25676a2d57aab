"""The pathway editor (coordinators): drafts, their stages, forms, checklists and transitions.

Every operation is a plain form post (add, change, move up or down, remove after a confirmation
page), so the editor works without JavaScript; `static/js/pathways.js` adds dragging and the
live preview on top of the same addresses.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, roles
from accompagnement.admin.forms import ActionForm
from accompagnement.engine import label_only
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.i18n import current_language
from accompagnement.pagination import page_number
from accompagnement.pathways import display, queries, services
from accompagnement.pathways import document as doc
from accompagnement.pathways.checks import Problems, check
from accompagnement.pathways.diagram import layout
from accompagnement.pathways.forms import (
    KIND_FORMS,
    ItemForm,
    MoveForm,
    NewDraftForm,
    SettingsForm,
)
from accompagnement.pathways.models import WorkflowDraft
from accompagnement.pathways.names import KIND_NAMES
from accompagnement.projects.forms import choices
from accompagnement.transaction import commits, refusal
from accompagnement.workflows.changes import describe_change

bp = Blueprint("pathways", __name__, url_prefix="/pathways")

Page = str | tuple[str, int] | Response
OPENED_AFTER_ADDING = ("stage", "field", "subfield", "transition")


def _place(where: str) -> doc.Place:
    try:
        return doc.place(where)
    except doc.PlaceNotFound:
        raise NotFound(_("This element of the draft does not exist.")) from None


def _new_draft_form() -> NewDraftForm:
    form = NewDraftForm()
    names = services.pathway_names()
    form.source.choices = choices([("", _("A new pathway")), *((n, n) for n in names)])
    return form


@bp.route("/")
@roles(Role.COORDINATOR)
def index() -> str:
    """List the drafts and offer to start one."""
    page, drafts = queries.drafts_page(page_number(request.args))
    form = _new_draft_form()
    return render_template("pathways/index.html", page=page, drafts=drafts, form=form)


@bp.route("/", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def create() -> Page:
    """Start a draft from the current version of a pathway, or an empty pathway."""
    form = _new_draft_form()
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            draft = services.start_draft(
                form.source.data or None,
                name=form.name.data or "",
                label=form.label.data or "",
                user_id=current_user.id,
            )
            flash(_("Draft started."), "success")
            return redirect(url_for(".draft", draft_id=draft.id))
        for name, message in refused.error.errors.items():
            form[name].errors = [*form[name].errors, message]
    page, drafts = queries.drafts_page(1)
    return render_template("pathways/index.html", page=page, drafts=drafts, form=form), 400


def _page(
    draft: WorkflowDraft,
    path: str,
    kind: str,
    *,
    own: ItemForm | None = None,
    adding: tuple[str, ItemForm] | None = None,
    status: int = 200,
) -> Page:
    """Draw the draft (path "") or one of its items, with every problem next to its input."""
    document = draft.definition
    definition, found = check(document)
    problems = Problems(found)
    own = own or _loaded_form(document, path, kind)
    by_input, general = problems.on_item(path, kind, own.input_names())
    for name, sentences in by_input.items():
        own[name].errors = [*own[name].errors, *sentences]
    lists = []
    for where in display.child_lists(document, path, kind):
        refused = adding[1] if adding and adding[0] == where.path else None
        lists.append(display.list_view(document, where, problems, refused))
    context: dict[str, Any] = {
        "draft": draft,
        "path": path,
        "kind": kind,
        "kind_name": KIND_NAMES.get(kind, ""),
        "own": own,
        "general": general,
        "lists": lists,
        "problems": problems,
        "valid": definition is not None,
        "trail": display.trail(document, path),
        "action": ActionForm(formdata=None),
        "move": MoveForm(formdata=None),
    }
    if not path:
        changes = services.changes_from_base(draft, definition)
        context["changes"] = [(describe_change(c), c.structural) for c in changes]
        context["label_only"] = bool(changes) and label_only(changes)
        context["diagram"] = layout(document, current_language())
        context["transitions"] = display.rows(document, doc.place("transitions"), problems)
        return render_template("pathways/draft.html", **context), status
    stage = _stage_path(path)
    if stage:
        context["preview"] = _preview(doc.lookup(document, stage))
        holder, index = path.rsplit(".", 1)
        context["preview_url"] = url_for(
            ".preview", draft_id=draft.id, where=holder, index=int(index)
        )
    return render_template("pathways/item.html", **context), status


def _stage_path(path: str) -> str:
    """Return the stage whose form an item shapes (a stage, its fields, their choices), or ""."""
    parts = path.split(".")
    inside_form = len(parts) == 2 or (len(parts) > 3 and parts[2] == "form")
    return ".".join(parts[:2]) if parts[0] == "stages" and inside_form else ""


def _loaded_form(document: doc.Document, path: str, kind: str) -> ItemForm:
    """Return the form of the draft's settings or of an item, showing its stored values."""
    if not path:
        settings = SettingsForm(formdata=None)
        settings.prepare(document, [])
        settings.load(document)
        return settings
    list_path, index = path.rsplit(".", 1)
    form = KIND_FORMS[kind](formdata=None)
    form.prepare(document, doc.items(document, list_path))
    here = doc.items(document, list_path)
    entry = here[int(index)] if int(index) < len(here) else None
    if kind == "guard" and isinstance(entry, str):
        entry = {entry: {}}  # a guard without parameters may be written as its bare name
    if not isinstance(entry, dict):
        raise NotFound(_("This element of the draft does not exist."))
    form.load(entry)
    return form


def _preview(stage: Any) -> Any:
    """Return a stage's form built as a holder sees it, or None while it is not valid."""
    from accompagnement.projects import stageforms
    from accompagnement.projects.views.stage_forms import lookups_for

    definition = display.stage_preview(stage if isinstance(stage, dict) else {})
    if definition is None:
        return None
    return stageforms.StageForm(definition, lookups_for(definition), data={})


@bp.route("/<int:draft_id>")
@roles(Role.COORDINATOR)
def draft(draft_id: int) -> Page:
    """Show a draft: its settings, stages, transitions, problems and diagram."""
    return _page(services.get_draft(draft_id), "", "pathway")


@bp.route("/<int:draft_id>/settings", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def settings(draft_id: int) -> Page:
    """Change the pathway's name, description, first stage."""
    draft = services.get_draft(draft_id)
    form = SettingsForm()
    form.prepare(draft.definition, [])
    if not form.validate_on_submit():
        return _page(draft, "", "pathway", own=form, status=400)
    services.update_settings(draft_id, form.values(), user_id=current_user.id)
    flash(_("Draft saved."), "success")
    return redirect(url_for(".draft", draft_id=draft_id))


def _item_url(draft_id: int, path: str) -> str:
    if not path:
        return url_for(".draft", draft_id=draft_id)
    where, index = path.rsplit(".", 1)
    return url_for(".item", draft_id=draft_id, where=where, index=int(index))


def _parent(path: str) -> tuple[str, str]:
    """Return the item holding a list (path "" for the draft itself) and its kind."""
    if path in display.ROOT_LISTS:
        return "", "pathway"
    owner = path.rsplit(".", 1)[0]
    if owner.endswith(".form"):
        owner = owner.removesuffix(".form")
    return owner, doc.place(owner.rsplit(".", 1)[0]).kind


@bp.route("/<int:draft_id>/<where>/new", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def add(draft_id: int, where: str) -> Page:
    """Add an item to a list of the draft."""
    draft, place = services.get_draft(draft_id), _place(where)
    form = KIND_FORMS[place.kind](prefix=f"new-{place.kind}")
    form.prepare(draft.definition, doc.items(draft.definition, where))
    owner, kind = _parent(where)
    if not form.validate_on_submit():
        return _page(draft, owner, kind, adding=(where, form), status=400)
    position = int(form.position.data) if (form.position.data or "").isdigit() else None
    index = services.add_item(draft_id, where, form.values(), position, user_id=current_user.id)
    flash(_("Added."), "success")
    if place.kind in OPENED_AFTER_ADDING:
        return redirect(_item_url(draft_id, place.item(index)))
    return redirect(_item_url(draft_id, owner) + "#list-" + where.replace(".", "-"))


@bp.route("/<int:draft_id>/<where>/<int:index>", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def item(draft_id: int, where: str, index: int) -> Page:
    """Show an item of the draft with its lists; save its changes."""
    draft, place = services.get_draft(draft_id), _place(where)
    path = place.item(index)
    if request.method == "GET":
        return _page(draft, path, place.kind)
    form = KIND_FORMS[place.kind]()
    form.prepare(draft.definition, doc.items(draft.definition, where))
    if not form.validate_on_submit():
        return _page(draft, path, place.kind, own=form, status=400)
    services.update_item(
        draft_id, where, index, form.values(), replace=form.replaces, user_id=current_user.id
    )
    flash(_("Draft saved."), "success")
    return redirect(_item_url(draft_id, path))


@bp.route("/<int:draft_id>/<where>/<int:index>/preview", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def preview(draft_id: int, where: str, index: int) -> str:
    """Draw a stage form's preview with an item's values as typed, saving nothing."""
    draft, place = services.get_draft(draft_id), _place(where)
    stage = _stage_path(place.item(index))
    if not stage:
        raise NotFound(_("This element of the draft does not exist."))
    document = doc.copied(draft.definition)
    form = KIND_FORMS[place.kind]()
    form.prepare(document, doc.items(document, where))
    if form.validate_on_submit():
        try:
            doc.update(document, where, index, form.values())
        except doc.PlaceNotFound:
            raise NotFound(_("This element of the draft does not exist.")) from None
    return render_template("pathways/_preview.html", preview=_preview(doc.lookup(document, stage)))


@bp.route("/<int:draft_id>/<where>/<int:index>/move", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def move(draft_id: int, where: str, index: int) -> Response:
    """Move an item one place up or down (or to the position it was dragged to)."""
    _place(where)
    form = MoveForm()
    if form.validate_on_submit():
        to = _target(form, index)
        if to is not None:
            services.move_item(draft_id, where, index, to, user_id=current_user.id)
            flash(_("Moved."), "success")
    owner, _kind = _parent(where)
    return redirect(_item_url(draft_id, owner) + "#list-" + where.replace(".", "-"))


def _target(form: MoveForm, index: int) -> int | None:
    if form.direction.data == "up":
        return index - 1
    if form.direction.data == "down":
        return index + 1
    text = form.to.data or ""
    return int(text) if text.isdigit() and len(text) < 4 else None


@bp.route("/<int:draft_id>/<where>/<int:index>/remove", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def remove(draft_id: int, where: str, index: int) -> Page:
    """Ask to confirm removing an item; remove it."""
    draft, place = services.get_draft(draft_id), _place(where)
    here = doc.items(draft.definition, where)
    if not 0 <= index < len(here):
        raise NotFound(_("This element of the draft does not exist."))
    entry = here[index]
    form = ActionForm()
    owner, _kind = _parent(where)
    if request.method == "POST" and form.validate_on_submit():
        services.remove_item(draft_id, where, index, user_id=current_user.id)
        flash(_("Removed."), "success")
        return redirect(_item_url(draft_id, owner) + "#list-" + where.replace(".", "-"))
    title = display.entry_title(entry)
    return render_template(
        "pathways/remove.html",
        draft=draft,
        kind_name=KIND_NAMES[place.kind],
        title=title,
        form=form,
        back=_item_url(draft_id, place.item(index)),
        trail=display.trail(draft.definition, place.item(index)),
    )


@bp.route("/<int:draft_id>/publish", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def publish(draft_id: int) -> Response:
    """Publish a valid draft as a new version of its pathway."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".draft", draft_id=draft_id))
    with refusal(InvalidInput) as refused:
        name, version = services.publish_draft(draft_id, user_id=current_user.id)
        flash(
            _("Version %(version)s of %(name)s published.", version=version, name=name), "success"
        )
        return redirect(url_for(".index"))
    flash(refused.error.message, "error")
    return redirect(url_for(".draft", draft_id=draft_id))


@bp.route("/<int:draft_id>/publish-wording", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def publish_wording(draft_id: int) -> Response:
    """Publish a draft that only rewords in place on the version it copies."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".draft", draft_id=draft_id))
    with refusal(InvalidInput) as refused:
        name, version = services.publish_wording(draft_id, user_id=current_user.id)
        flash(
            _("The wording of version %(version)s of %(name)s is updated; projects stay where "
              "they are.", version=version, name=name),
            "success",
        )  # fmt: skip
        return redirect(url_for(".index"))
    flash(refused.error.message, "error")
    return redirect(url_for(".draft", draft_id=draft_id))


@bp.route("/<int:draft_id>/delete", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def delete(draft_id: int) -> Page:
    """Ask to confirm throwing a draft away; throw it away."""
    draft = services.get_draft(draft_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        services.delete_draft(draft_id)
        flash(_("Draft deleted."), "success")
        return redirect(url_for(".index"))
    return render_template(
        "pathways/remove.html",
        draft=draft,
        kind_name=_("Draft"),
        title=draft.name,
        form=form,
        back=url_for(".draft", draft_id=draft_id),
        trail=[],
    )
