"""Security events are logged on one line each, without passwords (ASVS V16.x)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flask import Flask

from accompagnement.security import clean, log_event
from tests.fixtures.accounts import PASSWORD, login

LOGGER = "accompagnement.security"


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def test_a_failed_sign_in_is_logged_without_the_password(
    client: Any, holder: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    login(client, holder.email, "Tr0ub4dor&3-typed-wrong")
    lines = _lines(caplog)
    assert any(line.startswith("auth.login_failed") and holder.email in line for line in lines)
    assert "Tr0ub4dor" not in caplog.text


def test_a_successful_sign_in_and_out_are_logged(
    client: Any, holder: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    login(client, holder.email)
    client.post("/auth/logout")
    lines = _lines(caplog)
    assert any(line.startswith(f'auth.login user="{holder.id}"') for line in lines)
    assert any(line.startswith("auth.logout") for line in lines)
    assert PASSWORD not in caplog.text


def test_a_line_break_in_the_email_cannot_forge_a_log_line(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    forged = 'eve@example.org\r\nauth.login user="1" ip="10.0.0.1"'
    login(client, forged, "whatever password")
    lines = _lines(caplog)
    assert len(lines) == 1
    assert "\n" not in lines[0] and "\r" not in lines[0]
    assert lines[0].startswith("auth.login_failed ")
    assert "\\r\\n" in lines[0]


def test_forbidden_access_is_logged(
    client: Any, holder: Any, caplog: pytest.LogCaptureFixture
) -> None:
    login(client, holder.email)
    caplog.set_level(logging.INFO, logger=LOGGER)
    assert client.get("/admin/users").status_code == 403
    assert any(
        line.startswith("access.forbidden") and "/admin/users" in line for line in _lines(caplog)
    )


def test_a_lock_is_logged(
    app: Flask, client: Any, holder: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    for _attempt in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, holder.email, "wrong password")
    assert any(line.startswith("auth.locked ") for line in _lines(caplog))


@pytest.mark.parametrize("name", ["password", "new_password", "token", "reset_token", "SECRET"])
def test_secret_fields_cannot_be_logged(app: Flask, name: str) -> None:
    with pytest.raises(ValueError, match="secret"):
        log_event("auth.test", **{name: "hunter2"})


@pytest.mark.parametrize("event", ["auth.login\nfake", "Auth Login", ""])
def test_event_names_are_plain(event: str) -> None:
    with pytest.raises(ValueError):
        log_event(event)


@pytest.mark.parametrize("value", ["a\nb", "a\rb", "a\u2028b", "a\x1bb", "a\x00b", "a\u0085b"])
def test_control_characters_are_escaped(value: str) -> None:
    cleaned = clean(value)
    assert cleaned.isprintable()
    assert cleaned.startswith('"a') and cleaned.endswith('b"')


def test_long_values_are_cut() -> None:
    assert len(clean("x" * 10_000)) == 202
