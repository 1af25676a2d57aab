"""The blueprint of the project pages and the helpers its views share."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from accompagnement.access import Role

bp = Blueprint("projects", __name__, url_prefix="/projects")

EDITORS = (Role.COORDINATOR, Role.HOLDER)
Page = str | Response | tuple[str, int]


def put_errors(form: object, errors: dict[str, str]) -> None:
    """Show service errors next to the matching fields of a form, or as a flash message."""
    for key, message in errors.items():
        bound = getattr(form, key, None)
        if bound is not None and hasattr(bound, "errors"):
            bound.errors = [*bound.errors, _(message)]
        else:
            flash(_(message), "error")


def redirect_to_detail(project_id: int, anchor: str | None = None) -> Response:
    """Go back to the project page, at an anchor."""
    return redirect(url_for("projects.detail", project_id=project_id, _anchor=anchor))
