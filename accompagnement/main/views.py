"""Home page and language choice."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, public, roles
from accompagnement.activities.services import today
from accompagnement.auth.views import safe_next
from accompagnement.db import utcnow
from accompagnement.main import queries
from accompagnement.meetings import queries as meetings_queries
from accompagnement.meetings.forms import KIND_LABELS
from accompagnement.network.models import TYPE_LABELS
from accompagnement.transaction import commits

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def index() -> str | Response:
    """Show each person what needs them now (a holder of a single project lands on it)."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    role = current_user.role
    if role == Role.COORDINATOR:
        home = queries.coordinator_home(current_user, today())
        return render_template("main/coordinator.html", home=home, types=TYPE_LABELS)
    if role == Role.HOLDER:
        projects = queries.holder_projects(current_user)
        planned = meetings_queries.planned_for_holder(current_user, utcnow())
        tasks = queries.overdue_tasks(current_user, today())
        if len(projects) == 1 and not tasks.total and not planned:
            # Overdue tasks and planned meetings first: they need the holder.
            return redirect(url_for("projects.detail", project_id=projects[0].project.id))
        return render_template(
            "main/holder.html", projects=projects, tasks=tasks, planned=planned, kinds=KIND_LABELS
        )
    if role == Role.NATIONAL:  # no network's home: the networks' figures side by side
        return redirect(url_for("national.index"))
    if role == Role.PARTNER:
        return render_template("main/partner.html", home=queries.partner_home(current_user))
    return render_template("main/member.html", home=queries.member_home(current_user, today()))


@bp.route("/to-review")
@roles(Role.COORDINATOR)
def to_review() -> str:
    """List every project whose current stage form was submitted and awaits a review."""
    return render_template("main/to_review.html", rows=queries.forms_to_review(limit=None).items)


@bp.route("/language", methods=["POST"])
@public
@commits
def set_language() -> Response:
    """Remember the interface language chosen by the visitor."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
    return redirect(safe_next(request.form.get("next")))
