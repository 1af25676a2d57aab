"""The coordinator's reminders page: projects late in their stage, or left without news."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from accompagnement.access import Role, roles
from accompagnement.reminders.queries import overdue_projects, stale_projects

bp = Blueprint("reminders", __name__, url_prefix="/reminders")


@bp.route("/")
@roles(Role.COORDINATOR)
def index() -> str:
    """Show the projects that need the coordinator's attention."""
    days = current_app.config["STALE_PROJECT_DAYS"]
    return render_template(
        "reminders/index.html",
        overdue=overdue_projects(),
        stale=stale_projects(days),
        stale_days=days,
    )
