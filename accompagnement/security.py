"""Security headers on every response, the write intent of each request, security event logs."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix

from accompagnement.db import write_intent

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"
HSTS = "max-age=63072000; includeSubDomains"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SECRET_WORDS = ("password", "token", "secret")
EVENT_NAME = re.compile(r"[a-z][a-z_.]{0,59}")

security_log = logging.getLogger("accompagnement.security")


def init_app(app: Flask) -> None:
    """Install the request hooks of this module."""
    # First of all hooks: any hook that reads the database (loading the user) must already
    # know whether this request may write (BEGIN IMMEDIATE on SQLite) or only read.
    app.before_request_funcs.setdefault(None, []).insert(0, _set_write_intent)
    app.before_request(_refuse_nul_characters)
    app.after_request(_add_headers)
    app.after_request(_log_forbidden)
    trust_proxies(app)


def trust_proxies(app: Flask) -> None:
    """Read the client's address and scheme from the X-Forwarded-* headers of our own proxies.

    Behind TRUSTED_PROXIES reverse proxies (nginx: 1), the address a request comes from is the
    proxy's: the per-IP limits and the security log need the client's. Only that many hops
    are believed (a client can write any X-Forwarded-For; the proxy appends the real address),
    and none when the setting is 0 (the default: no proxy, headers ignored).
    """
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )


def _set_write_intent() -> None:
    write_intent.set(request.method not in SAFE_METHODS)


def _refuse_nul_characters() -> tuple[str, int] | None:
    """Refuse input holding a NUL character: nobody types one, and PostgreSQL cannot store it."""
    sources = [request.args] if request.method in SAFE_METHODS else [request.args, request.form]
    texts = [request.path]
    for source in sources:  # every value of repeated fields, not only the first
        for key, values in source.lists():
            texts += [key, *values]
    if request.method not in SAFE_METHODS:
        texts += [f.filename or "" for _key, files in request.files.lists() for f in files]
    if any("\x00" in text for text in texts):
        from flask_babel import gettext

        from accompagnement.errorpages import render_error

        return render_error(400, gettext("The request holds a character that is not allowed."))
    return None


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if current_app.config.get("PRODUCTION"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint != "static" and not response.cache_control.public:
        # Pages are personal (signed in) or carry secrets (password links): never cache them.
        # A view whose answer is the same for everyone says so (`public`): open data.
        headers["Cache-Control"] = "no-store"
    return response


def _log_forbidden(response: Response) -> Response:
    if response.status_code == 403:
        log_event("access.forbidden", level="warning", status=403)
    return response


def clean(value: Any, limit: int = 200) -> str:
    """Quote a value for a log line: control characters (CR, LF...) escaped, length capped."""
    return json.dumps(str(value)[:limit])


def log_event(event: str, *, level: str = "info", **fields: Any) -> None:
    """Log one security event on a single line; never pass passwords or tokens."""
    if not EVENT_NAME.fullmatch(event):
        raise ValueError(f"bad event name: {event!r}")
    for key in fields:
        if any(word in key.lower() for word in SECRET_WORDS):
            raise ValueError(f"refusing to log a secret field: {key}")
    if has_request_context():
        fields.setdefault("ip", request.remote_addr or "-")
        fields.setdefault("path", request.path)
        # Only a user already loaded: loading one here could re-enter Flask-Login's loader.
        actor = getattr(g, "_login_user", None)
        if actor is not None and actor.is_authenticated:
            fields.setdefault("actor", actor.id)
    text = " ".join(f"{key}={clean(value)}" for key, value in fields.items())
    security_log.log(getattr(logging, level.upper()), "%s %s", event, text)
