"""The JSON API under /api/v1: personal access tokens, problem details, the OpenAPI document.

`init_app` wires it into the application: the blueprint (its writes included), no CSRF (no
cookie is read), the first hook that ignores cookies, the rate limits per token and per IP,
the hooks flask-openapi3 reads on the app, and the last hook that makes every error a problem.
"""

from __future__ import annotations

from flask import Flask, Response, request

from accompagnement import throttle
from accompagnement.api import auth, national, problems, records, writes  # noqa: F401  (routes)
from accompagnement.api.views import bp
from accompagnement.auth import sessions
from accompagnement.extensions import csrf
from accompagnement.security import SAFE_METHODS


def init_app(app: Flask) -> None:
    """Register the API on the app (after the limiter, the sessions and the security hooks)."""
    app.register_blueprint(bp)
    csrf.exempt(bp)
    hooks = app.before_request_funcs.setdefault(None, [])
    hooks.insert(hooks.index(sessions.enforce_session_timeouts), auth.ignore_cookies)
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)  # the last to run
    # What flask-openapi3 reads on the app: how a refused request and a response are checked.
    app.validation_error_callback = problems.invalid_request  # type: ignore[attr-defined]
    app.validate_response = app.config["API_VALIDATE_RESPONSES"]  # type: ignore[attr-defined]
    app.validate_response_callback = _validated  # type: ignore[attr-defined]
    limiter = throttle.limiter_of(app)
    limiter.limit(auth.limits("API_RATELIMIT_TOKEN"), key_func=auth.rate_key)(bp)
    limiter.limit(auth.limits("API_RATELIMIT_IP"))(bp)


def _validated(response: Response, responses: dict) -> Response:
    """Check a successful JSON answer against its model (errors are problems, checked apart)."""
    from flask_openapi3.utils import run_validate_response

    if response.status_code >= 300:
        return response
    return run_validate_response(response, responses)  # type: ignore[no-any-return]


def _finish(response: Response) -> Response:
    """Make any error under /api a problem (pages' HTML errors too); let GETs be revalidated."""
    if not auth.is_api_request():
        return response
    if response.status_code >= 400 and response.mimetype != problems.MEDIA_TYPE:
        kept = {k: v for k, v in response.headers.items() if k in ("Retry-After", "Allow")}
        response = problems.problem(response.status_code)
        response.headers.update(kept)
    if request.method in SAFE_METHODS:
        response.headers["Cache-Control"] = "private, no-cache"
    return response
