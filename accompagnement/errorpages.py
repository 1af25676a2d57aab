"""Error pages: a clear page in the user's language, never a traceback."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from accompagnement.clierrors import is_busy
from accompagnement.db import write_intent
from accompagnement.errors import DomainError
from accompagnement.extensions import db


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood"),
        403: _("You are not allowed to do this"),
        404: _("Page not found"),
        405: _("This action is not possible here"),
        409: _("Conflict"),
        413: _("The file is too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
        503: _("The service is busy"),
    }


def render_error(status: int, message: str | None = None) -> tuple[str, int]:
    """Render the error page for an HTTP status."""
    title = _titles().get(status, _("Error"))
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _too_large_message(app: Flask) -> str:
    limit = int(app.config.get("MAX_CONTENT_LENGTH") or 0)
    return _(
        "A file sent to the site may be at most %(max)s MB. Nothing was saved: "
        "go back and choose a smaller file (or split a CSV file into several).",
        max=f"{limit / 1024 / 1024:g}",
    )


def register(app: Flask) -> None:
    """Install the error handlers on the app."""

    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError) -> tuple[str, int]:
        return render_error(
            400, _("The form expired or was tampered with. Reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        if error.code == 413:
            return render_error(413, _too_large_message(app))
        return render_error(error.code or 500)

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> tuple[str, int]:
        db.session.rollback()
        return render_error(error.status, _(error.message) if error.message else None)

    @app.errorhandler(OperationalError)
    def _database(error: OperationalError) -> tuple[str, int, dict[str, str]] | tuple[str, int]:
        db.session.rollback()
        if not is_busy(error):
            return _unexpected(error)
        # SQLite's write lock held past the busy timeout, or a PostgreSQL deadlock: the
        # transaction was rolled back whole, so the person can simply send the page again.
        app.logger.warning("database busy on %s %s", request.method, request.path)
        write_intent.set(False)  # the error page only reads: never wait for the lock again
        page, status = render_error(
            503, _("Many people are saving at this moment. Nothing was changed: try again.")
        )
        return page, status, {"Retry-After": "2"}

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
