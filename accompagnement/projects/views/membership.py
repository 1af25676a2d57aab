"""A coordinator turns an opened project into a member of the network."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, roles
from accompagnement.errors import InvalidInput
from accompagnement.members.services import AlreadyMember
from accompagnement.projects.membership import member_from_project
from accompagnement.projects.views.blueprint import bp
from accompagnement.transaction import commits, refusal


@bp.route("/<int:project_id>/join-network", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def join_network(project_id: int) -> Response:
    """Turn an opened project into a member, then show the new member."""
    with refusal(InvalidInput, AlreadyMember) as refused:
        member = member_from_project(project_id, current_user.id)
        flash(_("The project is now a member of the network."), "success")
        return redirect(url_for("members.detail", member_id=member.id))
    flash(refused.error.message, "error")
    return redirect(url_for("projects.detail", project_id=project_id))
