"""A coordinator turns an opened project into a member of the network."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import roles
from accompagnement.errors import DomainError
from accompagnement.extensions import db
from accompagnement.projects.membership import member_from_project
from accompagnement.projects.views import bp


@bp.route("/<int:project_id>/join-network", methods=["POST"])
@roles("coordinator")
def join_network(project_id: int) -> Response:
    """Turn an opened project into a member, then show the new member."""
    try:
        member = member_from_project(project_id, current_user.id)
    except DomainError as exc:
        db.session.rollback()
        if exc.status == 404:
            raise
        flash(exc.message, "error")
        return redirect(url_for("projects.detail", project_id=project_id))
    db.session.commit()
    flash(_("The project is now a member of the network."), "success")
    return redirect(url_for("members.detail", member_id=member.id))
