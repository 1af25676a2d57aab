"""The coordinator's reminders page: projects late in their stage, or left without news."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from accompagnement.access import Role, roles
from accompagnement.pagination import clamp, page_number
from accompagnement.reminders import queries

bp = Blueprint("reminders", __name__, url_prefix="/reminders")


@bp.route("/")
@roles(Role.COORDINATOR)
def index() -> str:
    """Show the projects that need the coordinator's attention."""
    days = current_app.config["STALE_PROJECT_DAYS"]
    late = clamp(page_number(request.args), queries.count_overdue())
    stale = clamp(page_number(request.args, "stale_page"), queries.count_stale(days))
    return render_template(
        "reminders/index.html",
        overdue=queries.overdue_projects(offset=late.offset, limit=late.per_page),
        overdue_page=late,
        stale=queries.stale_projects(days, offset=stale.offset, limit=stale.per_page),
        stale_page=stale,
        stale_days=days,
    )
