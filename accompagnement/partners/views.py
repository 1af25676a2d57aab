"""Pages of the partners feature: the read-only pipeline dashboard."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from flask_login import current_user

from accompagnement.access import Role, roles
from accompagnement.auth.queries import partner_scope
from accompagnement.i18n import current_language
from accompagnement.meetings import queries as meetings_queries
from accompagnement.pagination import page_number
from accompagnement.partners import display, queries

bp = Blueprint("partners", __name__, url_prefix="/partners")


def _accompaniment_time(board: queries.Dashboard) -> dict[str, object]:
    """The coordination's time with the projects the reader may see, last twelve months (totals:
    never the exchanges' notes), per stage of the board's pathway."""
    scope = partner_scope(current_user)
    cut = (
        [board.departement] if board.departement else (sorted(scope) if scope is not None else None)
    )
    today = meetings_queries.local_now().date()
    start = today - dt.timedelta(days=365)
    spent = meetings_queries.time_spent(start, today, departements=cut)
    language = current_language()
    rows = [
        (meetings_queries.stage_name(workflow, stage, language), round(minutes / 60, 1))
        for workflow, stage, minutes in spent.by_stage
        if workflow == board.workflow_name
    ]
    return {"spent": spent, "hours": round(spent.total / 60, 1), "rows": rows, "start": start}


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
        time=_accompaniment_time(board),
        charts=display.charts(board),
        tables=display.tables(board),
        departement_name=display.departement_name,
        days_text=display.days_text,
    )
