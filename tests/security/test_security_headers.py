"""Security headers on every response (ASVS V3.4.x), and the production configuration check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from security_suite import People, client_for

from accompagnement import create_app
from accompagnement.config import ConfigError, check_production

STRONG_SECRET = "k" * 8 + "9f3Jq0-Lx_2mZr7Tb4Wc8Yd1Ve6Ns5Pu"


def test_pages_carry_a_strict_policy(app: Flask) -> None:
    response = app.test_client().get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # development: plain HTTP


def test_signed_in_pages_are_never_cached(app: Flask, people: People) -> None:
    client = client_for(app, "holder", people)
    response = client.get("/auth/account")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached_but_are_not_sniffed(app: Flask) -> None:
    response = app.test_client().get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_production_adds_hsts(other_app: Callable[..., Flask]) -> None:
    production = other_app(
        PRODUCTION=True,
        SECRET_KEY=STRONG_SECRET,
        SESSION_COOKIE_SECURE=True,
        REMEMBER_COOKIE_SECURE=True,
    )
    response = production.test_client().get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")


def _production(**overrides: Any) -> dict[str, Any]:
    settings = {
        "PRODUCTION": True,
        "DEBUG": False,
        "SECRET_KEY": STRONG_SECRET,
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }
    settings.update(overrides)
    return settings


def test_a_safe_production_configuration_is_accepted() -> None:
    check_production(_production())


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"DEBUG": True}, "DEBUG"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "dev-not-secret"}, "SECRET_KEY"),
        ({"SECRET_KEY": "change-me"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short-but-not-an-example"}, "SECRET_KEY"),
        ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE"),
        ({"REMEMBER_COOKIE_SECURE": False}, "REMEMBER_COOKIE_SECURE"),
        ({"SESSION_COOKIE_HTTPONLY": False}, "SESSION_COOKIE_HTTPONLY"),
        ({"SESSION_COOKIE_SAMESITE": None}, "SESSION_COOKIE_SAMESITE"),
        ({"SMTP_HOST": "smtp.example.org"}, "BASE_URL"),
    ],
)
def test_an_unsafe_production_configuration_is_refused(
    overrides: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ConfigError, match=problem):
        check_production(_production(**overrides))


def test_the_app_refuses_to_start_in_production_with_debug() -> None:
    with pytest.raises(ConfigError, match="DEBUG"):
        create_app(_production(DEBUG=True, SQLALCHEMY_DATABASE_URI="sqlite://"))


def test_the_production_environment_turns_secure_cookies_on() -> None:
    from accompagnement.config import from_environment

    config = from_environment("/tmp", {"ACCOMPAGNEMENT_ENV": "production", "SECRET_KEY": "x"})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        check_production(config)
