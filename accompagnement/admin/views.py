"""User administration (coordinators): list, invite, change access, deactivate, password links."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, roles
from accompagnement.admin import queries, services
from accompagnement.admin.forms import AccessForm, ActionForm, InviteForm, UserFilterForm
from accompagnement.auth.links import INVITATION, RESET, mail_password_link, password_url
from accompagnement.auth.models import User
from accompagnement.errors import InvalidInput
from accompagnement.pagination import page_number
from accompagnement.security import log_event
from accompagnement.transaction import commits, refusal

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _access_form(form_class: type[AccessForm], user: User | None = None) -> AccessForm:
    form = form_class(obj=user) if user is not None and request.method == "GET" else form_class()
    if user is not None and request.method == "GET":
        form.departements.data = [scope.departement_code for scope in user.departements]
    form.set_choices(
        queries.departement_choices(),
        queries.member_choices(user.member_id if user else None),
        queries.organisation_choices(user.organisation_id if user else None),
    )
    return form


def _show_errors(form: AccessForm, error: InvalidInput) -> None:
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [_(message)]
        else:
            flash(_(message), "error")


def _deliver_link(user: User) -> Response | str:
    """E-mail a fresh password link, or show it to the coordinator to pass on.

    A link to show is rendered in this answer only: never kept in the session, whose cookie is
    signed but readable by anyone holding it.
    """
    url = password_url(user)
    kind = RESET if user.has_password else INVITATION
    if mail_password_link(user, kind, url):  # queued in the outbox; `flask notify send` sends it
        flash(_("A link to choose a password was sent to %(email)s.", email=user.email), "info")
        return redirect(url_for("admin.user", user_id=user.id))
    form = _access_form(AccessForm, user)
    form.process(formdata=None, obj=user)  # the account as saved, not the posted button
    form.departements.data = [scope.departement_code for scope in user.departements]
    return _user_page(user, form, url)


@bp.route("/users")
@roles(Role.COORDINATOR)
def users() -> str:
    """List the accounts, filtered by role and status."""
    form = UserFilterForm(request.args)
    form.validate()
    active = {"active": True, "inactive": False}.get(form.status.data or "")
    role = form.role.data if not form.role.errors else None
    users, page = queries.list_users(role or None, active, page_number(request.args))
    return render_template("admin/users.html", users=users, page=page, form=form)


@bp.route("/users/new", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def new_user() -> str | Response:
    """Invite a person: create the account and give them a link to choose a password."""
    form = _access_form(InviteForm)
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            user = services.invite_user(
                actor_id=current_user.id,
                email=form.email.data or "",  # type: ignore[attr-defined]
                name=form.name.data or "",  # type: ignore[attr-defined]
                role=form.role.data or "",
                departements=form.departements.data or [],
                member_id=form.member_id.data,
                organisation_id=form.organisation_id.data,
            )
            # The account and its invitation e-mail (outbox) commit together.
            mailed = mail_password_link(user, INVITATION, password_url(user))
            log_event("admin.user_invited", user=user.id, role=user.role)
            flash(_("The account of %(name)s is created.", name=user.name), "info")
            if mailed:
                flash(_("A link to choose a password was sent to %(email)s.", email=user.email))
                return redirect(url_for("admin.user", user_id=user.id))
            # Post/redirect/get: the account page shows a fresh link, never kept in the cookie.
            return redirect(url_for("admin.user", user_id=user.id, invited=1))
        _show_errors(form, refused.error)
    return render_template("admin/new_user.html", form=form)


@bp.route("/users/<int:user_id>")
@roles(Role.COORDINATOR)
def user(user_id: int) -> str:
    """Show one account, its access and the actions on it."""
    account = queries.get_user(user_id)
    pending = request.args.get("invited") and account.active and not account.has_password
    link = password_url(account) if pending else None
    return _user_page(account, _access_form(AccessForm, account), link)


def _user_page(account: User, form: AccessForm, link: str | None = None) -> str:
    return render_template(
        "admin/user.html", account=account, form=form, action=ActionForm(), link=link
    )


@bp.route("/users/<int:user_id>/access", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def change_access(user_id: int) -> str | Response:
    """Change the role of an account and its limits."""
    account = queries.get_user(user_id)
    form = _access_form(AccessForm, account)
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            services.change_access(
                account.id,
                actor_id=current_user.id,
                role=form.role.data or "",
                departements=form.departements.data or [],
                member_id=form.member_id.data,
                organisation_id=form.organisation_id.data,
            )
            log_event("admin.access_changed", user=account.id, role=account.role)
            flash(_("The access of %(name)s is saved.", name=account.name), "info")
            return redirect(url_for("admin.user", user_id=account.id))
        _show_errors(form, refused.error)
    return _user_page(queries.get_user(user_id), form)


def _act(
    user_id: int, action: Callable[..., User], event: str, message: Callable[[User], str]
) -> Response:
    """Run one button action on an account (CSRF checked), then come back to its page."""
    if ActionForm().validate_on_submit():
        with refusal(InvalidInput) as refused:
            account = action(user_id, actor_id=current_user.id)
            log_event(event, user=account.id)
            flash(message(account), "info")
        if refused:
            flash(_(refused.error.message), "error")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def deactivate(user_id: int) -> Response:
    """Deactivate an account and end its sessions."""
    return _act(
        user_id,
        services.deactivate,
        "admin.user_deactivated",
        lambda account: _("%(name)s is deactivated and signed out.", name=account.name),
    )


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def reactivate(user_id: int) -> Response:
    """Let a deactivated account sign in again."""
    return _act(
        user_id,
        services.reactivate,
        "admin.user_reactivated",
        lambda account: _("%(name)s is active again.", name=account.name),
    )


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def unlock(user_id: int) -> Response:
    """Lift the lock after too many failed sign-ins."""
    return _act(
        user_id,
        services.unlock,
        "admin.user_unlocked",
        lambda account: _("%(name)s can sign in again.", name=account.name),
    )


@bp.route("/users/<int:user_id>/password-link", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def password_link(user_id: int) -> Response | str:
    """Make a new password link for an account: e-mailed, or shown to pass on."""
    if ActionForm().validate_on_submit():
        with refusal(InvalidInput) as refused:
            account = services.prepare_password_link(user_id, actor_id=current_user.id)
            log_event("admin.password_link", user=account.id)
            return _deliver_link(account)
        flash(_(refused.error.message), "error")
    return redirect(url_for("admin.user", user_id=user_id))
