"""The holders of a project: add an existing holder account, invite a new one, remove one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, roles
from accompagnement.auth.links import INVITATION, mail_password_link, password_url
from accompagnement.auth.models import User
from accompagnement.errors import Forbidden, InvalidInput
from accompagnement.projects import forms, queries
from accompagnement.projects import holders as holder_services
from accompagnement.projects.models import Project
from accompagnement.projects.views.blueprint import (
    EDITORS,
    Page,
    bp,
    put_errors,
    redirect_to_detail,
)
from accompagnement.transaction import commits, refusal


def _coordinator_project(project_id: int) -> Project:
    """Load a visible project (404 otherwise) and refuse anyone but a coordinator (403)."""
    project = queries.get_visible_project(current_user, project_id, *queries.WITH_PEOPLE)
    if current_user.role != Role.COORDINATOR:
        raise Forbidden("Only a coordinator can change the holders of a project")
    return project


def _render(
    project: Project,
    *,
    add_form: forms.AddHolderForm | None = None,
    invite_form: forms.InviteHolderForm | None = None,
    status: int = 200,
    **extra: object,
) -> tuple[str, int]:
    add_form = add_form or forms.AddHolderForm(formdata=None)
    current = {h.id for h in project.holders}
    add_form.holder.choices = forms.choices(
        (u.id, f"{u.name} ({u.email})") for u in queries.holder_accounts() if u.id not in current
    )
    html = render_template(
        "projects/holders.html",
        project=project,
        add_form=add_form,
        invite_form=invite_form or forms.InviteHolderForm(formdata=None),
        **extra,
    )
    return html, status


@bp.route("/<int:project_id>/holders")
@roles(*EDITORS)
def holders(project_id: int) -> Page:
    """Show the holders of a project and the forms to add or invite one (coordinators).

    After an invitation that could not be mailed, `?invited=<id>` shows a fresh first-password
    link of that holder for as long as they have not chosen a password: made here, in the
    response, it never travels through the session cookie, and reloading the page shows it again.
    """
    project = _coordinator_project(project_id)
    invited = _pending_holder(project, request.args.get("invited", ""))
    if invited is None:
        return _render(project)
    return _render(project, invited=invited, link=password_url(invited), mailed=False)


def _pending_holder(project: Project, raw_id: str) -> User | None:
    """Return the holder of the project with this id who has not chosen a password yet."""
    if not raw_id.isdecimal() or len(raw_id) > 10:
        return None
    for holder in project.holders:
        if holder.id == int(raw_id) and not holder.password_hash and holder.is_active:
            return holder
    return None


@bp.route("/<int:project_id>/holders/add", methods=["POST"])
@roles(*EDITORS)
@commits
def add_holder(project_id: int) -> Page:
    """Make an existing holder account a holder of the project."""
    project = _coordinator_project(project_id)
    form = forms.AddHolderForm()
    if form.validate_on_submit() and form.holder.data:
        with refusal(InvalidInput) as refused:
            holder_services.add_holder(project.id, form.holder.data, user_id=current_user.id)
            flash(_("The holder was added to the project."), "success")
            return redirect_to_detail(project.id, "holders")
        put_errors(form, {"holder": " ".join(refused.error.errors.values())})
    elif not form.errors:
        form.holder.errors = [_("Choose a holder account.")]
    return _render(project, add_form=form, status=400)


@bp.route("/<int:project_id>/holders/invite", methods=["POST"])
@roles(*EDITORS)
@commits
def invite_holder(project_id: int) -> Page:
    """Create a holder account without password, add it, and give its first-password link."""
    project = _coordinator_project(project_id)
    form = forms.InviteHolderForm()
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            holder = holder_services.invite_holder(
                project.id,
                name=form.name.data or "",
                email=form.email.data or "",
                user_id=current_user.id,
            )
            # The account and its invitation e-mail (outbox) commit together.
            mailed = mail_password_link(holder, INVITATION, password_url(holder))
            if mailed:
                flash(
                    _(
                        "An e-mail with a link to choose a password was sent to %(email)s.",
                        email=holder.email,
                    ),
                    "success",
                )
                return redirect(url_for("projects.holders", project_id=project.id))
            # Post/redirect/get: the page shows a fresh link (never kept in the session cookie).
            return redirect(url_for("projects.holders", project_id=project.id, invited=holder.id))
        put_errors(form, refused.error.errors)
    return _render(project, invite_form=form, status=400)


@bp.route("/<int:project_id>/holders/<int:user_id>/remove", methods=["POST"])
@roles(*EDITORS)
@commits
def remove_holder(project_id: int, user_id: int) -> Response:
    """Remove a holder from the project (the account stays)."""
    project = _coordinator_project(project_id)
    holder_services.remove_holder(project.id, user_id, user_id=current_user.id)
    flash(_("The holder was removed from the project."), "success")
    return redirect_to_detail(project.id, "holders")
