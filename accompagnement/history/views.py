"""The coordinator's page to import a network's existing projects with their history."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, roles
from accompagnement.history.importer import SCHEMA, import_projects, summary
from accompagnement.importing import run_upload
from accompagnement.importing.forms import ImportForm
from accompagnement.workflows.services import available, latest_workflow

bp = Blueprint("history", __name__, url_prefix="/admin/import")


@bp.route("/projects", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
def import_projects_page() -> str | tuple[str, int] | Response:
    """Upload a history file; on errors list every one of them (line and column)."""
    form = ImportForm()
    result, errors = run_upload(form, lambda data: import_projects(data, user_id=current_user.id))
    if result is not None:
        flash(summary(result), "success")
        return redirect(url_for("projects.board"))
    status = 400 if errors or form.errors else 200
    workflows = [latest_workflow(name) for name in available().names()]
    page = render_template(
        "history/import.html",
        form=form,
        errors=errors,
        schema=SCHEMA,
        workflows=workflows,
    )
    return page, status
