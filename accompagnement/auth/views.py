"""Sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from accompagnement.access import public, signed_in
from accompagnement.auth import services
from accompagnement.auth.forms import LoginForm
from accompagnement.db import utcnow
from accompagnement.extensions import db

bp = Blueprint("auth", __name__, url_prefix="/auth")


def safe_next(target: str | None) -> str:
    """Return `target` when it is a path on this site, else the home page."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response:
    """Sign in with an e-mail address and a password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(
            form.email.data or "",
            form.password.data or "",
            max_failures=current_app.config["LOGIN_MAX_FAILURES"],
            lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"],
        )
        db.session.commit()
        if user is None:
            current_app.logger.warning("login failed for %r", (form.email.data or "")[:254])
            flash(_("Wrong e-mail address or password, or account locked for a while."), "error")
            return render_template("auth/login.html", form=form), 200
        session.clear()
        login_user(user, remember=bool(form.remember.data))
        session["login_at"] = utcnow().timestamp()
        current_app.logger.info("login user=%s", user.id)
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@signed_in
def logout() -> Response:
    """Sign out, invalidating every cookie issued to this session."""
    services.sign_out_everywhere(current_user.id)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
