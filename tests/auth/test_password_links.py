"""Forgotten password: a signed, single-use, expiring link, e-mailed through a real SMTP server."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from accompagnement.auth import tokens
from accompagnement.auth.models import User
from accompagnement.auth.services import reset_password
from accompagnement.extensions import db
from tests.fixtures.accounts import NEW_PASSWORD, PASSWORD, login
from tests.fixtures.mail import Mailbox

SENT = "If an account uses this address, a link to choose a password is on its way."
LINK = re.compile(r"http\S+/auth/password/(\S+)")


def _ask(client: Any, email: str) -> Any:
    return client.post("/auth/forgot", data={"email": email}, headers={"Accept-Language": "en"})


def _token_in(mailbox: Mailbox) -> str:
    match = LINK.search(mailbox.body())
    assert match, mailbox.body()
    return match.group(1)


def _choose(
    client: Any, token: str, password: str = NEW_PASSWORD, confirm: str | None = None
) -> Any:
    return client.post(
        f"/auth/password/{token}",
        data={"password": password, "confirm": password if confirm is None else confirm},
        headers={"Accept-Language": "en"},
    )


def _token_for(user_id: int) -> str:
    return tokens.make_token(db.session.get(User, user_id))


def test_the_answer_is_the_same_whatever_the_address(
    client: Any, holder: Any, mailbox: Mailbox
) -> None:
    known = _ask(client, holder.email)
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown = _ask(client, "nobody@example.org")
    unknown_page = client.get(unknown.headers["Location"]).get_data(as_text=True)
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert SENT in known_page and _without_csrf(known_page) == _without_csrf(unknown_page)
    assert len(mailbox.messages) == 1  # only the real account got a message
    assert mailbox.messages[0]["To"] == holder.email


def _without_csrf(page: str) -> str:
    """Return the page with its CSRF token blanked: a new token is signed every second."""
    return re.sub(r'(name="csrf[_-]token"[^>]*(?:value|content)=")[^"]*"', r'\1"', page)


def test_the_emailed_link_sets_the_password_once(
    client: Any, holder: Any, mailbox: Mailbox
) -> None:
    _ask(client, holder.email)
    token = _token_in(mailbox)
    assert "Choose your password" in client.get(
        f"/auth/password/{token}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)

    response = _choose(client, token)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    client.post("/auth/logout")
    assert login(client, holder.email, PASSWORD).status_code == 200  # the old one is refused
    assert login(client, holder.email, NEW_PASSWORD).status_code == 302
    client.post("/auth/logout")

    again = client.get(f"/auth/password/{token}", headers={"Accept-Language": "en"})
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    assert _choose(client, token, "yet another long passphrase").status_code == 400


def test_setting_a_password_signs_out_every_session(app: Flask, client: Any, holder: Any) -> None:
    login(client, holder.email)
    token = _token_for(holder.id)
    _choose(app.test_client(), token)
    assert client.get("/auth/account").status_code == 302


def test_choosing_a_password_signs_the_person_in_with_a_new_session(
    app: Flask, client: Any, holder: Any
) -> None:
    with client.session_transaction() as before:
        before["left_over"] = "from an earlier visit"
    token = _token_for(holder.id)
    old_id = holder.get_id()

    response = _choose(client, token)

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/auth/account").status_code == 200
    with client.session_transaction() as after:
        assert "left_over" not in after  # nothing carried over from before
        assert after["_user_id"] != old_id  # a new session token, not the one before
        assert after["_user_id"] == db.session.get(User, holder.id).get_id()
        assert "login_at" in after


def test_an_invitation_link_signs_the_new_person_in(
    app: Flask, client: Any, make_user: Any
) -> None:
    invited = make_user("holder", password=None)
    response = _choose(client, _token_for(invited.id))
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True, headers={"Accept-Language": "en"})
    assert "You are signed in." in page.get_data(as_text=True)
    assert client.get("/auth/account").status_code == 200


def test_an_old_link_has_expired(app: Flask, client: Any, holder: Any) -> None:
    hours = app.config["RESET_TOKEN_HOURS"]

    class Yesterday(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - (hours + 1) * 3600

    user = db.session.get(User, holder.id)
    crafted = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=tokens.SALT, signer=Yesterday
    ).dumps({"u": user.id, "f": tokens.fingerprint(user)})
    response = client.get(f"/auth/password/{crafted}", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "This link has expired." in response.get_data(as_text=True)
    assert _choose(client, crafted).status_code == 400
    assert login(client, holder.email, PASSWORD).status_code == 302  # password unchanged


def test_a_link_expires_after_reset_token_hours(app: Flask, holder: Any) -> None:
    token = _token_for(holder.id)
    hours = app.config["RESET_TOKEN_HOURS"]
    now = datetime.now(UTC)
    assert tokens.user_for_token(token, now=now + timedelta(hours=hours) - timedelta(minutes=1))
    with pytest.raises(tokens.LinkExpired):
        tokens.user_for_token(token, now=now + timedelta(hours=hours, minutes=1))
    with pytest.raises(tokens.LinkExpired):
        reset_password(token, NEW_PASSWORD, now=now + timedelta(hours=hours, minutes=1))


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "not-a-token",
        lambda token: URLSafeTimedSerializer("another secret", salt=tokens.SALT).dumps(
            {"u": 1, "f": "x"}
        ),
        lambda token: URLSafeTimedSerializer("dev-not-secret", salt="other-salt").dumps(
            {"u": 1, "f": "x"}
        ),
    ],
)
def test_a_forged_link_is_refused(client: Any, holder: Any, forge: Any) -> None:
    response = client.get(
        f"/auth/password/{forge(_token_for(holder.id))}", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert "This link cannot be used" in response.get_data(as_text=True)


def test_a_link_for_a_deactivated_account_is_refused(client: Any, holder: Any) -> None:
    token = _token_for(holder.id)
    db.session.get(User, holder.id).active = False
    db.session.commit()
    assert client.get(f"/auth/password/{token}").status_code == 400


def test_the_new_password_follows_the_policy(client: Any, holder: Any) -> None:
    token = _token_for(holder.id)
    for password, confirm, message in [
        ("short", None, "Between 12 and 128 characters."),
        ("azertyuiop12", None, "This password is too common"),
        ("one long passphrase", "another one typed", "The two passwords are different."),
    ]:
        response = _choose(client, token, password, confirm)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert login(client, holder.email, PASSWORD).status_code == 302  # nothing changed


def test_without_mail_the_page_says_to_ask_the_coordinator(
    client: Any, holder: Any, no_mail: None
) -> None:
    page = client.get("/auth/forgot", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Ask the network's coordinator" in page
    assert 'name="email"' not in page


def test_a_second_request_right_away_sends_no_second_message(
    client: Any, holder: Any, mailbox: Mailbox
) -> None:
    _ask(client, holder.email)
    _ask(client, holder.email)
    assert len(mailbox.messages) == 1


def test_no_message_for_a_deactivated_account(client: Any, holder: Any, mailbox: Mailbox) -> None:
    db.session.get(User, holder.id).active = False
    db.session.commit()
    assert _ask(client, holder.email).status_code == 302
    assert mailbox.messages == []


def test_the_link_uses_base_url_not_the_request_host(
    app: Flask, client: Any, holder: Any, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "BASE_URL", "https://accompagnement.example.org/")
    _ask(client, holder.email)
    assert "https://accompagnement.example.org/auth/password/" in mailbox.body()


def test_a_broken_mail_server_gives_the_same_answer(
    app: Flask, client: Any, holder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.fixtures.mail import free_port

    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())  # nobody listens there
    response = _ask(client, holder.email)
    assert response.status_code == 302
    assert SENT in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_command_line_prints_a_working_link(
    app: Flask, runner: Any, client: Any, holder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "BASE_URL", "https://accompagnement.example.org")
    result = runner.invoke(args=["users", "link", holder.email])
    assert result.exit_code == 0, result.output
    token = LINK.search(result.output).group(1)
    assert "https://accompagnement.example.org/auth/password/" in result.output
    assert _choose(client, token).status_code == 302
    assert runner.invoke(args=["users", "link", "nobody@example.org"]).exit_code == 1
