"""Brute force: failures are counted in the database, so the lock holds across processes (V6.3.1);
the answer is the same for an unknown address, a wrong password and a locked account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from accompagnement.audit.models import AuditEvent
from accompagnement.auth.models import User
from accompagnement.db import utcnow
from accompagnement.extensions import db
from tests.fixtures.accounts import PASSWORD, login

REFUSED = "Wrong e-mail address or password, or account locked for a while."


def _answer(client: Any, email: str, password: str) -> tuple[int, str]:
    response = login(client, email, password)
    page = response.get_data(as_text=True)
    return response.status_code, page


def _fresh(user_id: int) -> User:
    db.session.expire_all()
    user = db.session.get(User, user_id)
    db.session.commit()  # end the read transaction before other app instances write
    return user


def test_unknown_address_and_wrong_password_get_the_same_page(app: Flask, holder: Any) -> None:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    unknown = _answer(client, "nobody@example.org", PASSWORD)
    wrong = _answer(client, holder.email, "not the right password")
    assert unknown[0] == wrong[0] == 200
    assert REFUSED in unknown[1]
    assert unknown[1].replace("nobody@example.org", holder.email) == wrong[1]


def test_failures_from_two_app_instances_lock_the_account(
    app: Flask, second_app: Flask, holder: Any
) -> None:
    limit = app.config["LOGIN_MAX_FAILURES"]
    clients = [app.test_client(), second_app.test_client()]
    email = holder.email
    db.session.commit()
    for attempt in range(limit):
        assert login(clients[attempt % 2], email, "wrong password").status_code == 200
    locked = _fresh(holder.id)
    assert locked.locked_until is not None and locked.locked_until > utcnow()

    for client in clients:  # the right password no longer opens, in either "process"
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        response = login(client, email, PASSWORD)
        assert response.status_code == 200
        assert REFUSED in response.get_data(as_text=True)
    actions = db.session.scalars(
        db.select(AuditEvent.action).where(AuditEvent.user_id == holder.id)
    ).all()
    assert "auth.locked" in actions and "auth.locked_attempt" in actions


def test_failures_below_the_limit_do_not_lock(app: Flask, holder: Any) -> None:
    client = app.test_client()
    for _attempt in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        login(client, holder.email, "wrong password")
    assert login(client, holder.email, PASSWORD).status_code == 302
    assert _fresh(holder.id).failed_logins == 0  # a success resets the count


def test_the_lock_lifts_after_its_time(app: Flask, holder: Any) -> None:
    client = app.test_client()
    for _attempt in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, holder.email, "wrong password")
    user = _fresh(holder.id)
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert login(client, holder.email, PASSWORD).status_code == 302


def test_a_deactivated_account_gets_the_same_answer(app: Flask, holder: Any) -> None:
    user = _fresh(holder.id)
    user.active = False
    db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = login(client, holder.email, PASSWORD)
    assert response.status_code == 200
    assert REFUSED in response.get_data(as_text=True)
