"""Every route that may write ends its transaction in one place: `@commits` (transaction.py).

A new POST route without it fails here, and so does a view module that commits or rolls back by
hand (the import pages are the exception: `importing.run_upload` commits or rolls back for them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask, flash, session
from sqlalchemy import select

import accompagnement
from accompagnement.access import Role
from accompagnement.auth.models import User
from accompagnement.errors import Forbidden, InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.transaction import commits, refusal

# Import pages: `run_upload` commits the whole file or rolls it back (accompagnement/importing.py).
RUN_UPLOAD = {
    "activities.import_file",
    "history.import_projects_page",
    "means.import_file",
    "members.import_csv",
    "observatory.import_file",
    "syndicates.import_file",
}
BY_HAND = re.compile(r"db\.session\.(commit|rollback)\(")


def writing_endpoints(app: Flask) -> set[str]:
    """Return the endpoints of the URL map that accept another method than GET/HEAD/OPTIONS."""
    safe = {"GET", "HEAD", "OPTIONS"}
    return {rule.endpoint for rule in app.url_map.iter_rules() if set(rule.methods or ()) - safe}


def test_every_writing_route_commits_in_one_place(app: Flask) -> None:
    missing = sorted(
        endpoint
        for endpoint in writing_endpoints(app) - RUN_UPLOAD
        if not getattr(app.view_functions[endpoint], "commits_transaction", False)
    )
    assert missing == [], f"POST routes without @commits: {missing}"


def test_the_check_can_fail(app: Flask) -> None:
    """The walk above sees the routes that write, and a bare view has no mark."""
    assert {"projects.transition", "projects.edit_form", "auth.logout"} <= writing_endpoints(app)

    def bare() -> str:
        return "bare"

    assert not getattr(bare, "commits_transaction", False)


VIEW_MODULES = sorted(Path(accompagnement.__file__).parent.glob("**/views*.py")) + sorted(
    Path(accompagnement.__file__).parent.glob("**/views/*.py")
)


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_no_view_commits_or_rolls_back_by_hand(path: Path) -> None:
    assert not BY_HAND.findall(path.read_text(encoding="utf-8"))


def person(email: str) -> User:
    return User(email=email, name="Test", role=Role.HOLDER.value)


def saved(email: str) -> bool:
    db.session.expire_all()
    return db.session.scalar(select(User.id).where(User.email == email)) is not None


def test_a_view_that_returns_commits_its_writes(app: Flask) -> None:
    @commits
    def view() -> str:
        db.session.add(person("kept@example.org"))
        return "done"

    with app.test_request_context("/", method="POST"):
        assert view() == "done"
        db.session.remove()  # what is not committed is gone with the session
    assert saved("kept@example.org")


def test_a_view_that_raises_leaves_nothing_not_even_its_flash(app: Flask) -> None:
    @commits
    def view() -> str:
        db.session.add(person("lost@example.org"))
        flash("Saved.")  # would be a lie: nothing is saved
        raise Forbidden("no")

    with app.test_request_context("/", method="POST"):
        flash("Earlier message.")
        with pytest.raises(Forbidden):
            view()
        assert [text for _kind, text in session["_flashes"]] == ["Earlier message."]
    assert not saved("lost@example.org")


def test_a_refusal_is_rolled_back_and_kept_for_the_page(app: Flask) -> None:
    with app.test_request_context("/", method="POST"):
        with refusal(InvalidInput) as refused:
            db.session.add(person("refused@example.org"))
            db.session.flush()
            raise InvalidInput("bad", {"name": "Too long"})
        assert refused and refused.error.errors == {"name": "Too long"}
        with pytest.raises(NotFound), refusal(InvalidInput):
            raise NotFound("other errors go on to the error pages")
    assert not saved("refused@example.org")


def test_a_refusal_may_keep_what_was_counted(app: Flask) -> None:
    @commits
    def view() -> str:
        with refusal(InvalidInput, keep=True) as refused:
            db.session.add(person("counted@example.org"))
            raise InvalidInput("wrong password")
        return refused.error.message

    with app.test_request_context("/", method="POST"):
        assert view() == "wrong password"
        db.session.remove()
    assert saved("counted@example.org")
