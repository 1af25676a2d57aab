"""Links in notification e-mails: absolute URLs, and the signed links to one's settings.

A settings link carries the user id, a kind and the network of the e-mail (the kinds offered
follow the person's role there), signed with the SECRET_KEY under its own salt; it works without
signing in, for NOTIFICATION_LINK_DAYS. It can only change that person's notification settings:
nothing else is reachable with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context, request, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from accompagnement.auth.models import User
from accompagnement.errors import DomainError
from accompagnement.extensions import db
from accompagnement.tenancy import current_network_id, unscoped

SALT = "accompagnement.notification-settings"


class SettingsLinkInvalid(DomainError):
    """The settings link is forged, expired, or for an account that no longer exists."""

    status = 400


@dataclass(frozen=True)
class SettingsLink:
    """Whose settings a valid link opens, and the kind of the e-mail it came in."""

    user: User
    kind: str
    network_id: int | None = None  # None: a link made before links named their network


def path_for(endpoint: str, **values: Any) -> str:
    """Return the path of an endpoint, inside a request or not (a command)."""
    if has_request_context():
        return url_for(endpoint, **values)
    # No request to borrow: build from the URL map itself (a pushed request context would run
    # the teardown handlers of a request when it ends).
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute(path: str) -> str:
    """Return the absolute URL of a path: on BASE_URL when set (e-mails), else the request's."""
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    if not base and has_request_context():
        base = request.host_url.rstrip("/")
    return (base or "http://localhost") + path


def absolute_url(endpoint: str, **values: Any) -> str:
    """Return the absolute URL of an endpoint."""
    return absolute(path_for(endpoint, **values))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def settings_token(user_id: int, kind: str) -> str:
    """Return a signed token opening this person's settings, from an e-mail of this kind sent
    in the network in scope."""
    return str(_serializer().dumps({"u": user_id, "k": kind, "n": current_network_id()}))


def read_settings_token(token: str) -> SettingsLink:
    """Return whose settings a token opens, or raise SettingsLinkInvalid."""
    days = int(current_app.config["NOTIFICATION_LINK_DAYS"])
    try:
        payload = _serializer().loads(token, max_age=days * 86400)
    except SignatureExpired as exc:
        raise SettingsLinkInvalid("This link has expired.") from exc
    except BadSignature as exc:
        raise SettingsLinkInvalid("This link is not valid.") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise SettingsLinkInvalid("This link is not valid.")
    with unscoped():  # loaded with no network's criteria: its roles are read in the link's one
        user = db.session.get(User, payload["u"])
    if user is None or not user.is_active:
        raise SettingsLinkInvalid("This link is not valid.")
    network_id = payload.get("n")
    return SettingsLink(
        user, str(payload.get("k", "")), network_id if isinstance(network_id, int) else None
    )


def settings_url(user_id: int, kind: str) -> str:
    """Return the signed page where the person changes their settings without signing in."""
    return absolute_url("notifications.by_link", token=settings_token(user_id, kind))


def unsubscribe_url(user_id: int, kind: str) -> str:
    """Return the List-Unsubscribe address (one-click POST stops this kind)."""
    return absolute_url("notifications.unsubscribe", token=settings_token(user_id, kind))
