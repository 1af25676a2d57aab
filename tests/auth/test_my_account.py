"""The "my account" page, for every role: change one's password, choose the language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.members.models import Member
from tests.fixtures.accounts import (
    NEW_PASSWORD,
    PASSWORD,
    client_with_cookie,
    login,
    session_cookie,
)


def _person(make_user: Callable[..., Any], role: str) -> Any:
    if role == "member":
        member = Member(name="Ressourcerie de Guéret")
        db.session.add(member)
        db.session.commit()
        return make_user(role, member_id=member.id)
    return make_user(role)


def _change(client: Any, current: str, new: str, confirm: str | None = None) -> Any:
    return client.post(
        "/auth/account/password",
        data={"current_password": current, "password": new, "confirm": confirm or new},
        headers={"Accept-Language": "en"},
    )


@pytest.mark.parametrize("role", ["coordinator", "holder", "partner", "member"])
def test_every_role_has_an_account_page(
    client: Any, make_user: Callable[..., Any], role: str
) -> None:
    person = _person(make_user, role)
    login(client, person.email)
    response = client.get("/auth/account", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert person.email in page and "Change my password" in page


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_every_role_can_change_its_password(
    client: Any, make_user: Callable[..., Any], role: str
) -> None:
    person = _person(make_user, role)
    login(client, person.email)
    response = _change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert client.get("/auth/account").status_code == 200  # still signed in here
    client.post("/auth/logout")
    assert login(client, person.email, NEW_PASSWORD).status_code == 302


def test_changing_the_password_signs_out_the_other_sessions(
    app: Flask, client: Any, holder: Any
) -> None:
    elsewhere = app.test_client()
    login(elsewhere, holder.email)
    login(client, holder.email)
    before = session_cookie(client)
    _change(client, PASSWORD, NEW_PASSWORD)
    assert elsewhere.get("/auth/account").status_code == 302
    assert (
        client_with_cookie(app.test_client(), "session", before).get("/auth/account").status_code
        == 302
    )
    assert client.get("/auth/account").status_code == 200


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("not my password", NEW_PASSWORD, None, "The current password is not right."),
        (PASSWORD, "too short", None, "Between 12 and 128 characters."),
        (PASSWORD, "password1234", None, "This password is too common"),
        (PASSWORD, NEW_PASSWORD, "something else entirely", "The two passwords are different."),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(
    client: Any, holder: Any, current: str, new: str, confirm: str | None, message: str
) -> None:
    login(client, holder.email)
    response = _change(client, current, new, confirm)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    client.post("/auth/logout")
    assert login(client, holder.email, PASSWORD).status_code == 302


def test_guessing_the_current_password_locks_the_account(
    app: Flask, client: Any, holder: Any
) -> None:
    login(client, holder.email)
    for _attempt in range(app.config["LOGIN_MAX_FAILURES"]):
        _change(client, "a wrong guess of it", NEW_PASSWORD)
    assert client.get("/auth/account").status_code == 302  # signed out
    assert db.session.get(User, holder.id).locked_until is not None


def test_the_language_preference_is_kept(client: Any, holder: Any) -> None:
    login(client, holder.email)
    response = client.post("/auth/account/language", data={"locale": "en"})
    assert response.status_code == 302
    assert db.session.get(User, holder.id).locale == "en"
    page = client.get("/auth/account", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    client.post("/auth/account/language", data={"locale": ""})
    db.session.expire_all()
    assert db.session.get(User, holder.id).locale is None


def test_an_unknown_language_is_refused(client: Any, holder: Any) -> None:
    login(client, holder.email)
    response = client.post("/auth/account/language", data={"locale": "xx"})
    assert response.status_code == 302
    assert db.session.get(User, holder.id).locale is None


def test_anonymous_visitors_have_no_account_page(client: Any) -> None:
    assert client.get("/auth/account").status_code == 302
    assert client.post("/auth/account/password", data={}).status_code == 302
