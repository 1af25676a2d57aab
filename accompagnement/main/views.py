"""Home page and language choice."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import public
from accompagnement.auth.views import safe_next
from accompagnement.extensions import db
from accompagnement.projects.queries import visible_projects

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def index() -> str | Response:
    """Send each person to the page they use most."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    projects = db.session.scalars(visible_projects(current_user)).all()
    return render_template("main/index.html", projects=projects)


@bp.route("/language", methods=["POST"])
@public
def set_language() -> Response:
    """Remember the interface language chosen by the visitor."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))
