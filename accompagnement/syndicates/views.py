"""Coordinator pages for the waste syndicates: list, create, rename, communes, delete, import."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, roles
from accompagnement.admin.forms import ActionForm
from accompagnement.errors import InvalidInput
from accompagnement.importing import run_upload
from accompagnement.importing.forms import ImportForm
from accompagnement.pagination import page_number
from accompagnement.syndicates import queries, services
from accompagnement.syndicates.forms import CommunesForm, NameForm
from accompagnement.syndicates.importer import SCHEMA, import_syndicates, summary
from accompagnement.transaction import commits, refusal

bp = Blueprint("syndicates", __name__, url_prefix="/admin/syndicates")

Page = str | tuple[str, int] | Response


def _messages(exc: InvalidInput) -> list[str]:
    return [_(str(message)) for message in exc.errors.values()] or [_(str(exc))]


@bp.route("/")
@roles(Role.COORDINATOR)
def index() -> str:
    """List the syndicates, a page at a time."""
    page, rows = queries.syndicates_page(page_number(request.args))
    return render_template("syndicates/index.html", page=page, rows=rows, form=NameForm())


@bp.route("/", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def create() -> Page:
    form = NameForm()
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            syndicate = services.create_syndicate(form.name.data, user_id=current_user.id)
            flash(_("Waste syndicate added."), "success")
            return redirect(url_for(".detail", syndicate_id=syndicate.id))
        form.name.errors = [*form.name.errors, *_messages(refused.error)]
    page, rows = queries.syndicates_page(1)
    return render_template("syndicates/index.html", page=page, rows=rows, form=form), 400


def _detail(
    syndicate_id: int, name_form: NameForm, communes_form: CommunesForm, status: int
) -> Page:
    syndicate = services.get_syndicate(syndicate_id)
    if not name_form.name.data:
        name_form.name.data = syndicate.name
    communes = queries.communes_of(syndicate.id)
    if communes_form.codes.data is None:
        communes_form.codes.data = " ".join(c.insee for c in communes)
    communes_form.epci.choices = [("", "—"), *queries.epci_choices()]
    page = render_template(
        "syndicates/detail.html",
        syndicate=syndicate,
        communes=communes,
        name_form=name_form,
        communes_form=communes_form,
        action=ActionForm(),
    )
    return page, status


@bp.route("/<int:syndicate_id>")
@roles(Role.COORDINATOR)
def detail(syndicate_id: int) -> Page:
    return _detail(syndicate_id, NameForm(formdata=None), CommunesForm(formdata=None), 200)


@bp.route("/<int:syndicate_id>/rename", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def rename(syndicate_id: int) -> Page:
    form = NameForm()
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            services.rename_syndicate(syndicate_id, form.name.data, user_id=current_user.id)
            flash(_("Waste syndicate renamed."), "success")
            return redirect(url_for(".detail", syndicate_id=syndicate_id))
        form.name.errors = [*form.name.errors, *_messages(refused.error)]
    return _detail(syndicate_id, form, CommunesForm(formdata=None), 400)


@bp.route("/<int:syndicate_id>/communes", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def communes(syndicate_id: int) -> Page:
    form = CommunesForm()
    form.epci.choices = [("", "—"), *queries.epci_choices()]
    if form.validate_on_submit():
        known, unknown = services.parse_codes(form.codes.data or "")
        if unknown:
            form.codes.errors = [_("Unknown INSEE codes: %(codes)s", codes=", ".join(unknown[:20]))]
        else:
            with refusal(InvalidInput) as refused:
                count = services.set_communes(
                    syndicate_id, known, epci_id=form.epci.data, user_id=current_user.id
                )
                flash(_("The syndicate serves %(count)s communes.", count=count), "success")
                return redirect(url_for(".detail", syndicate_id=syndicate_id))
            form.epci.errors = [*form.epci.errors, *_messages(refused.error)]
    return _detail(syndicate_id, NameForm(formdata=None), form, 400)


@bp.route("/<int:syndicate_id>/delete", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def delete(syndicate_id: int) -> Response:
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".detail", syndicate_id=syndicate_id))
    with refusal(InvalidInput) as refused:
        services.delete_syndicate(syndicate_id, user_id=current_user.id)
        flash(_("Waste syndicate deleted."), "success")
        return redirect(url_for(".index"))
    flash(" ".join(_messages(refused.error)), "error")
    return redirect(url_for(".detail", syndicate_id=syndicate_id))


@bp.route("/import", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
def import_file() -> Page:
    """Import syndicates and the communes they serve from a CSV file, all or nothing."""
    form = ImportForm()
    result, errors = run_upload(form, lambda data: import_syndicates(data, user_id=current_user.id))
    if result is not None:
        flash(summary(result), "success")
        return redirect(url_for(".index"))
    status = 400 if errors or form.errors else 200
    page = render_template("syndicates/import.html", form=form, errors=errors, schema=SCHEMA)
    return page, status
