"""Flask-Login wiring: how a session cookie becomes a user."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from accompagnement.auth.models import User
from accompagnement.auth.services import load_session_user
from accompagnement.extensions import login_manager


def init_app(app: Flask) -> None:
    """Configure the login manager."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load(session_id: str) -> User | None:
        return load_session_user(session_id)
