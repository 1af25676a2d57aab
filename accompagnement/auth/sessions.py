"""Flask-Login wiring: how a session cookie becomes a user, and when a session ends.

The session cookie records when the person signed in (`login_at`) and when they were last seen
(`seen_at`), both inside the signed cookie: a cookie replayed after the idle or absolute timeout
is refused just like one replayed after logout (whose session token no longer matches).
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user, user_loaded_from_cookie

from accompagnement.auth.models import User
from accompagnement.auth.services import load_session_user
from accompagnement.extensions import login_manager
from accompagnement.security import log_event

LOGIN_AT = "login_at"
SEEN_AT = "seen_at"


def init_app(app: Flask) -> None:
    """Configure the login manager and the session timeouts."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load(session_id: str) -> User | None:
        return load_session_user(session_id)

    user_loaded_from_cookie.connect(_start_from_remember_cookie, app)
    app.before_request(enforce_session_timeouts)


def start_session() -> None:
    """Stamp a new signed-in session with its start time."""
    now = time.time()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now


def _start_from_remember_cookie(_app: Any, user: User, **_extra: Any) -> None:
    # Flask-Login 0.6 does not stamp a session restored from the remember cookie with the
    # identifier that "strong" protection compares: without it the next request signs out.
    session["_id"] = login_manager._session_identifier_generator()
    start_session()
    log_event("auth.login_from_cookie", user=user.id)


def session_expired(now: float | None = None) -> str | None:
    """Return why the current session is over ("idle" or "absolute"), or None."""
    now = time.time() if now is None else now
    config = current_app.config
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT, login_at)
    if not isinstance(login_at, int | float) or not isinstance(seen_at, int | float):
        return "absolute"
    if now - login_at > config["PERMANENT_SESSION_LIFETIME"].total_seconds():
        return "absolute"
    if now - seen_at > config["SESSION_IDLE_MINUTES"] * 60:
        return "idle"
    return None


def enforce_session_timeouts() -> None:
    """Sign out a session past its idle or absolute timeout; else note the person is here."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    reason = session_expired()
    if reason is None:
        session[SEEN_AT] = time.time()
        return
    log_event("auth.session_expired", reason=reason, user=current_user.id)
    session.clear()
    logout_user()
    flash(_("Your session has expired. Please sign in again."), "info")
