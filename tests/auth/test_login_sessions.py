"""Signing in and out, and when a session ends (ASVS V7.2.4, V7.3.x, V7.4.1)."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask

from accompagnement.auth.models import User
from accompagnement.extensions import db
from tests.fixtures.accounts import PASSWORD, client_with_cookie, login, session_cookie


def test_signing_in_leads_to_the_requested_page(client: Any, holder: Any) -> None:
    response = client.get("/auth/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Fauth%2Faccount"
    response = client.post(
        "/auth/login?next=%2Fauth%2Faccount", data={"email": holder.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/auth/account"
    assert client.get("/auth/account").status_code == 200


def test_signing_in_records_the_time(client: Any, holder: Any) -> None:
    login(client, holder.email)
    assert db.session.get(User, holder.id).last_login_at is not None


def test_the_email_is_not_case_sensitive(client: Any, holder: Any) -> None:
    assert login(client, "HELENE@Example.ORG").status_code == 302


def test_signing_in_starts_a_new_session(client: Any, holder: Any) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    login(client, holder.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{holder.id}:{holder.session_token}"
        assert session["login_at"] <= time.time()


def test_a_cookie_captured_before_logout_gets_the_login_page(
    client: Any, app: Flask, holder: Any
) -> None:
    login(client, holder.email)
    captured = session_cookie(client)
    assert client.post("/auth/logout").status_code == 302

    replay = client_with_cookie(app.test_client(), "session", captured)
    response = replay.get("/auth/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_a_remember_cookie_captured_before_logout_is_refused(
    client: Any, app: Flask, holder: Any
) -> None:
    login(client, holder.email, remember="y")
    remember = client.get_cookie("remember_token")
    assert remember is not None
    assert "HttpOnly" in _set_cookie_of(client, holder)
    client.post("/auth/logout")
    assert client.get_cookie("remember_token") is None  # cleared in the browser

    replay = client_with_cookie(app.test_client(), "remember_token", remember.value)
    assert replay.get("/auth/account").status_code == 302


def _set_cookie_of(client: Any, holder: Any) -> str:
    """Sign in again on a fresh client and return the Set-Cookie of the remember cookie."""
    fresh = client.application.test_client()
    response = login(fresh, holder.email, remember="y")
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token")]
    return cookies[0]


def test_a_remember_cookie_alone_starts_a_fresh_session(
    client: Any, app: Flask, holder: Any
) -> None:
    login(client, holder.email, remember="y")
    remember = client.get_cookie("remember_token")
    browser_reopened = client_with_cookie(app.test_client(), "remember_token", remember.value)
    assert browser_reopened.get("/auth/account").status_code == 200
    with browser_reopened.session_transaction() as session:
        assert time.time() - session["login_at"] < 60
    assert browser_reopened.get("/auth/account").status_code == 200  # and the next page too


def test_the_session_cookie_is_http_only_and_same_site(client: Any, holder: Any) -> None:
    response = login(client, holder.email)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_an_idle_session_ends(client: Any, app: Flask, holder: Any) -> None:
    login(client, holder.email)
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - idle - 5
    response = client.get("/auth/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert client.get("/auth/account").status_code == 302  # and it stays ended


def test_an_active_session_goes_on(client: Any, app: Flask, holder: Any) -> None:
    login(client, holder.email)
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - idle + 30
    assert client.get("/auth/account").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["seen_at"] < 5


def test_a_session_ends_after_its_absolute_lifetime(client: Any, app: Flask, holder: Any) -> None:
    login(client, holder.email)
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    with client.session_transaction() as session:
        session["login_at"] = time.time() - lifetime - 5
        session["seen_at"] = time.time()  # busy all along: the absolute limit still applies
    response = client.get("/auth/account", headers={"Accept-Language": "en"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers={"Accept-Language": "en"})
    assert "Your session has expired" in page.get_data(as_text=True)


def test_a_session_without_start_time_is_refused(client: Any, holder: Any) -> None:
    login(client, holder.email)
    with client.session_transaction() as session:
        del session["login_at"]
        del session["seen_at"]
    assert client.get("/auth/account").status_code == 302


def test_an_expired_cookie_replayed_later_is_refused(client: Any, app: Flask, holder: Any) -> None:
    """The timestamps live in the signed cookie: a stolen old cookie is as dead as the session."""
    login(client, holder.email)
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    stolen = session_cookie(client)
    replay = client_with_cookie(app.test_client(), "session", stolen)
    assert replay.get("/auth/account").status_code == 302


def test_signed_in_people_are_sent_home_from_the_login_page(client: Any, holder: Any) -> None:
    login(client, holder.email)
    response = client.get("/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
