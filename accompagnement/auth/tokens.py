"""Signed, expiring, single-use links to choose a password (invitation or reset).

A token carries the user id and a fingerprint of the account's current password hash and session
token, signed with the SECRET_KEY. Setting a password (or signing out everywhere) changes the
fingerprint, so a link works once; its timestamp makes it expire after RESET_TOKEN_HOURS.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from accompagnement.auth.models import User
from accompagnement.errors import DomainError
from accompagnement.extensions import db

SALT = "accompagnement.password-link"


class LinkInvalid(DomainError):
    """The link is forged, already used, or for an account that cannot sign in."""

    status = 400


class LinkExpired(LinkInvalid):
    """The link was genuine but is older than RESET_TOKEN_HOURS."""


def serializer() -> URLSafeTimedSerializer:
    """Return the serializer of password links (SECRET_KEY, own salt)."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def fingerprint(user: User) -> str:
    """Return a keyed digest of what a password link must still match to be used."""
    state = f"{user.id}|{user.password_hash or ''}|{user.session_token}".encode()
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, state, hashlib.sha256).hexdigest()[:32]


def make_token(user: User) -> str:
    """Return a new password link token for this user."""
    return serializer().dumps({"u": user.id, "f": fingerprint(user)})


def user_for_token(token: str, *, now: datetime | None = None) -> User:
    """Return the user a still-valid token is for, or raise LinkInvalid / LinkExpired."""
    try:
        payload, issued = serializer().loads(token, return_timestamp=True)
    except BadSignature as exc:
        raise LinkInvalid("This link is not valid.") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise LinkInvalid("This link is not valid.")
    now = now or datetime.now(UTC)
    if now - issued > timedelta(hours=current_app.config["RESET_TOKEN_HOURS"]):
        raise LinkExpired("This link has expired.")
    user = db.session.get(User, payload["u"])
    if user is None or not user.is_active:
        raise LinkInvalid("This link is not valid.")
    if not hmac.compare_digest(str(payload.get("f", "")), fingerprint(user)):
        raise LinkInvalid("This link has already been used or is no longer valid.")
    return user
