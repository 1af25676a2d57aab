"""The one place where a request's transaction ends, as Indico's request handler does it.

A view that may write carries `@commits`: when it returns, the session commits once; when
anything raises, the session rolls back and the exception goes on to the error handlers of
`main/errorpages.py` (a domain error becomes its page: 404, 403, 409...). Services only flush.

A page that answers some refusals itself (a form shown again with the service's messages next
to the input, a warning flashed before going back) names exactly those with `refusal(...)`; the
refused work is rolled back before the page is drawn, and any other error still propagates::

    with refusal(InvalidInput) as refused:
        member = services.create_member(form.values(), user_id=current_user.id)
        flash(_("Member added."), "success")
        return redirect(url_for("members.detail", member_id=member.id))
    form.show_errors(refused.error.errors)  # reached only when the service refused
    return render_template("members/edit.html", form=form)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, Generic, TypeVar

from flask import request, session

from accompagnement.errors import DomainError
from accompagnement.extensions import db

F = TypeVar("F", bound=Callable[..., Any])
E = TypeVar("E", bound=DomainError)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def commits(view: F) -> F:
    """Commit once when the view returns (unless the request only reads); roll back if it raises.

    The mark `commits_transaction` lets a test walk the URL map: every route that accepts a POST
    must end its transaction here.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        flashed = len(session.get("_flashes", ()))
        try:
            answer = view(*args, **kwargs)
            if request.method not in SAFE_METHODS:
                db.session.commit()
        except BaseException:
            db.session.rollback()
            _forget_flashes(flashed)
            raise
        return answer

    wrapper.commits_transaction = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def _forget_flashes(keep: int) -> None:
    """Drop the messages flashed by a view whose work was rolled back ("saved" would be false)."""
    if len(session.get("_flashes", ())) > keep:
        session["_flashes"] = session["_flashes"][:keep]


class Refusal(Generic[E]):
    """The refusal caught by `refusal()`, for the page that shows it."""

    def __init__(self) -> None:
        self.caught: E | None = None

    def __bool__(self) -> bool:
        """Say whether the action was refused."""
        return self.caught is not None

    @property
    def error(self) -> E:
        """Return the caught error (only read after the service refused)."""
        if self.caught is None:
            raise RuntimeError("the action was not refused")
        return self.caught


@contextmanager
def refusal(*kinds: type[E], keep: bool = False) -> Iterator[Refusal[E]]:
    """Catch these domain errors for the page to show; roll back what the refused action wrote.

    `keep=True` keeps the writes the service made before refusing (a counted failed attempt):
    `@commits` then commits them with the page.
    """
    refused: Refusal[E] = Refusal()
    try:
        yield refused
    except kinds as error:
        if not keep:
            db.session.rollback()
        refused.caught = error
