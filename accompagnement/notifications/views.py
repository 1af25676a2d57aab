"""Notification settings: on the account (signed in), or from a signed link in any e-mail."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import public, signed_in
from accompagnement.auth.models import User
from accompagnement.auth.scope import membership_network_ids, work_in
from accompagnement.extensions import csrf, db
from accompagnement.notifications import links, services
from accompagnement.notifications.forms import settings_form
from accompagnement.notifications.kinds import kinds_for
from accompagnement.security import log_event
from accompagnement.transaction import commits

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _read_link(token: str) -> links.SettingsLink:
    """Read a settings link and work in the network of the e-mail it came in (else the
    person's first one): the settings offered follow the person's role in that network."""
    link = links.read_settings_token(token)
    mine = membership_network_ids(link.user)
    if mine:
        work_in(link.network_id if link.network_id in mine else mine[0])
    return link


def _settings_page(user: User, action: str, template: str) -> str | Response:
    """Show a person's settings form, or save it and come back to it."""
    kinds = kinds_for(user.role)
    form = settings_form(kinds, services.settings_of(user))
    if form.validate_on_submit():
        services.set_settings(user.id, form.choices(kinds))
        flash(_("Your notification settings are saved."), "info")
        return redirect(action)
    return render_template(template, form=form, kinds=kinds, action=action, user=user)


@bp.route("/", methods=["GET", "POST"])
@signed_in
@commits
def settings() -> str | Response:
    """Show or change which e-mails the signed-in person receives, and when."""
    user = db.session.get(User, current_user.id)
    assert user is not None
    return _settings_page(user, url_for("notifications.settings"), "notifications/settings.html")


@bp.route("/email/<token>", methods=["GET", "POST"])
@public
@commits
def by_link(token: str) -> str | Response:
    """Show or change a person's e-mail settings from the signed link of an e-mail."""
    link = _read_link(token)
    action = url_for("notifications.by_link", token=token)
    return _settings_page(link.user, action, "notifications/by_link.html")


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: the mail client posts no form; the signed token stands for it
@public
@commits
def unsubscribe(token: str) -> Response:
    """Stop the e-mails of one kind (one-click POST from the mail client); GET shows all."""
    link = _read_link(token)
    if request.method != "POST":
        return redirect(url_for("notifications.by_link", token=token))
    stopped = services.unsubscribe(link.user, link.kind)
    log_event("notifications.unsubscribed", user=link.user.id, kind=link.kind)
    if stopped:
        names = ", ".join(str(kind.label) for kind in stopped)
        flash(_("You will no longer receive these e-mails: %(kinds)s.", kinds=names), "info")
    else:
        flash(_("These e-mails were already stopped."), "info")
    return redirect(url_for("notifications.by_link", token=token))
