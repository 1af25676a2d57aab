"""Who calls the API: a personal access token in `Authorization: Bearer`, never a cookie.

`ignore_cookies` runs among the application's first hooks on every /api request: the person is
anonymous until the token says otherwise, so the session cookie is never read (and no CSRF token
is needed: a cross-site page cannot set the header). `authenticate` then loads the token, its
person and (marked below) the network it is bound to. Each view declares its scope and roles with
`@token(...)`, which also gives it the access policy the URL-map test looks for.

National staff's tokens are bound to no network: their requests run outside any network scope,
and only the national endpoints (`@token("read", Role.NATIONAL)`) take them; those endpoints take
no network's token, even one whose person has become national staff since.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, current_app, g, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin

from accompagnement.access import Role
from accompagnement.api.problems import problem
from accompagnement.auth import apitokens
from accompagnement.auth.models import ApiToken, User
from accompagnement.auth.scope import work_in
from accompagnement.extensions import db
from accompagnement.security import log_event

F = TypeVar("F", bound=Callable[..., Any])
PREFIX = "/api/"
SCHEME = "bearer "


def is_api_request() -> bool:
    """Tell whether the current request is addressed to the API."""
    return request.path.startswith(PREFIX)


def ignore_cookies() -> None:
    """Make an API request anonymous and speak its Accept-Language, whatever cookies it has."""
    if is_api_request():
        g._login_user = AnonymousUserMixin()
        g.language_from_header = True


def bearer_secret() -> str | None:
    """Return the secret of the `Authorization: Bearer` header, if there is one."""
    header = request.headers.get("Authorization", "")
    if header[: len(SCHEME)].lower() != SCHEME:
        return None
    return header[len(SCHEME) :].strip() or None


def rate_key() -> str:
    """Return the rate-limit key of the request's token (a hash: the secret never reaches logs)."""
    secret = bearer_secret() or ""
    return "api-token:" + hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def authenticate() -> Response | None:
    """Load the token's person for this request, or answer 401 (the blueprint's first hook);
    answer 403 when the view is not for this person's role or the token's scope."""
    secret = bearer_secret()
    held = apitokens.authenticate(secret) if secret else None
    if held is None:
        log_event("api.refused", level="warning", reason="no valid token" if secret else "none")
        answer = problem(401, _("Send a valid, unexpired API token in the Authorization header."))
        answer.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return answer
    if apitokens.mark_used(held):
        db.session.commit()  # its own short write, before the request reads anything else
    g._login_user = held.user
    g.api_token = held
    work_in(held.network_id)  # the token's network (none: national), for the rest of the request
    return _refusal(held, current_app.view_functions[request.endpoint or ""])


def log_use(response: Response) -> Response:
    """Log every use of a token: which one, what it asked, what it got."""
    token: ApiToken | None = g.get("api_token")
    if token is not None:
        log_event(
            "api.request",
            key_id=token.id,
            user=token.user_id,
            method=request.method,
            status=response.status_code,
        )
    return response


def caller() -> User:
    """Return the person whose token authenticated this request."""
    return g.api_token.user  # type: ignore[no-any-return]


def token(scope: str, *allowed: Role) -> Callable[[F], F]:
    """Let tokens of `scope` ("read" or "write") held by `allowed` roles call the view.

    Only marks the view: `authenticate` checks the marks before the request's body is read, so
    a token that may not call the view is told so (403) whatever it sent.
    """
    if scope not in ("read", "write") or not all(isinstance(r, Role) for r in allowed):
        raise TypeError("token() takes 'read' or 'write' and Role members")
    if Role.NATIONAL in allowed and (len(allowed) > 1 or scope != "read"):
        raise TypeError("a national endpoint only reads, for national tokens only")

    def decorator(view: F) -> F:
        view.access_policy = frozenset(allowed)  # type: ignore[attr-defined]
        view.api_scope = scope  # type: ignore[attr-defined]
        return view

    return decorator


def _refusal(held: ApiToken, view: Any) -> Response | None:
    """Return the 403 answer when the token's person, kind or scope may not call the view."""
    policy = getattr(view, "access_policy", ())
    if held.user.role not in policy:
        return problem(403, _("Your role may not use this part of the API."))
    if held.is_national != (Role.NATIONAL in policy):
        return problem(403, _(
            "A network's token reads only its network; a national token, only the national figures."
        ))  # fmt: skip
    if getattr(view, "api_scope", "write") == "write" and held.scope != "write":
        return problem(403, _("This token may only read: make a token that may write."))
    return None


def limits(app_config_key: str) -> Callable[[], str]:
    """Return a callable reading a limit from the configuration at request time."""
    return lambda: str(current_app.config[app_config_key])
