"""Per-IP rate limits on the public forms, counted in the database across workers and machines.

Each limited endpoint takes its limits from one configuration key (RATELIMIT_SIGN_IN...).
They are checked in a before-request hook that runs before anything reads the database, so
the counter's own short transaction never waits behind the request's (SQLite write lock).
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from accompagnement.throttle import storage  # noqa: F401  (registers the "database" scheme)

# endpoint -> configuration key of its limits (POST only: reading a form is free)
LIMITED_ENDPOINTS = {
    "auth.login": "RATELIMIT_SIGN_IN",
    "auth.forgot": "RATELIMIT_FORGOT",
    "door.new": "RATELIMIT_DOOR",
}
UNLIMITED = "1000000 per second"


def _limits_of_request() -> str:
    from flask import current_app

    name = LIMITED_ENDPOINTS.get(request.endpoint or "")
    return str(current_app.config[name]) if name else UNLIMITED


def _exempt() -> bool:
    return request.method != "POST" or request.endpoint not in LIMITED_ENDPOINTS


def init_app(app: Flask) -> Limiter:
    """Attach a limiter of its own to the app (Flask-Limiter keeps one app's settings).

    Its check runs first among the hooks that may touch the database.
    """
    limiter = Limiter(
        key_func=get_remote_address,
        default_limits=[_limits_of_request],
        default_limits_exempt_when=_exempt,
    )
    hooks = app.before_request_funcs.setdefault(None, [])
    before = list(hooks)
    limiter.init_app(app)
    added = [hook for hook in hooks if hook not in before]
    hooks[:] = added + before
    app.register_error_handler(RateLimitExceeded, _too_many)
    app.extensions["throttle"] = limiter
    return limiter


def limiter_of(app: Flask) -> Limiter:
    """Return the limiter `init_app` attached to the app (features add their own limits)."""
    return app.extensions["throttle"]  # type: ignore[no-any-return]


def _too_many(_error: RateLimitExceeded) -> tuple[str, int]:
    """Answer 429 with a page in the person's language (Retry-After is set by the limiter)."""
    from accompagnement.errorpages import render_error

    return render_error(
        429,
        _(
            "Too many attempts from your connection in a short time. "
            "Wait a few minutes, then try again."
        ),
    )
