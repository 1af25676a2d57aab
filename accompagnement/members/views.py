"""Pages of the member directory: list, detail, edit, leave, import, export."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from accompagnement.access import Role, roles
from accompagnement.errors import InvalidInput
from accompagnement.importing import run_upload
from accompagnement.importing.forms import ImportForm
from accompagnement.members import exports, queries, services
from accompagnement.members.forms import (
    LeaveForm,
    MemberForm,
    function_choices,
    kind_choices,
)
from accompagnement.members.importer import SCHEMA, import_members, summary
from accompagnement.pagination import page_number
from accompagnement.transaction import commits, refusal

bp = Blueprint("members", __name__, url_prefix="/members")
READERS = (Role.COORDINATOR, Role.PARTNER, Role.MEMBER)


@bp.context_processor
def _names() -> dict[str, object]:
    return {
        "function_names": dict(function_choices()),
        "kind_names": dict(kind_choices()),
        "status_names": {"member": _("Member"), "former": _("Former member")},
    }


@bp.route("/")
@roles(*READERS)
def index() -> str:
    """List the members, filtered by département, status and function."""
    departements = queries.departements(current_user)
    filters = queries.Filters.from_args(request.args, [c for c, _n in departements])
    members, page = queries.list_members(current_user, filters, page_number(request.args))
    return render_template(
        "members/index.html",
        members=members,
        page=page,
        filters=filters,
        departements=departements,
        sees_contact=queries.sees_contact,
    )


@bp.route("/<int:member_id>")
@roles(*READERS)
def detail(member_id: int) -> str:
    """Show one member; contact details only to coordinators and the member's own accounts."""
    member = queries.get_member(current_user, member_id)
    return render_template(
        "members/detail.html",
        member=member,
        show_contact=queries.sees_contact(current_user, member),
        leave_form=LeaveForm(),
        project_url=_project_url(member.project_id) if member.project_id else None,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def create() -> str | Response:
    """Add a member to the directory."""
    form = MemberForm()
    if request.method == "GET":
        form.functions.data = list(services.FUNCTIONS)
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            member = services.create_member(form.values(), user_id=current_user.id)
            flash(_("Member added."), "success")
            return redirect(url_for("members.detail", member_id=member.id))
        form.show_errors(refused.error.errors)
    return render_template("members/edit.html", form=form, member=None)


@bp.route("/<int:member_id>/edit", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def edit(member_id: int) -> str | Response:
    """Change the details of a member."""
    member = queries.get_member(current_user, member_id)
    form = MemberForm()
    if request.method == "GET":
        form.fill(member)
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            services.update_member(member.id, form.values(), user_id=current_user.id)
            flash(_("Member saved."), "success")
            return redirect(url_for("members.detail", member_id=member.id))
        form.show_errors(refused.error.errors)
    return render_template("members/edit.html", form=form, member=member)


@bp.route("/<int:member_id>/former", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def mark_former(member_id: int) -> Response:
    """Record that a member left the network."""
    form = LeaveForm()
    if not form.validate():
        flash(_("Invalid date."), "error")
        return redirect(url_for("members.detail", member_id=member_id))
    with refusal(InvalidInput) as refused:
        services.mark_former(member_id, form.left_on.data, user_id=current_user.id)
        flash(_("The member is now a former member."), "success")
    if refused:
        flash(" ".join(refused.error.errors.values()) or refused.error.message, "error")
    return redirect(url_for("members.detail", member_id=member_id))


@bp.route("/<int:member_id>/reinstate", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def reinstate(member_id: int) -> Response:
    """Make a former member a member again."""
    services.reinstate(member_id, user_id=current_user.id)
    flash(_("The structure is a member again."), "success")
    return redirect(url_for("members.detail", member_id=member_id))


@bp.route("/import", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
def import_csv() -> str | tuple[str, int] | Response:
    """Import members from a CSV file, all or nothing."""
    form = ImportForm()
    result, errors = run_upload(form, lambda data: import_members(data, user_id=current_user.id))
    if result is not None:
        flash(summary(result), "success")
        return redirect(url_for("members.index", status="all"))
    status = 400 if errors or form.errors else 200
    page = render_template("members/import.html", form=form, errors=errors, schema=SCHEMA)
    return page, status


@bp.route("/export", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def export() -> Response:
    """Download the whole directory as CSV, contact details included (the export is logged)."""
    pieces = exports.members_csv(user_id=current_user.id)  # its audit row commits first
    return Response(
        stream_with_context(pieces),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="membres.csv"'},
    )


def _project_url(project_id: int) -> str:
    """Return the page of a project, or the directory while the project page does not exist."""
    try:
        return url_for("projects.detail", project_id=project_id)
    except BuildError:
        return url_for("members.index")
