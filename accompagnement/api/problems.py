"""Every error of the API as RFC 9457 problem details (`application/problem+json`).

The titles are the error pages' (one catalogue entry each); the detail says what went wrong in
the reader's language: a domain error's message, each refused field, each refusal of a transition.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from accompagnement.errors import DomainError, InvalidInput, TransitionRefused
from accompagnement.extensions import db
from accompagnement.i18n import current_language

MEDIA_TYPE = "application/problem+json"


class Problem(BaseModel):
    """An RFC 9457 problem: `errors` maps a refused field to its message."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: dict[str, str] | None = None
    refusals: list[str] | None = None


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood"),
        401: _("A valid API token is needed"),
        403: _("You are not allowed to do this"),
        404: _("Page not found"),
        405: _("This action is not possible here"),
        409: _("Conflict"),
        413: _("The file is too large"),
        415: _("The request must be sent as JSON"),
        422: _("Some values are not valid"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
        503: _("The service is busy"),
    }


def problem(status: int, detail: str | None = None, **extra: Any) -> Response:
    """Return a problem details response."""
    body = Problem(
        title=_titles().get(status, _("Error")),
        status=status,
        detail=detail,
        instance=request.path,
        **extra,
    )
    text = json.dumps(body.model_dump(exclude_none=True), ensure_ascii=False)
    return Response(text, status=status, mimetype=MEDIA_TYPE)


def from_domain(error: DomainError) -> Response:
    """Answer a refusal of a service, worded as the web pages word it."""
    db.session.rollback()
    detail = _(error.message) if error.message else None
    extra: dict[str, Any] = {}
    if isinstance(error, InvalidInput) and error.errors:
        extra["errors"] = {name: _(message) for name, message in error.errors.items()}
        return problem(422, detail, **extra)
    if isinstance(error, TransitionRefused):
        extra["refusals"] = error.sentences(current_language())
    return problem(error.status, detail, **extra)


def from_http(error: HTTPException) -> Response:
    """Answer an HTTP error (404, 405...) as a problem."""
    code = error.code or 500
    answer = problem(code)
    if code == 405 and error.valid_methods:  # type: ignore[attr-defined]
        answer.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return answer


def too_many(error: RateLimitExceeded) -> Response:
    """Answer 429; the limiter adds Retry-After to the response."""
    return problem(429, _("Too many requests in a short time. Wait, then try again."))


def invalid_request(error: ValidationError) -> Response:
    """Answer a request whose parameters or body do not match the document (422)."""
    errors: dict[str, str] = {}
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"]) or "body"
        errors.setdefault(where, _field_message(item))
    return problem(422, _("Some values are not valid."), errors=errors)


def _field_message(item: Any) -> str:
    """Word one pydantic error in the reader's language (the common kinds; else generic)."""
    kind = str(item.get("type", ""))
    context = item.get("ctx") or {}
    if kind == "missing":
        return _("This value is required.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("The value must be at least %(min)s.", min=context.get("ge", context.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return _("The value must be at most %(max)s.", max=context.get("le", context.get("lt")))
    if kind == "string_too_long":
        return _("At most %(max)s characters.", max=context.get("max_length"))
    if kind.startswith(("int_", "float_")):
        return _("A whole number is expected.")
    if kind.startswith(("date_", "datetime_")):
        return _("A date is expected (YYYY-MM-DD).")
    if kind.startswith("bool"):
        return _("true or false is expected.")
    if kind in ("literal_error", "enum"):
        return _("Choose a value from the list.")
    return _("This value is not valid.")
