"""Pages of the partners feature: the read-only pipeline dashboard."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from accompagnement.access import Role, roles
from accompagnement.pagination import page_number
from accompagnement.partners import display, queries

bp = Blueprint("partners", __name__, url_prefix="/partners")


@bp.route("/")
@roles(Role.PARTNER, Role.COORDINATOR)
def dashboard() -> str:
    """Show pipeline figures and projects of one workflow, without any personal data."""
    board = queries.dashboard(
        current_user,
        workflow=request.args.get("workflow"),
        departement=request.args.get("departement"),
        page=page_number(request.args),
    )
    return render_template(
        "partners/dashboard.html",
        board=board,
        charts=display.charts(board),
        tables=display.tables(board),
        departement_name=display.departement_name,
        days_text=display.days_text,
    )
